// The valley's hands: what a student playing the valley (or the host) may do to a messenger crossing —
// hold it, let it go on, capture it — and "stop every messenger": each one sent waits at the valley for
// its decision, and goes on by itself once STOP_LIMIT_MS have passed. One implementation for every
// scenario with a valley seat (Two Generals, Paxos, the road's levels): their rules call these.
import { refuse, type Decision } from './scenario.ts';
import { messengerIndex } from './valley.ts';

/** How long a messenger the valley stopped waits for its decision before it goes on by itself. */
export const STOP_LIMIT_MS = 20_000;

/** What the valley's hands may do: the same three moves for the valley seat and for the host. */
export type ValleyAction = { type: 'hold'; n: number } | { type: 'release'; n: number } | { type: 'capture'; n: number };

/** The facts the hands write: `until` is when a stopped messenger goes on by itself (null: held by hand, until let go). */
export type HandEvent =
  { type: 'messengerHeld'; n: number; until: number | null } | { type: 'messengerReleased'; n: number } | { type: 'messengerCaptured'; n: number };

/** What the hands need of a messenger. */
export interface Crossing {
  n: number;
  status: string;
  endsAt: number;
  /** When a messenger the valley stopped goes on by itself (null: held by hand, or not held). */
  heldUntil: number | null;
}

export const isHand = (a: { type: string }): a is ValleyAction => a.type === 'hold' || a.type === 'release' || a.type === 'capture';

/** Whether a messenger is still on its way: crossing, or held in the valley. */
export const crossing = (m: { status: string }) => m.status === 'inFlight' || m.status === 'held';

/**
 * One of the valley's moves on messenger n: hold one crossing, let one held go on, capture one on its
 * way. Anything else is refused with `notInFlight` (the scenario's own rule id) and the number.
 */
export function valleyHand(messengers: readonly Crossing[], a: ValleyAction, notInFlight: string): Decision<HandEvent> {
  const m = messengers[messengerIndex(messengers, a.n)];
  switch (a.type) {
    case 'hold':
      return m?.status === 'inFlight' ? { ok: true, events: [{ type: 'messengerHeld', n: m.n, until: null }] } : refuse(notInFlight, { n: a.n });
    case 'release':
      return m?.status === 'held' ? { ok: true, events: [{ type: 'messengerReleased', n: m.n }] } : refuse(notInFlight, { n: a.n });
    case 'capture':
      return m && crossing(m) ? { ok: true, events: [{ type: 'messengerCaptured', n: m.n }] } : refuse(notInFlight, { n: a.n });
  }
}

/**
 * Stop every messenger: with it on, each messenger these events send is held at the valley the moment
 * it leaves (a messengerHeld line right after its messengerSent, so the log says so), until `at +
 * STOP_LIMIT_MS` at the latest. With it off, the events as they are.
 */
export function stopEach<E extends { type: string }>(on: boolean, events: E[], at: number): (E | HandEvent)[] {
  if (!on || !events.some((e) => e.type === 'messengerSent')) return events;
  return events.flatMap((e) =>
    e.type === 'messengerSent' ? [e, { type: 'messengerHeld' as const, n: (e as unknown as { n: number }).n, until: at + STOP_LIMIT_MS }] : [e],
  );
}

/** A held messenger's record: its limit, if the valley stopped it. */
export const heldPatch = (until: number | null | undefined) => ({ status: 'held' as const, heldUntil: until ?? null });

/** A released messenger's record: on its way again; one whose crossing time has passed arrives at once. */
export const releasedPatch = (m: Crossing | undefined, at: number) => ({ status: 'inFlight' as const, endsAt: Math.max(m?.endsAt ?? at, at), heldUntil: null });

/** The stopped messengers whose limit has come by `at` (before the deadline): each goes on by itself. */
export function releasesDue(messengers: readonly Crossing[], at: number, deadlineAt: number): HandEvent[] {
  const out: HandEvent[] = [];
  for (const m of messengers)
    if (m.status === 'held' && m.heldUntil !== null && m.heldUntil <= at && m.heldUntil < deadlineAt) out.push({ type: 'messengerReleased', n: m.n });
  return out;
}

/** The next moment, before `next`, that a messenger arrives or a stopped one goes on by itself. */
export function nextCrossing(messengers: readonly Crossing[], next: number): number {
  for (const m of messengers) {
    if (m.status === 'inFlight' && m.endsAt < next) next = m.endsAt;
    if (m.status === 'held' && m.heldUntil !== null && m.heldUntil < next) next = m.heldUntil;
  }
  return next;
}

/** How many messengers the valley still holds: at the end of a game, those that never arrived because of it. */
export const heldCount = (messengers: readonly { status: string }[]) => messengers.reduce((k, m) => k + (m.status === 'held' ? 1 : 0), 0);
