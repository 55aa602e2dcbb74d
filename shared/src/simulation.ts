// What `npm run simulate` needs of a scenario, so the command names none: its own options (beyond
// --tables, --seed, --loss and --json), the config and the opponents a table plays with, a row per
// table for --json, and the report. Each scenario's folder has one; the registry is typed against
// the scenario registry.
import type { SimOptions, SimResult } from './sim.ts';

export type SimArgs = Record<string, string | boolean | undefined>;

export interface SimOption {
  name: string;
  /** A whole number in [min, max], a flag, or one of `choices`. */
  kind: 'int' | 'flag' | 'choice';
  min?: number;
  max?: number;
  choices?: readonly string[];
}

export interface Simulation<Config = unknown, Row = unknown> {
  /** How the report names the scenario ("Paxos", "Two Generals"). */
  title: string;
  options: readonly SimOption[];
  /** The config every table plays with: the defaults, `loss` as the capture rate, and the options. */
  config(loss: number | undefined, args: SimArgs): Config;
  /** What a table plays against besides the bots (a rule-breaker, crashes), from its seed. */
  setup(config: Config, tableSeed: number, args: SimArgs): SimOptions;
  /** One table's result, as --json writes it. */
  row(result: SimResult, table: number, tableSeed: number): Row;
  /** The report's lines, and the bug it found, if any (the command then exits 1). */
  report(rows: Row[], config: Config, run: { tables: number; seed: number; args: SimArgs }): { lines: string[]; failed: string | null };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
/** "mean 4.5, max 9", or a dash for nothing. */
export const stats = (xs: number[]) => (xs.length ? `mean ${fmt(mean(xs))}, max ${Math.max(...xs)}` : '—');
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
