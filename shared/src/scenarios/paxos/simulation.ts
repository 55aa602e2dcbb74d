// Paxos in `npm run simulate`: bot tables, how many chose a value and what it took, and every
// safety violation (in strict mode there must be none). Free mode seats a rule-breaking acceptor in
// a1 that forgets its promises, so the checker has something to find; --crashes crashes and restarts
// acceptors at moments drawn from each table's seed.
import type { GameControl } from '../../scenario.ts';
import { plural, stats, type Simulation } from '../../simulation.ts';
import { uniform } from '../../valley.ts';
import { showBallot } from './ballot.ts';
import { LIMITS, defaultConfig, seatsOf, type Config, type Event, type Mode, type State } from './model.ts';
import { forgetfulAcceptor } from './rule-breakers.ts';
import { verdict, type Verdict } from './view.ts';

interface Row {
  table: number;
  seed: number;
  chosen: string | null;
  chosenBallot: string | null;
  chosenAt: number | null;
  messengersSent: number;
  captured: number;
  ballots: number;
  messengersUntilChosen: number | null;
  ballotsUntilChosen: number | null;
  declared: number;
  rulesBroken: number;
  violations: Verdict['violations'];
}

/** Acceptors crash and restart at moments drawn from the table's seed: one to three crashes per table. */
function crashSchedule(tableSeed: number, config: Config): (state: unknown, at: number) => { controls: GameControl[]; wakeAt: number | null } {
  const seats = seatsOf(config).acceptors;
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

export const simulation: Simulation<Config, Row> = {
  title: 'Paxos',
  options: [
    { name: 'proposers', kind: 'int', min: LIMITS.proposers[0], max: LIMITS.proposers[1] },
    { name: 'acceptors', kind: 'int', min: LIMITS.acceptors[0], max: LIMITS.acceptors[1] },
    { name: 'learners', kind: 'int', min: LIMITS.learners[0], max: LIMITS.learners[1] },
    { name: 'crashes', kind: 'flag' },
    { name: 'mode', kind: 'choice', choices: ['strict', 'free'] },
  ],
  config: (loss, args) => ({
    ...defaultConfig,
    mode: (args.mode ?? 'strict') as Mode,
    ...(loss !== undefined && { captureRate: loss }),
    ...(args.proposers !== undefined && { proposers: Number(args.proposers) }),
    ...(args.acceptors !== undefined && { acceptors: Number(args.acceptors) }),
    ...(args.learners !== undefined && { learners: Number(args.learners) }),
  }),
  setup: (config, tableSeed, args) => ({
    ...(config.mode === 'free' && { players: { a1: forgetfulAcceptor } }),
    ...(args.crashes === true && { chaos: crashSchedule(tableSeed, config) }),
  }),
  row(r, table, seed) {
    const state = r.state as State;
    const v = verdict(state);
    // Messengers sent and ballots started before the moment a value was first chosen.
    let sent = 0;
    const ballots = new Set<string>();
    let untilChosen: { messengers: number; ballots: number } | null = null;
    for (const { event } of r.events) {
      const e = event as Event;
      if (e.type === 'messengerSent') {
        sent++;
        if (e.payload.type === 'prepare') ballots.add(showBallot(e.payload.ballot));
      } else if (e.type === 'valueChosen') {
        untilChosen = { messengers: sent, ballots: ballots.size };
        break;
      }
    }
    return {
      table,
      seed,
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
    };
  },
  report(rows, config, { tables, seed, args }) {
    const mode = config.mode;
    const chosen = rows.filter((r) => r.chosen !== null);
    const unsafe = rows.filter((r) => r.violations.length > 0);
    const lines = [
      `Paxos, ${mode} mode: ${plural(tables, 'table')} from seed ${seed}; ${plural(config.proposers, 'proposer')}, ${plural(config.acceptors, 'acceptor')}, ` +
        `${plural(config.learners, 'learner')}; loss ${config.captureRate}; crashes ${args.crashes ? 'on' : 'off'}` +
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
    return { lines, failed: mode === 'strict' && unsafe.length > 0 ? 'two values were chosen in strict mode — a safety bug' : null };
  },
};
