// The valley: a seeded model of the network between seats. A messenger's fate depends only on
// (seed, messenger number) and the settings, never on timing, so a game replays exactly.
import { refuse, type Decision } from './scenario.ts';

export interface ValleySettings {
  /** Probability in [0, 1] that a messenger is captured. */
  captureRate: number;
  /** Crossing time range, inclusive, in milliseconds. */
  delayMinMs: number;
  delayMaxMs: number;
  /**
   * Slow motion: every crossing takes this many times as long (one of SLOW_MOTION; absent: 1), so a
   * class can follow a messenger and the valley can catch it. The same seed gives the same fates.
   */
  slowMotion?: number;
  /** With a valley seat: it stops every messenger for its decision (valley-hands.ts; absent: no). */
  stopEach?: boolean;
}

/** The slow-motion factors a table may play at. */
export const SLOW_MOTION = [1, 3, 5] as const;

export const defaultValley: ValleySettings = { captureRate: 0.3, delayMinMs: 1000, delayMaxMs: 3000 };

/** Where a messenger ends and how long after it was sent: delivered, or captured midway. */
export type Fate = { type: 'delivered'; afterMs: number } | { type: 'captured'; afterMs: number };

// murmur3's finaliser: a cheap, well-mixed 32-bit hash step.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) that is a pure function of its three integer inputs. */
export function uniform(seed: number, n: number, stream: number): number {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(n >>> 0, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(stream + 1, 0x1b873593));
  return h / 0x1_0000_0000;
}

export function messengerFate(seed: number, n: number, s: ValleySettings): Fate {
  const span = Math.max(0, s.delayMaxMs - s.delayMinMs);
  // The draw is the same at every speed: slow motion stretches the crossing, it changes no fate.
  const delay = (s.delayMinMs + Math.floor(uniform(seed, n, 1) * (span + 1))) * (s.slowMotion ?? 1);
  if (uniform(seed, n, 0) < s.captureRate) {
    // The enemy catches the messenger halfway across the valley.
    return { type: 'captured', afterMs: Math.floor(delay / 2) };
  }
  return { type: 'delivered', afterMs: delay };
}

/** A game seed derived from a session seed and the game's number, for tables that play many games. */
export function deriveSeed(seed: number, index: number): number {
  return fmix32((seed >>> 0) ^ fmix32(index + 0x51ed27));
}

/** The rules of a game's clock, which every scenario shares. */
export const CLOCK_RULES = { notRunning: 'game/not-running', notPaused: 'game/not-paused' } as const;

export type ClockEvent = { type: 'paused' } | { type: 'resumed' };

/**
 * The host's hand on a game's clock: pause a running game, resume a paused one, end one not yet over
 * (`end` gives the scenario's own closing events). Null for any other control: the scenario's own.
 */
export function clockControl<E>(state: { status: string }, c: { type: string }, end: () => E[]): Decision<E | ClockEvent> | null {
  if (c.type !== 'pause' && c.type !== 'resume' && c.type !== 'end') return null;
  const status = { status: state.status };
  if (state.status === 'ended') return refuse(CLOCK_RULES.notRunning, status);
  if (c.type === 'pause') return state.status === 'running' ? { ok: true, events: [{ type: 'paused' }] } : refuse(CLOCK_RULES.notRunning, status);
  if (c.type === 'resume') return state.status === 'paused' ? { ok: true, events: [{ type: 'resumed' }] } : refuse(CLOCK_RULES.notPaused, status);
  return { ok: true, events: end() };
}

interface Paused<M> {
  status: string;
  pausedAt: number | null;
  deadlineAt: number;
  messengers: M[];
}

/**
 * Resuming a paused game: time stood still in the valley, so the deadline, every messenger still
 * crossing and the limit of every messenger the valley stopped move later by the length of the pause.
 */
export function resumeClock<M extends { status: string; endsAt: number; heldUntil?: number | null }, S extends Paused<M>>(state: S, at: number): S {
  const shift = at - (state.pausedAt ?? at);
  return {
    ...state,
    status: 'running',
    pausedAt: null,
    deadlineAt: state.deadlineAt + shift,
    messengers: state.messengers.map((m) =>
      m.status === 'inFlight'
        ? { ...m, endsAt: m.endsAt + shift }
        : m.status === 'held' && m.heldUntil !== undefined && m.heldUntil !== null
          ? { ...m, heldUntil: m.heldUntil + shift }
          : m,
    ),
  };
}

/** Where messenger `n` is in a game's list: numbers count from 1 in order, so at n - 1 unless the list is unusual. */
export function messengerIndex(list: readonly { n: number }[], n: number): number {
  return list[n - 1]?.n === n ? n - 1 : list.findIndex((m) => m.n === n);
}

/**
 * The list with messenger `n` changed (a copy: states are never changed in place). Long games have
 * hundreds of messengers and each one's arrival changes one: a copy and one new record, found at once.
 */
export function withMessenger<M extends { n: number }>(list: readonly M[], n: number, p: Partial<M>): readonly M[] {
  const i = messengerIndex(list, n);
  if (i < 0) return list;
  const out = list.slice();
  out[i] = { ...out[i]!, ...p };
  return out;
}

/**
 * A messenger's primary facts, as the checker reads them from any scenario: sent (with the fate the
 * valley gave it), then held and released by hand, and ended once — delivered, captured or lost.
 */
export type MessengerFact = { kind: 'sent'; n: number; fate: Fate } | { kind: 'delivered' | 'captured' | 'lost' | 'held' | 'released'; n: number };

const FACT_OF: Record<string, MessengerFact['kind'] | undefined> = {
  messengerSent: 'sent',
  messengerDelivered: 'delivered',
  messengerCaptured: 'captured',
  messengerLost: 'lost',
  messengerHeld: 'held',
  messengerReleased: 'released',
};

/** The messenger fact of an event named as every scenario names them (`messengerSent`, …), or null. */
export function messengerFact(event: { type: string }): MessengerFact | null {
  const kind = FACT_OF[event.type];
  if (!kind) return null;
  const e = event as unknown as { n: number; fate?: Fate };
  return kind === 'sent' ? { kind, n: e.n, fate: e.fate! } : { kind, n: e.n };
}
