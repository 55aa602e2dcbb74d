// The headless simulator: plays many bot tables in fake time and reports what happened.
//
//   npm run simulate -- --scenario paxos --tables N --seed S [--loss P] [--proposers K] [--acceptors M]
//                       [--learners L] [--crashes] [--mode strict|free] [--json FILE]
//   npm run simulate -- --scenario two-generals --tables N --seed S [--loss P] [--json FILE]
//
// Table i plays with the seed deriveSeed(S, i), so any table can be replayed alone. Paxos: how many
// tables chose a value, how many messengers and ballots it took, and every safety violation (in strict
// mode there must be none: the exit code is 1 if one is found). Free mode seats a rule-breaking acceptor
// in a1 that forgets its promises, so the checker has something to find. --crashes crashes and restarts
// acceptors at random moments. Two Generals: the outcomes. --json writes one object per table.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { deriveSeed, paxos, px, simulate, tg, twoGenerals, uniform, type GameControl } from '@valley/shared';
import { forgetfulAcceptor } from './rule-breakers.ts';

const USAGE = `usage: npm run simulate -- --scenario paxos|two-generals --tables N --seed S [--loss P]
         [--proposers K] [--acceptors M] [--learners L] [--crashes] [--mode strict|free] [--json FILE]`;

function fail(msg: string): never {
  console.error(`simulate: ${msg}\n${USAGE}`);
  process.exit(2);
}

// ---------- arguments ----------

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string' },
      tables: { type: 'string' },
      seed: { type: 'string' },
      loss: { type: 'string' },
      proposers: { type: 'string' },
      acceptors: { type: 'string' },
      learners: { type: 'string' },
      crashes: { type: 'boolean' },
      mode: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
try {
  parsed = parse();
} catch (err) {
  fail((err as Error).message);
}
const opts = parsed.values;
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

const scenario = opts.scenario;
if (scenario === undefined) fail('--scenario is required (paxos or two-generals)');
if (scenario !== 'paxos' && scenario !== 'two-generals') fail(`unknown scenario "${scenario}" (paxos or two-generals)`);
const tables = integer('tables', opts.tables, 1, 1_000_000) ?? fail('--tables is required');
const seed = integer('seed', opts.seed, 0, 0xffff_ffff) ?? fail('--seed is required');
let loss: number | undefined;
if (opts.loss !== undefined) {
  loss = Number(opts.loss);
  if (opts.loss.trim() === '' || !Number.isFinite(loss) || loss < 0 || loss > 1) fail(`--loss must be a number from 0 to 1 (got "${opts.loss}")`);
}
if (scenario === 'two-generals') {
  for (const k of ['proposers', 'acceptors', 'learners', 'crashes', 'mode'] as const) if (opts[k] !== undefined) fail(`--${k} is for Paxos only`);
}
const [pMin, pMax] = px.LIMITS.proposers;
const [aMin, aMax] = px.LIMITS.acceptors;
const [lMin, lMax] = px.LIMITS.learners;
const proposers = integer('proposers', opts.proposers, pMin, pMax);
const acceptors = integer('acceptors', opts.acceptors, aMin, aMax);
const learners = integer('learners', opts.learners, lMin, lMax);
const mode = opts.mode ?? 'strict';
if (mode !== 'strict' && mode !== 'free') fail(`--mode must be strict or free (got "${mode}")`);

// ---------- helpers ----------

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const stats = (xs: number[]) => (xs.length ? `mean ${fmt(mean(xs))}, max ${Math.max(...xs)}` : '—');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Acceptors crash and restart at moments drawn from the table's seed: one to three crashes per table. */
function crashSchedule(tableSeed: number, config: px.Config): (state: unknown, at: number) => { controls: GameControl[]; wakeAt: number | null } {
  const seats = px.seatsOf(config).acceptors;
  const count = 1 + Math.floor(uniform(tableSeed, 1, 101) * 3);
  const plan: { at: number; control: GameControl }[] = [];
  for (let k = 0; k < count; k++) {
    const seat = seats[Math.floor(uniform(tableSeed, k, 102) * seats.length)]!;
    const at = Math.floor(uniform(tableSeed, k, 103) * 60_000);
    const down = 5_000 + Math.floor(uniform(tableSeed, k, 104) * 55_000);
    plan.push({ at, control: { type: 'crash', seat } }, { at: at + down, control: { type: 'restart', seat } });
  }
  plan.sort((x, y) => x.at - y.at);
  let i = 0;
  return (_state, at) => {
    const controls: GameControl[] = [];
    for (; i < plan.length && plan[i]!.at <= at; i++) controls.push(plan[i]!.control);
    return { controls, wakeAt: plan[i]?.at ?? null };
  };
}

// ---------- Paxos ----------

function runPaxos() {
  const config: px.Config = {
    ...px.defaultConfig,
    mode: mode as px.Mode,
    ...(loss !== undefined && { captureRate: loss }),
    ...(proposers !== undefined && { proposers }),
    ...(acceptors !== undefined && { acceptors }),
    ...(learners !== undefined && { learners }),
  };
  const rows = [];
  for (let i = 0; i < tables; i++) {
    const tableSeed = deriveSeed(seed, i);
    const r = simulate(paxos, config, tableSeed, {
      ...(mode === 'free' && { players: { a1: forgetfulAcceptor } }),
      ...(opts.crashes && { chaos: crashSchedule(tableSeed, config) }),
    });
    const state = r.state as px.State;
    const v = paxos.verdict(state);
    // Messengers sent and ballots started before the moment a value was first chosen.
    let sent = 0;
    const ballots = new Set<string>();
    let untilChosen: { messengers: number; ballots: number } | null = null;
    for (const { event } of r.events) {
      const e = event as px.Event;
      if (e.type === 'messengerSent') {
        sent++;
        if (e.payload.type === 'prepare') ballots.add(px.showBallot(e.payload.ballot));
      } else if (e.type === 'valueChosen') {
        untilChosen = { messengers: sent, ballots: ballots.size };
        break;
      }
    }
    rows.push({
      table: i,
      seed: tableSeed,
      chosen: v.chosen,
      chosenBallot: v.chosenBallot,
      chosenAt: state.chosen[0] ? state.chosen[0].at - state.startedAt : null,
      messengersSent: v.messengersSent,
      captured: v.captured,
      ballots: v.ballots,
      messengersUntilChosen: untilChosen?.messengers ?? null,
      ballotsUntilChosen: untilChosen?.ballots ?? null,
      declared: Object.keys(state.declared).length,
      rulesBroken: state.broken.length,
      violations: v.violations,
    });
  }

  const chosen = rows.filter((r) => r.chosen !== null);
  const unsafe = rows.filter((r) => r.violations.length > 0);
  const lines = [
    `Paxos, ${mode} mode: ${plural(tables, 'table')} from seed ${seed}; ${plural(config.proposers, 'proposer')}, ${plural(config.acceptors, 'acceptor')}, ` +
      `${plural(config.learners, 'learner')}; loss ${config.captureRate}; crashes ${opts.crashes ? 'on' : 'off'}` +
      (mode === 'free' ? '; a1 forgets its promises' : ''),
    `chose a value:           ${chosen.length}/${tables}`,
    `messengers until chosen: ${stats(chosen.map((r) => r.messengersUntilChosen!))}`,
    `ballots until chosen:    ${stats(chosen.map((r) => r.ballotsUntilChosen!))}`,
  ];
  if (config.learners > 0) lines.push(`all learners declared:   ${rows.filter((r) => r.declared === config.learners).length}/${tables}`);
  if (mode === 'free') lines.push(`rules broken:            ${rows.reduce((a, r) => a + r.rulesBroken, 0)}`);
  lines.push(`safety violations:       ${unsafe.length === 0 ? 'none' : `${unsafe.length}/${tables} tables chose two values`}`);
  for (const r of unsafe.slice(0, 10)) {
    const { first, second } = r.violations[0]!;
    lines.push(`  table ${r.table} (seed ${r.seed}): ${first.value} with ballot ${first.ballot}, then ${second.value} with ballot ${second.ballot}`);
  }
  if (unsafe.length > 10) lines.push(`  … and ${unsafe.length - 10} more`);
  return { lines, rows, failed: mode === 'strict' && unsafe.length > 0 };
}

// ---------- Two Generals ----------

function runTwoGenerals() {
  const config: tg.Config = { ...tg.defaultConfig, ...(loss !== undefined && { captureRate: loss }) };
  const rows: { table: number; seed: number; outcome: tg.Outcome | null; messengersSent: number; delivered: number; captured: number }[] = [];
  for (let i = 0; i < tables; i++) {
    const tableSeed = deriveSeed(seed, i);
    const r = simulate(twoGenerals, config, tableSeed);
    const v = twoGenerals.verdict(r.state as tg.State);
    rows.push({ table: i, seed: tableSeed, outcome: v.outcome, messengersSent: v.messengersSent, delivered: v.delivered, captured: v.captured });
  }
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  const lines = [
    `Two Generals: ${plural(tables, 'table')} from seed ${seed}; loss ${config.captureRate}`,
    `victory:    ${count('victory')}/${tables}`,
    `no battle:  ${count('noBattle')}/${tables}`,
    `defeat:     ${count('defeat')}/${tables}`,
    `messengers: ${stats(rows.map((r) => r.messengersSent))}`,
  ];
  return { lines, rows, failed: false };
}

const result = scenario === 'paxos' ? runPaxos() : runTwoGenerals();
console.log(result.lines.join('\n'));
if (opts.json !== undefined) {
  try {
    writeFileSync(opts.json, `${JSON.stringify(result.rows, null, 1)}\n`);
  } catch (err) {
    console.error(`simulate: cannot write ${opts.json}: ${(err as Error).message}`);
    process.exit(2);
  }
}
if (result.failed) {
  console.error('simulate: two values were chosen in strict mode — a safety bug');
  process.exit(1);
}
