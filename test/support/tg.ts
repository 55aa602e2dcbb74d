// Builders for Two Generals tests: short game states and a driver that plays events through the rules.
import { tg, twoGenerals, type Decision as Ruling } from '@valley/shared';

export type Event = tg.Event;
export type State = tg.State;

export function config(over: Partial<tg.Config> = {}): tg.Config {
  return { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, ...over };
}

/** A small game driver: act() goes through decide() and apply(); advance() runs the valley's clock. */
export class Game {
  state: State;
  now = 0;
  log: { at: number; event: Event }[] = [];
  constructor(over: Partial<tg.Config> = {}, seed = 7) {
    this.state = twoGenerals.init(config(over), seed, 0);
  }
  act(seat: string, action: tg.Action): Ruling<Event> {
    const r = twoGenerals.decide(this.state, seat, action, this.now);
    if (r.ok) this.applyAll(r.events);
    return r;
  }
  ok(seat: string, action: tg.Action): Event[] {
    const r = this.act(seat, action);
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
    return r.events;
  }
  applyAll(events: Event[]) {
    for (const e of events) {
      this.state = twoGenerals.apply(this.state, e, this.now);
      this.log.push({ at: this.now, event: e });
    }
  }
  /** Move the clock forward, firing every due valley event on the way, in order. */
  advance(ms: number) {
    const to = this.now + ms;
    for (;;) {
      const due = twoGenerals.due(this.state);
      if (due === null || due > to) break;
      this.now = Math.max(this.now, due);
      this.applyAll(twoGenerals.tick(this.state, this.now));
    }
    this.now = to;
  }
  propose(time = 6) {
    return this.ok('A', { type: 'sendMessenger', payload: { type: 'proposal', time } });
  }
  ack(seat: string, of: number) {
    return this.ok(seat, { type: 'sendMessenger', payload: { type: 'ack', of } });
  }
}
