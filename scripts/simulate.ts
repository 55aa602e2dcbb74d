// The headless simulator: plays many bot tables of any scenario in fake time and reports what happened.
//
//   npm run simulate -- --scenario ID --tables N --seed S [--loss P] [--set key=value …] [--json FILE] [the scenario's options]
//
// --set sets any of the scenario's settings (e.g. numbered=true), checked with its settings schema.
// Table i plays with the seed deriveSeed(S, i), so any table can be replayed alone. What a table plays
// against, what is reported and which finding is a bug (exit code 1) is each scenario's own
// (shared/src/scenarios/<id>/simulation.ts): Paxos reports how many tables chose a value, what it took
// and every safety violation (--proposers K --acceptors M --learners L --crashes --mode strict|free);
// Two Generals the outcomes. --json writes one object per table.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SCENARIO_IDS, deriveSeed, isScenarioId, scenarioOf, scenarioSimulations, simulate, type SimArgs } from '@valley/shared';
import { scenarioSchemas } from '@valley/shared/protocol';

const extras = SCENARIO_IDS.map((id) => {
  const opts = scenarioSimulations[id].options.map((o) =>
    o.kind === 'flag' ? `[--${o.name}]` : o.kind === 'choice' ? `[--${o.name} ${o.choices!.join('|')}]` : `[--${o.name} N]`,
  );
  return `         ${id}: ${opts.join(' ') || '(no options of its own)'}`;
});
const USAGE = `usage: npm run simulate -- --scenario ${SCENARIO_IDS.join('|')} --tables N --seed S [--loss P] [--set key=value …] [--json FILE]\n${extras.join('\n')}`;

function fail(msg: string): never {
  console.error(`simulate: ${msg}\n${USAGE}`);
  process.exit(2);
}

// ---------- arguments: the common ones, and every scenario's own (checked against the one chosen) ----------

const common = {
  scenario: { type: 'string' },
  tables: { type: 'string' },
  seed: { type: 'string' },
  loss: { type: 'string' },
  json: { type: 'string' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;
const own = new Map<string, { type: 'string' | 'boolean' }>();
for (const id of SCENARIO_IDS) for (const o of scenarioSimulations[id].options) own.set(o.name, { type: o.kind === 'flag' ? 'boolean' : 'string' });

let values: SimArgs;
try {
  values = parseArgs({ args: process.argv.slice(2), strict: true, allowPositionals: false, options: { ...Object.fromEntries(own), ...common } })
    .values as SimArgs;
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function integer(name: string, raw: string | boolean | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
  return n;
}

const scenario = values.scenario;
if (scenario === undefined) fail(`--scenario is required (${SCENARIO_IDS.join(' or ')})`);
if (typeof scenario !== 'string' || !isScenarioId(scenario)) fail(`unknown scenario "${String(scenario)}" (${SCENARIO_IDS.join(' or ')})`);
const simulation = scenarioSimulations[scenario];
const tables = integer('tables', values.tables, 1, 1_000_000) ?? fail('--tables is required');
const seed = integer('seed', values.seed, 0, 0xffff_ffff) ?? fail('--seed is required');
let loss: number | undefined;
if (values.loss !== undefined) {
  loss = Number(values.loss);
  if (typeof values.loss !== 'string' || values.loss.trim() === '' || !Number.isFinite(loss) || loss < 0 || loss > 1)
    fail(`--loss must be a number from 0 to 1 (got "${String(values.loss)}")`);
}
const mine = new Set(simulation.options.map((o) => o.name));
for (const name of own.keys()) if (values[name] !== undefined && !mine.has(name)) fail(`--${name} is not an option of ${simulation.title}`);
for (const o of simulation.options) {
  const v = values[o.name];
  if (v === undefined) continue;
  if (o.kind === 'int') integer(o.name, v, o.min!, o.max!);
  if (o.kind === 'choice' && !o.choices!.includes(String(v))) fail(`--${o.name} must be ${o.choices!.join(' or ')} (got "${String(v)}")`);
}

// ---------- the run ----------

const sc = scenarioOf(scenario);
const config = withSets(simulation.config(loss, values), (values as { set?: string[] }).set ?? []);

/** The settings with each --set key=value applied (the value read as JSON when it is, else as text), checked by the scenario's schema. */
function withSets(base: unknown, sets: string[]): unknown {
  const next = { ...(base as Record<string, unknown>) };
  for (const kv of sets) {
    const eq = kv.indexOf('=');
    if (eq <= 0) fail(`--set wants key=value (got "${kv}")`);
    const key = kv.slice(0, eq);
    const raw = kv.slice(eq + 1);
    if (!Object.hasOwn(next, key)) fail(`--set: ${simulation.title} has no setting "${key}" (it has ${Object.keys(next).join(', ')})`);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text, as typed.
    }
    next[key] = value;
  }
  const checked = scenarioSchemas[scenario as keyof typeof scenarioSchemas].settings.safeParse(next);
  if (!checked.success) fail(`--set: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return checked.data;
}
const rows = [];
for (let i = 0; i < tables; i++) {
  const tableSeed = deriveSeed(seed, i);
  rows.push(simulation.row(simulate(sc, config, tableSeed, simulation.setup(config, tableSeed, values)), i, tableSeed));
}
const result = simulation.report(rows, config, { tables, seed, args: values });
console.log(result.lines.join('\n'));
if (values.json !== undefined) {
  try {
    writeFileSync(String(values.json), `${JSON.stringify(rows, null, 1)}\n`);
  } catch (err) {
    console.error(`simulate: cannot write ${String(values.json)}: ${(err as Error).message}`);
    process.exit(2);
  }
}
if (result.failed) {
  console.error(`simulate: ${result.failed}`);
  process.exit(1);
}
