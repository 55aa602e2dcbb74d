// The road to Paxos: the model every level shares. Servers replicate one number x; each client has a
// short script of commands to have executed (x+1, x×2, x=5, …); every message is a messenger across
// the valley. A level (shared/src/scenarios/<id>/) is a protocol over this model: what each seat may
// send and do, and what it remembers. Failures are recomputed from the primary facts (failures.ts).
import type { Fate, ValleySettings } from '../valley.ts';
import type { GameStatus } from '../scenario.ts';
import type { Label } from '../diagram.ts';
import type { ValleyAction } from '../valley-hands.ts';

/** The commands a client's script may hold: a small list, so a class can follow x in their heads. */
export const OPS = ['x+1', 'x+2', 'x-1', 'x*2', 'x*3', 'x=5', 'x=0'] as const;
export type Op = (typeof OPS)[number];

export const isOp = (s: unknown): s is Op => typeof s === 'string' && (OPS as readonly string[]).includes(s);

/** x after executing one command. */
export function run(x: number, op: Op): number {
  const k = Number(op.slice(op.search(/\d/)));
  if (op.startsWith('x=')) return k;
  if (op[1] === '+') return x + k;
  if (op[1] === '-') return x - k;
  return x * k;
}

/** A command as the class writes it: x+1, x×2, x=5. */
export const showOp = (op: Op) => op.replace('*', '×');

export type Mode = 'strict' | 'free';
export type Role = 'client' | 'server' | 'serializer' | 'valley';

export const LIMITS = { clients: [1, 3], servers: [1, 3], script: [1, 5], start: [-99, 99] } as const;
/** A student's one-line answer to "What would you change?", in characters. */
export const REFLECTION_MAX = 120;
/** How long a messenger the valley stopped waits for its decision before it goes on by itself (every scenario's). */
export { STOP_LIMIT_MS } from '../valley-hands.ts';

export interface RoadConfig extends ValleySettings {
  clients: number;
  servers: number;
  /** The value every server starts with. */
  start: number;
  /** Each client's commands, in order: scripts[0] is C1's. Only the first `clients` are used. */
  scripts: Op[][];
  mode: Mode;
  deadlineMs: number;
  /** A student plays the valley: holds, releases (in any order) or captures messengers by hand. */
  valley: boolean;
  /** The valley stops every messenger for its decision (it goes on by itself after STOP_LIMIT_MS). */
  stopEach: boolean;
  /** How long a bot client waits for an answer before it sends again. */
  resendMs: number;
}

export const roadDefaults: RoadConfig = {
  captureRate: 0.2,
  delayMinMs: 1000,
  delayMaxMs: 3000,
  clients: 1,
  servers: 1,
  start: 1,
  scripts: [
    ['x+1', 'x+1', 'x*2'],
    ['x*2', 'x+1'],
    ['x=5', 'x+1'],
  ],
  mode: 'strict',
  deadlineMs: 240_000,
  valley: true,
  stopEach: false,
  resendMs: 7000,
};

export const clientIds = (c: Pick<RoadConfig, 'clients'>) => Array.from({ length: c.clients }, (_, i) => `C${i + 1}`);
export const serverIds = (c: Pick<RoadConfig, 'servers'>) => Array.from({ length: c.servers }, (_, i) => `S${i + 1}`);
export const SERIALIZER = 'Z';
export const VALLEY = 'V';

/** One command instance: a client's command at a position of its script (from 0). */
export interface Instance {
  client: string;
  pos: number;
}
export const instanceKey = (i: Instance) => `${i.client}#${i.pos + 1}`;
export const sameInstance = (a: Instance, b: Instance) => a.client === b.client && a.pos === b.pos;

export type MessengerStatus = 'inFlight' | 'held' | 'delivered' | 'captured' | 'lost';

export interface Messenger<P> {
  n: number;
  from: string;
  to: string;
  payload: P;
  sentAt: number;
  fate: Fate;
  endsAt: number;
  status: MessengerStatus;
  /** When a messenger the valley stopped goes on by itself (null: held by hand, or not held). */
  heldUntil: number | null;
  /** The messenger this one answers, if any. */
  answers: number | null;
}

export interface Executed extends Instance {
  op: Op;
  at: number;
  /** The messenger that carried it. */
  n: number;
}

export interface Server {
  x: number;
  executed: Executed[];
}

export interface RoadState<C extends RoadConfig = RoadConfig, P = unknown, M = unknown> extends GameStatus {
  config: C;
  seed: number;
  messengers: Messenger<P>[];
  servers: Record<string, Server>;
  /** Per client, the positions of its script it is done with (it believes them executed), in order. */
  done: Record<string, number[]>;
  /** Per seat, what it remembers of its protocol (a level's own): kept through a crash. */
  mem: Record<string, M>;
  /** Per seat, the messengers that reached it which it has dealt with. */
  handled: Record<string, number[]>;
  /** Seats down now, since when; and every time a seat was down (to, null while it still is). */
  down: Record<string, number>;
  outages: { seat: string; from: number; to: number | null }[];
  /** Per seat, how many messengers it has sent and received: what a bot's attention follows. */
  traffic: Record<string, number>;
  broken: { seat: string; rule: string; evidence: Record<string, string | number>; at: number }[];
  /** Before play, each seat's one-tap guess: will the servers end up agreeing? */
  predictions: Record<string, boolean>;
  /** After a failure, each seat's one line: what would you change? */
  reflections: Record<string, string>;
  /** Whether the host has shown the class what the next level changes. */
  revealed: boolean;
  endReason: 'finished' | 'deadline' | 'host' | null;
}

export type CoreEvent<P, M> =
  | { type: 'messengerSent'; n: number; from: string; to: string; payload: P; fate: Fate; answers: number | null }
  | { type: 'messengerDelivered'; n: number }
  | { type: 'messengerCaptured'; n: number }
  | { type: 'messengerLost'; n: number }
  | { type: 'messengerHeld'; n: number; until: number | null }
  | { type: 'messengerReleased'; n: number }
  | { type: 'executed'; server: string; client: string; pos: number; op: Op; n: number }
  | { type: 'done'; client: string; pos: number }
  | { type: 'handled'; seat: string; n: number }
  | { type: 'noted'; seat: string; mem: Partial<M> }
  | { type: 'ruleBroken'; seat: string; rule: string; evidence: Record<string, string | number> }
  | { type: 'predicted'; seat: string; agree: boolean }
  | { type: 'fixRevealed' }
  | { type: 'reflected'; seat: string; text: string }
  | { type: 'crashed'; seat: string }
  | { type: 'restarted'; seat: string }
  | { type: 'captureRateChanged'; captureRate: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'gameEnded'; reason: 'finished' | 'deadline' | 'host' };

/** What the valley seat may do: the host's hands on the messengers, and no more (valley-hands.ts). */
export type { ValleyAction };

/** What every seat of every level may do besides its protocol: guess before play, reflect after a failure. */
export type LessonAction = { type: 'predict'; agree: boolean } | { type: 'reflect'; text: string };

/** Every action a road seat has besides its level's own. */
export type SeatAction = ValleyAction | LessonAction;

/**
 * Something a seat may do now, as its screen offers it: the exact action to send, its words, and —
 * when the rules forbid it — why (strict mode refuses it; free mode lets it through and flags it).
 */
export interface Offer<A> {
  action: A;
  label: Label;
  allowed: boolean;
  why: Label | null;
  /** The step the protocol expects next (the screen's primary button). */
  primary?: boolean;
}

export const FAILURES = ['lost', 'executed-twice', 'diverged', 'stuck', 'no-decision', 'two-values'] as const;
export type FailureId = (typeof FAILURES)[number];

export interface Failure {
  id: FailureId;
  /** The failure in words, naming the seats and commands involved. */
  label: Label;
  /** Where the diagram points: a seat's lane, and a messenger if one is to blame. */
  seat: string | null;
  n: number | null;
}
