// Builders for Paxos tests: short game states and a driver that plays actions, the valley's clock and
// the host's controls through the scenario's own rules.
import { paxos, px, type Decision as Ruling, type GameControl } from '@valley/shared';

export type Event = px.Event;
export type State = px.State;
export type Action = px.Action;

export const R = px.PAXOS_RULES;

/** A quiet valley: nothing captured, every crossing takes exactly one second. */
export function config(over: Partial<px.Config> = {}): px.Config {
  return { ...px.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, ...over };
}

/** A ballot from its printed form: b('4.A') is round 4 of proposer A. */
export function b(label: string): px.Ballot {
  const [round, proposer] = label.split('.');
  return { round: Number(round), proposer: proposer! };
}

/** An acceptor's card with defaults: acceptor({ promised: b('4.A') }). */
export function acceptor(over: Partial<px.Acceptor> = {}): px.Acceptor {
  return { promised: null, acceptedBallot: null, acceptedValue: null, crashed: false, ...over };
}

export const DELAY = 1000;

/** A small game driver: act() goes through decide() and apply(); advance() runs the valley's clock. */
export class Game {
  state: State;
  now = 0;
  log: { at: number; event: Event }[] = [];
  constructor(over: Partial<px.Config> = {}, seed = 7) {
    this.state = paxos.init(config(over), seed, 0);
  }
  act(seat: string, action: Action): Ruling<Event> {
    const r = paxos.decide(this.state, seat, action, this.now);
    if (r.ok) this.applyAll(r.events);
    return r;
  }
  /** act() that must be allowed: returns its events, throws with the refusal otherwise. */
  ok(seat: string, action: Action): Event[] {
    const r = this.act(seat, action);
    if (!r.ok) throw new Error(`${seat} ${action.type} refused: ${JSON.stringify(r.refusal)}`);
    return r.events;
  }
  control(c: GameControl): Ruling<Event> {
    const r = paxos.control(this.state, c, this.now);
    if (r.ok) this.applyAll(r.events);
    return r;
  }
  /** An acceptor's card: its promise and accepted proposal. */
  card(seat: string): px.Acceptor {
    const a = this.state.acceptors[seat];
    if (!a) throw new Error(`no acceptor ${seat}`);
    return a;
  }
  /** Set an acceptor's card directly (a state builder): g.set('a1', { promised: b('4.A') }). */
  set(seat: string, over: Partial<px.Acceptor>) {
    this.state = { ...this.state, acceptors: { ...this.state.acceptors, [seat]: acceptor({ ...this.state.acceptors[seat], ...over }) } };
  }
  applyAll(events: Event[]) {
    for (const e of events) {
      this.state = paxos.apply(this.state, e, this.now);
      this.log.push({ at: this.now, event: e });
    }
  }
  /** Move the clock forward, firing every due valley event on the way, in order. */
  advance(ms: number) {
    const to = this.now + ms;
    for (;;) {
      const due = paxos.due(this.state);
      if (due === null || due > to) break;
      this.now = Math.max(this.now, due);
      this.applyAll(paxos.tick(this.state, this.now));
      if (paxos.ended(this.state)) break;
    }
    this.now = to;
  }
  /** Events logged since a mark (the log's length before some step). */
  since(mark: number): Event[] {
    return this.log.slice(mark).map((x) => x.event);
  }
  messenger(n: number): px.Messenger {
    const m = this.state.messengers.find((x) => x.n === n);
    if (!m) throw new Error(`no messenger ${n}`);
    return m;
  }
  /** The numbers of messengers of one kind that reached a seat, in order. */
  inbox(seat: string, type?: px.Payload['type']): number[] {
    return this.state.messengers.filter((m) => m.to === seat && m.status === 'delivered' && (!type || m.payload.type === type)).map((m) => m.n);
  }
  /** The last delivered messenger of a kind at a seat (the one a test usually means to answer). */
  last(seat: string, type: px.Payload['type']): number {
    const n = this.inbox(seat, type).at(-1);
    if (n === undefined) throw new Error(`nothing of type ${type} reached ${seat}`);
    return n;
  }

  // Steps of the protocol, each one allowed (they throw if refused) and each followed by one crossing.

  prepare(seat: string, round: number, to: string[]) {
    return this.ok(seat, { type: 'prepare', round, to });
  }
  /** Each acceptor promises the latest Prepare that reached it. */
  promise(...acceptors: string[]) {
    for (const a of acceptors) this.ok(a, { type: 'promise', n: this.last(a, 'prepare') });
  }
  propose(seat: string, round: number, value: string, to: string[]) {
    return this.ok(seat, { type: 'accept', round, value, to });
  }
  /** Each acceptor accepts the latest Accept that reached it. */
  acceptLast(...acceptors: string[]) {
    for (const a of acceptors) this.ok(a, { type: 'acceptProposal', n: this.last(a, 'accept') });
  }
  /** Phase 1 of a ballot, whole: prepare to these acceptors, they promise, the promises come back. */
  phase1(seat: string, round: number, acceptors: string[]) {
    this.prepare(seat, round, acceptors);
    this.advance(DELAY);
    this.promise(...acceptors);
    this.advance(DELAY);
  }
  /** Phase 2 of a ballot, whole: propose, they accept, the Accepted messengers arrive. */
  phase2(seat: string, round: number, value: string, acceptors: string[]) {
    this.propose(seat, round, value, acceptors);
    this.advance(DELAY);
    this.acceptLast(...acceptors);
    this.advance(DELAY);
  }
}

/** The values chosen, recomputed from scratch from every Accepted ever recorded (independent of the marker). */
export function chosenValues(s: State, accepted: { acceptor: string; ballot: px.Ballot; value: string }[]): string[] {
  const by = new Map<string, Set<string>>();
  for (const a of accepted) {
    const key = `${px.showBallot(a.ballot)}|${a.value}`;
    by.set(key, (by.get(key) ?? new Set()).add(a.acceptor));
  }
  const need = px.quorum(s.config);
  return [...new Set([...by].filter(([, accs]) => accs.size >= need).map(([k]) => k.slice(k.indexOf('|') + 1)))];
}

/** Every `accepted` event in a log. */
export function acceptedIn(events: readonly unknown[]): { acceptor: string; ballot: px.Ballot; value: string }[] {
  return events.flatMap((e) => {
    const ev = ((e as { event?: Event }).event ?? e) as Event;
    return ev.type === 'accepted' ? [{ acceptor: ev.acceptor, ballot: ev.ballot, value: ev.value }] : [];
  });
}
