// Plays one game of any scenario in fake time, with bots in the seats it is given: the headless
// simulator, the property tests and the bots' own tests all drive games through this one loop.
import type { AnyScenario, GameControl, Refusal } from './scenario.ts';
import { BotDriver, type BotPlayer } from './bots.ts';

export interface SimOptions {
  /** Seats played by the scenario's own bots (default: every seat). */
  bots?: string[];
  /** Other players: given a seat's view and the time, the actions they take (a rule-breaking bot, say). */
  players?: Record<string, (view: unknown, at: number) => { actions: unknown[]; wakeAt: number | null }>;
  /** The host or the valley acting by hand: controls to apply at this moment, and when to ask again. */
  chaos?: (state: unknown, at: number) => { controls: GameControl[]; wakeAt: number | null };
  maxEvents?: number;
}

/** What made a step of a simulated game: a seat's action, the host's hand, or the valley's clock. */
export type SimCause = { type: 'seat'; seat: string; action: unknown } | { type: 'control'; control: GameControl } | { type: 'tick' };

export interface SimResult {
  state: unknown;
  events: { at: number; event: unknown }[];
  /** The same events grouped as they happened, each group with its cause (what a log's units record). */
  steps: { at: number; cause: SimCause; events: unknown[] }[];
  refusals: { seat: string; refusal: Refusal }[];
  endedAt: number;
}

export function simulate(sc: AnyScenario, config: unknown, seed: number, opts: SimOptions = {}, start = 0): SimResult {
  let state = sc.init(config, seed, start);
  let now = start;
  const events: { at: number; event: unknown }[] = [];
  const steps: SimResult['steps'] = [];
  const refusals: SimResult['refusals'] = [];
  const seats = sc.seatsFor(config);
  const bots = opts.bots ?? seats;
  const driver = new BotDriver(sc);
  const players = seats.flatMap((seat): [string, BotPlayer][] => {
    const p = opts.players?.[seat] ?? (bots.includes(seat) ? sc.bot : null);
    return p ? [[seat, p]] : [];
  });
  const max = opts.maxEvents ?? 20_000;
  const applyAll = (es: unknown[], cause: SimCause) => {
    if (es.length > 0) steps.push({ at: now, cause, events: es });
    for (const e of es) {
      state = sc.apply(state, e, now);
      events.push({ at: now, event: e });
    }
  };
  const take = (seat: string, action: unknown) => {
    const r = sc.decide(state, seat, action, now);
    if (r.ok) applyAll(r.events, { type: 'seat', seat, action });
    else refusals.push({ seat, refusal: r.refusal });
    return r.ok;
  };
  let chaosWake: number | null = opts.chaos ? start : null;
  while (!sc.ended(state) && events.length < max) {
    if (opts.chaos && chaosWake !== null && chaosWake <= now) {
      const c = opts.chaos(state, now);
      for (const control of c.controls) {
        const r = sc.control(state, control, now);
        if (r.ok) applyAll(r.events, { type: 'control', control });
      }
      chaosWake = c.wakeAt;
    }
    // Everyone acts on what they see until nobody has anything more to do at this moment.
    driver.play(
      () => state,
      players,
      now,
      take,
      () => events.length,
    );
    if (sc.ended(state)) break;
    const candidates = [sc.due(state) ?? Infinity, ...driver.wakesAfter(now)];
    if (chaosWake !== null && chaosWake > now) candidates.push(chaosWake);
    const next = Math.min(...candidates);
    if (!Number.isFinite(next)) break;
    now = Math.max(now, next);
    applyAll(sc.tick(state, now), { type: 'tick' });
  }
  return { state, events, steps, refusals, endedAt: now };
}
