// Builders for the tests of road levels 2 (acks) and 3 (two-clients): a table played by hand through the
// scenario's own rules (actions, the valley's clock, the host's controls), and random bot tables with the
// host's hands on top for the property tests.
import { expect } from 'vitest';
import fc from 'fast-check';
import { acks, simulate, type SimResult } from '@valley/shared';
import { Game } from './road.ts';

export type Config = typeof acks.defaultConfig;
export type State = ReturnType<typeof acks.init>;
export type View = ReturnType<typeof acks.view>;
/** A seat's own action (the valley's hands are the host's controls here). */
export type Action = Exclude<Parameters<typeof acks.decide>[2], { type: 'hold' | 'release' | 'capture' }>;
export type Sc = typeof acks;

/** Every messenger takes exactly one second and none is captured, unless a test captures it by hand. */
export const cfg = (p: Partial<Config> = {}): Config => ({ ...acks.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, valley: false, ...p });

/** A game played by hand (the road's Game), with this level's shorthands. */
export class Table extends Game<Sc> {
  constructor(sc: Sc, config: Config) {
    super(sc, config, 7);
  }
  /** The seat's action, which must go through. */
  ok(seat: string, action: Action) {
    const r = this.try(seat, action);
    expect(r, JSON.stringify(action)).toMatchObject({ ok: true });
    return r as { ok: true; events: { type: string }[] };
  }
  /** The seat's action, which must be refused under this rule, changing nothing. */
  refused(seat: string, action: Action, rule: string) {
    const before = this.state;
    const r = this.try(seat, action);
    expect(r.ok ? null : r.refusal.rule).toBe(rule);
    expect(this.state).toBe(before);
    return r as { ok: false; refusal: { rule: string; evidence: Record<string, string | number> } };
  }
  override view(seat: string): View {
    return this.sc.view(this.state, seat);
  }
  /** The newest messenger that reached a seat. */
  last(seat: string) {
    const m = this.state.messengers.filter((x) => x.to === seat && x.status === 'delivered').at(-1);
    if (!m) throw new Error(`nothing reached ${seat}`);
    return m.n;
  }
  failures() {
    return this.verdict.failures;
  }
  executed(server: string) {
    return this.state.servers[server]!.executed.map((e) => `${e.client}#${e.pos + 1}`);
  }
}

/** C1 sends its first command, S1 executes it and the acknowledgement crosses back. */
export function firstRound(t: Table) {
  t.ok('C1', { type: 'send' });
  t.wait(1000);
  t.ok('S1', { type: 'execute', n: t.last('S1') });
}

import { chaosOf } from './road.ts';
export { chaosOf, replay, type Chaos } from './road.ts';

export const chaos = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 30_000 }),
    kind: fc.constantFrom('crash', 'restart', 'hold', 'release', 'capture', 'capture'),
    target: fc.nat(),
  }),
  { maxLength: 6 },
);

/** A random bot table: its valley, timers, rules mode and the host's hands; games run to a short deadline at most. */
export const table = (servers: fc.Arbitrary<number>, maxDeadlineMs = 40_000) =>
  fc.record({
    seed: fc.nat(),
    captureRate: fc.constantFrom(0, 0.1, 0.25, 0.4, 0.6),
    delayMinMs: fc.integer({ min: 100, max: 3000 }),
    spread: fc.integer({ min: 0, max: 4000 }),
    resendMs: fc.integer({ min: 2000, max: 9000 }),
    servers,
    mode: fc.constantFrom('strict', 'free'),
    deadlineMs: fc.integer({ min: 20_000, max: maxDeadlineMs }),
    chaos,
  });
export type RandomTable = typeof table extends (...a: never[]) => fc.Arbitrary<infer T> ? T : never;

export function play(sc: typeof acks, t: RandomTable, extra: Partial<Config>): SimResult {
  const config: Config = {
    ...sc.defaultConfig,
    captureRate: t.captureRate,
    delayMinMs: t.delayMinMs,
    delayMaxMs: t.delayMinMs + t.spread,
    resendMs: t.resendMs,
    servers: t.servers,
    mode: t.mode,
    deadlineMs: t.deadlineMs,
    valley: false,
    ...extra,
  };
  const seats = sc.seatsFor(config).filter((s) => s !== 'V');
  return simulate(sc, config, t.seed, t.chaos.length > 0 ? { chaos: chaosOf(t.chaos, seats) } : {});
}

/** What every game of both levels keeps: the bots break no rule, and acknowledgements mean executed. */
export function checkFaithful(sc: typeof acks, r: SimResult) {
  const s = r.state as State;
  expect(s.status).toBe('ended');
  expect(r.refusals).toEqual([]);
  expect(s.broken).toEqual([]);
  expect(sc.verdict(s as never).failures).not.toContain('lost');
}

export const twice = (sc: typeof acks, r: SimResult) => sc.verdict(r.state as never).failures.includes('executed-twice');
