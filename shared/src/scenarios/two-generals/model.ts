// Two Generals: the state, actions and events of one game between General A and General B.
import type { Fate, ValleySettings } from '../../valley.ts';
import type { GameStatus } from '../../scenario.ts';
import type { ValleyAction } from '../../valley-hands.ts';

export const SEATS = ['A', 'B'] as const;
export type General = (typeof SEATS)[number];
/** The valley seat: a student who holds, lets go or captures the generals' messengers by hand. */
export const VALLEY = 'V';

/** An attack time is an hour of the day, 0–23, shown as "06:00". */
export type AttackTime = number;

export const NOTE_MAX = 140;
/** How many messengers a bot general may be told to send: at least one, at most this many. */
export const BOT_BUDGET = { min: 1, max: 50 } as const;

export type Payload = { type: 'proposal'; time: AttackTime } | { type: 'ack'; of: number } | { type: 'note'; text: string };

export type Decision = { type: 'attack'; time: AttackTime } | { type: 'hold' };

/** A decision as recorded: when it was made, and whether the deadline made it (silence means hold). */
export type Committed = Decision & { at: number; byDeadline: boolean };

export interface Config extends ValleySettings {
  /** How long the generals have, from the start, to commit. */
  deadlineMs: number;
  /** How many messengers a bot general sends at most. */
  botBudget: number;
  /** A student plays the valley between the generals (seat V): holds, lets go or captures messengers. */
  valley?: boolean;
}

export const defaultConfig: Config = {
  captureRate: 0.3,
  delayMinMs: 1000,
  delayMaxMs: 3000,
  deadlineMs: 120_000,
  botBudget: 5,
};

export type MessengerStatus = 'inFlight' | 'held' | 'delivered' | 'captured';

export interface Messenger {
  n: number;
  from: General;
  to: General;
  payload: Payload;
  sentAt: number;
  fate: Fate;
  /** When it arrives or is captured; moved later by a pause. */
  endsAt: number;
  status: MessengerStatus;
  /** When a messenger the valley stopped goes on by itself (null: held by hand, or not held). */
  heldUntil: number | null;
}

export type Outcome = 'victory' | 'noBattle' | 'defeat';
export type EndReason = 'allCommitted' | 'deadline' | 'host';

export interface State extends GameStatus {
  config: Config;
  seed: number;
  messengers: Messenger[];
  decisions: Record<General, Committed | null>;
  outcome: Outcome | null;
  endReason: EndReason | null;
}

export type Action = { type: 'sendMessenger'; payload: Payload } | { type: 'commit'; decision: Decision } | ValleyAction;

export type Event =
  | { type: 'messengerSent'; n: number; from: General; to: General; payload: Payload; fate: Fate }
  | { type: 'messengerDelivered'; n: number }
  | { type: 'messengerCaptured'; n: number }
  | { type: 'messengerHeld'; n: number; until: number | null }
  | { type: 'messengerReleased'; n: number }
  | { type: 'committed'; seat: General; decision: Decision; byDeadline: boolean }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'gameEnded'; outcome: Outcome; reason: EndReason };

export const other = (g: General): General => (g === 'A' ? 'B' : 'A');
export const isGeneral = (s: string): s is General => s === 'A' || s === 'B';
/** The seats of a table with these settings: the two generals, and the valley if a student plays it. */
export const seatsOf = (c: Pick<Config, 'valley'>): string[] => (c.valley ? [...SEATS, VALLEY] : [...SEATS]);
export const formatTime = (t: AttackTime): string => `${String(t).padStart(2, '0')}:00`;
