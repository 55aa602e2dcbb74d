// A road level in `npm run simulate`: bot tables, counted per failure id. --crashes crashes seats
// (servers, the serializer, clients) at moments drawn from each table's seed and restarts only some
// of them, so `stuck` can happen.
import type { GameControl } from '../scenario.ts';
import { plural, stats, type Simulation } from '../simulation.ts';
import { uniform } from '../valley.ts';
import type { RoadScenario } from './engine.ts';
import { FAILURES, type FailureId, type RoadConfig, type RoadState } from './model.ts';

export interface RoadRow {
  table: number;
  seed: number;
  failures: FailureId[];
  servers: { seat: string; x: number; list: string[] }[];
  messengersSent: number;
  captured: number;
  endReason: string | null;
}

/** One to three crashes per table, at moments from its seed; about half the crashed seats come back. */
export function crashSchedule(tableSeed: number, seats: string[]): (state: unknown, at: number) => { controls: GameControl[]; wakeAt: number | null } {
  const count = 1 + Math.floor(uniform(tableSeed, 1, 201) * 3);
  const plan: { at: number; control: GameControl }[] = [];
  for (let k = 0; k < count; k++) {
    const seat = seats[Math.floor(uniform(tableSeed, k, 202) * seats.length)]!;
    const at = Math.floor(uniform(tableSeed, k, 203) * 20_000);
    plan.push({ at, control: { type: 'crash', seat } });
    if (uniform(tableSeed, k, 204) < 0.5) plan.push({ at: at + 3_000 + Math.floor(uniform(tableSeed, k, 205) * 20_000), control: { type: 'restart', seat } });
  }
  plan.sort((x, y) => x.at - y.at);
  let i = 0;
  return (_state, at) => {
    const controls: GameControl[] = [];
    for (; i < plan.length && plan[i]!.at <= at; i++) controls.push(plan[i]!.control);
    return { controls, wakeAt: plan[i]?.at ?? null };
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function roadSimulation<C extends RoadConfig>(sc: RoadScenario<C, any, any, any, any>, title: string): Simulation<C, RoadRow> {
  return {
    title,
    options: [{ name: 'crashes', kind: 'flag' }],
    config: (loss) => ({ ...sc.defaultConfig, ...(loss !== undefined && { captureRate: loss }) }),
    setup: (config, tableSeed, args) => {
      const crashable = Object.entries(sc.roles(config))
        .filter(([, r]) => r !== 'valley')
        .map(([s]) => s);
      // The valley seat has no bot of its own: in a simulation the seeded valley plays it.
      return args.crashes === true ? { chaos: crashSchedule(tableSeed, crashable) } : {};
    },
    row(r, table, seed) {
      const v = sc.verdict(r.state as RoadState<C>);
      return { table, seed, failures: v.failures, servers: v.servers, messengersSent: v.messengersSent, captured: v.captured, endReason: v.endReason };
    },
    report(rows, config, { tables, seed }) {
      const count = (id: FailureId) => rows.filter((r) => r.failures.includes(id)).length;
      return {
        lines: [
          `${title}: ${plural(tables, 'table')} from seed ${seed}; loss ${config.captureRate}, ${config.clients} client(s), ${config.servers} server(s)`,
          `no failure: ${rows.filter((r) => r.failures.length === 0).length}/${tables}`,
          ...FAILURES.map((id) => `${id.padEnd(15)} ${count(id)}/${tables}`),
          `messengers: ${stats(rows.map((r) => r.messengersSent))}`,
        ],
        // Failures are the lesson here, not bugs: a level's guarantees are checked by its property tests.
        failed: null,
      };
    },
  };
}
