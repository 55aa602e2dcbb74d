// Helpers for the road's tests: a level's game driven by hand (decide + apply, failing loudly on a
// refusal the test did not expect), and many random schedules of bot games for property tests.
import { deriveSeed, simulate, uniform, type GameControl, type road, type SimOptions } from '@valley/shared';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoad = road.RoadScenario<any, any, any, any, any>;

/** A game of a level played step by step: act() as a seat, control() as the host, wait() for the valley. */
export class Game<S extends AnyRoad> {
  state: ReturnType<S['init']>;
  now = 0;
  constructor(
    readonly sc: S,
    config: Partial<S['defaultConfig']> = {},
    seed = 1,
  ) {
    this.state = sc.init({ ...sc.defaultConfig, ...config }, seed, 0) as ReturnType<S['init']>;
  }
  private run(d: { ok: true; events: unknown[] } | { ok: false; refusal: { rule: string; evidence: Record<string, string | number> } }) {
    if (d.ok) for (const e of d.events) this.state = this.sc.apply(this.state, e, this.now) as ReturnType<S['init']>;
    return d;
  }
  /** The seat's action; returns the decision (ok, or the refusal). */
  try(seat: string, action: unknown) {
    return this.run(this.sc.decide(this.state, seat, action, this.now));
  }
  act(seat: string, action: unknown) {
    const d = this.try(seat, action);
    if (!d.ok) throw new Error(`${seat} ${JSON.stringify(action)} refused: ${d.refusal.rule} ${JSON.stringify(d.refusal.evidence)}`);
    return d.events;
  }
  control(c: GameControl) {
    return this.run(this.sc.control(this.state, c, this.now));
  }
  /** Let time pass: everything due by then happens (deliveries, captures, the end). */
  wait(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = this.sc.due(this.state);
      if (due === null || due > until) break;
      this.now = Math.max(this.now, due);
      const events = this.sc.tick(this.state, this.now);
      if (events.length === 0) break;
      for (const e of events) this.state = this.sc.apply(this.state, e, this.now) as ReturnType<S['init']>;
    }
    this.now = Math.max(this.now, until);
  }
  view(seat: string) {
    return this.sc.view(this.state, seat);
  }
  get verdict() {
    return this.sc.verdict(this.state);
  }
  /** The messengers that reached a seat and are not dealt with. */
  fresh(seat: string) {
    return this.view(seat).inbox.filter((m) => !m.handled);
  }
}

export interface Schedule {
  seed: number;
  config: road.RoadConfig;
  crashes: boolean;
}

/**
 * `count` random schedules of all-bot games: each with its own seed, capture rate and delays (`fixed`
 * overrides them), and
 * (when `crash` allows it) crashes of some seats at random moments, some restarted. Returns each
 * schedule with its final verdict.
 */
export function schedules(
  sc: AnyRoad,
  count: number,
  opts: { base?: Partial<road.RoadConfig>; fixed?: Partial<road.RoadConfig>; crash?: (seat: string) => boolean; seed?: number } = {},
) {
  const out: { schedule: Schedule; verdict: road.RoadVerdict; state: road.RoadState }[] = [];
  const seed0 = opts.seed ?? 7;
  for (let i = 0; i < count; i++) {
    const seed = deriveSeed(seed0, i);
    const u = (k: number) => uniform(seed, i, 300 + k);
    const delayMinMs = Math.floor(u(1) * 1500);
    const config = {
      ...sc.defaultConfig,
      ...opts.base,
      captureRate: Math.round(u(0) * 50) / 100,
      delayMinMs,
      delayMaxMs: delayMinMs + Math.floor(u(2) * 3000),
      valley: false,
      ...opts.fixed,
    } as road.RoadConfig;
    const crashable = opts.crash ? sc.seatsFor(config).filter(opts.crash) : [];
    const crashes = crashable.length > 0 && u(3) < 0.5;
    const sim: SimOptions = crashes ? { chaos: crashPlan(seed, crashable) } : {};
    const r = simulate(sc, config, seed, sim);
    out.push({ schedule: { seed, config, crashes }, verdict: sc.verdict(r.state as never), state: r.state as road.RoadState });
  }
  return out;
}

function crashPlan(seed: number, seats: string[]) {
  const plan: { at: number; control: GameControl }[] = [];
  const n = 1 + Math.floor(uniform(seed, 0, 401) * 2);
  for (let k = 0; k < n; k++) {
    const seat = seats[Math.floor(uniform(seed, k, 402) * seats.length)]!;
    const at = Math.floor(uniform(seed, k, 403) * 15_000);
    plan.push({ at, control: { type: 'crash', seat } });
    if (uniform(seed, k, 404) < 0.5) plan.push({ at: at + 2000 + Math.floor(uniform(seed, k, 405) * 10_000), control: { type: 'restart', seat } });
  }
  plan.sort((a, b) => a.at - b.at);
  let i = 0;
  return (_s: unknown, at: number) => {
    const controls: GameControl[] = [];
    for (; i < plan.length && plan[i]!.at <= at; i++) controls.push(plan[i]!.control);
    return { controls, wakeAt: plan[i]?.at ?? null };
  };
}

/** A scripted hand of the host and the valley: crash or restart a seat, or hold, release or capture a messenger. */
export type Chaos = { at: number; kind: 'crash' | 'restart' | 'hold' | 'release' | 'capture'; target: number };

/** fast-check's seed and path to replay one failing run (VALLEY_FC_SEED, VALLEY_FC_PATH). */
export const replay = process.env.VALLEY_FC_SEED ? { seed: Number(process.env.VALLEY_FC_SEED), path: process.env.VALLEY_FC_PATH } : {};

/** The host's hands as a script over time; targets are picked among what exists at that moment. */
export function chaosOf(script: Chaos[], seats: string[]) {
  const todo = [...script].sort((x, y) => x.at - y.at);
  let i = 0;
  return (raw: unknown, at: number): { controls: GameControl[]; wakeAt: number | null } => {
    const s = raw as road.RoadState;
    const controls: GameControl[] = [];
    for (; i < todo.length && todo[i]!.at <= at; i++) {
      const c = todo[i]!;
      if (c.kind === 'crash' || c.kind === 'restart') {
        controls.push({ type: c.kind, seat: seats[c.target % seats.length]! });
        continue;
      }
      const wanted = c.kind === 'hold' ? ['inFlight'] : c.kind === 'release' ? ['held'] : ['inFlight', 'held'];
      const ms = s.messengers.filter((x) => wanted.includes(x.status));
      if (ms.length > 0) controls.push({ type: c.kind, n: ms[c.target % ms.length]!.n });
    }
    return { controls, wakeAt: todo[i]?.at ?? null };
  };
}
