// Single-decree Paxos: proposers, acceptors and learners, the messengers between them, and the
// omniscient record of what has been chosen. Field names follow Paxos.tla where they can:
// an acceptor's `promised` is maxBal, `acceptedBallot` maxVBal, `acceptedValue` maxVal.
import { label, type Label } from '../../diagram.ts';
import type { Fate, ValleySettings } from '../../valley.ts';
import type { Ballot } from './ballot.ts';
import type { GameStatus } from '../../scenario.ts';
import type { ValleyAction } from '../../valley-hands.ts';

export type Mode = 'strict' | 'free';

export interface Config extends ValleySettings {
  proposers: number;
  acceptors: number;
  learners: number;
  mode: Mode;
  deadlineMs: number;
  /** A student plays the valley: holds, releases (in any order) or captures messengers by hand. */
  valley: boolean;
}

export const LIMITS = { proposers: [1, 3], acceptors: [3, 7], learners: [0, 5] } as const;
export const VALUE_MAX = 24;

export const defaultConfig: Config = {
  captureRate: 0.1,
  delayMinMs: 1000,
  delayMaxMs: 3000,
  proposers: 2,
  acceptors: 3,
  learners: 1,
  mode: 'strict',
  deadlineMs: 600_000,
  valley: false,
};

const PROPOSER_IDS = ['A', 'B', 'C'];

// A plain loop: views ask for the seats at every turn of every simulated game, and Array.from is slow.
function numbered(prefix: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) ids.push(`${prefix}${i}`);
  return ids;
}

/** Seat ids: proposers A–C (the letter in their ballots), acceptors a1–a7, learners l1–l5, the valley V. */
export function seatsOf(c: Pick<Config, 'proposers' | 'acceptors' | 'learners'> & { valley?: boolean }) {
  return {
    proposers: PROPOSER_IDS.slice(0, c.proposers),
    acceptors: numbered('a', c.acceptors),
    learners: numbered('l', c.learners),
    valley: c.valley ? ['V'] : [],
  };
}

export type Role = 'proposer' | 'acceptor' | 'learner' | 'valley';

/** A seat's name in words ("Proposer A", "The valley"). */
export function seatLabel(seat: string): Label {
  const role = roleOf(seat);
  if (role === 'valley') return label('role.valley');
  return role ? label(`role.${role}`, { seat }) : label('role.unknown', { seat });
}

export function roleOf(seat: string): Role | null {
  if (seat === 'V') return 'valley';
  if (/^[A-C]$/.test(seat)) return 'proposer';
  if (/^a[1-7]$/.test(seat)) return 'acceptor';
  if (/^l[1-5]$/.test(seat)) return 'learner';
  return null;
}

export const quorum = (c: Pick<Config, 'acceptors'>) => Math.floor(c.acceptors / 2) + 1;

export interface Proposal {
  ballot: Ballot;
  value: string;
}

export type Payload =
  | { type: 'prepare'; ballot: Ballot }
  | { type: 'promise'; ballot: Ballot; accepted: Proposal | null }
  | { type: 'nack'; ballot: Ballot; promised: Ballot | null }
  | { type: 'accept'; ballot: Ballot; value: string }
  | { type: 'accepted'; ballot: Ballot; value: string };

export type MessengerStatus = 'inFlight' | 'held' | 'delivered' | 'captured' | 'lost';

export interface Messenger {
  n: number;
  from: string;
  to: string;
  payload: Payload;
  sentAt: number;
  fate: Fate;
  endsAt: number;
  status: MessengerStatus;
  /** When a messenger the valley stopped goes on by itself (null: held by hand, or not held). */
  heldUntil: number | null;
  /** The messenger this one answers (a promise answers a prepare), if any. */
  answers: number | null;
}

export interface Acceptor {
  promised: Ballot | null;
  acceptedBallot: Ballot | null;
  acceptedValue: string | null;
  crashed: boolean;
}

export interface Chosen {
  ballot: Ballot;
  value: string;
  at: number;
  acceptors: string[];
}

export interface State extends GameStatus {
  config: Config;
  seed: number;
  messengers: Messenger[];
  acceptors: Record<string, Acceptor>;
  /** Per proposer, the highest round it has used. */
  rounds: Record<string, number>;
  /** Who accepted each proposal (ballot and value, keyed `3.B|dawn`), ever: the omniscient record the chosen marker reads. */
  acceptances: Record<string, { ballot: Ballot; value: string; acceptors: string[] }>;
  chosen: Chosen[];
  declared: Record<string, { value: string; at: number }>;
  /** Per seat, how many messengers it has received and sent: what a bot's attention follows. */
  traffic: Record<string, number>;
  /** Rules broken in free mode, with their evidence: what the safety checker points at. */
  broken: { seat: string; rule: string; evidence: Record<string, string | number>; at: number }[];
  /** Each time the host crashed an acceptor, and when it restarted (null: still down): the diagram's marks. */
  outages: { seat: string; from: number; to: number | null }[];
}

export type Action =
  | { type: 'prepare'; round: number; to: string[] }
  | { type: 'accept'; round: number; value: string; to: string[] }
  | { type: 'promise'; n: number }
  | { type: 'refuse'; n: number }
  | { type: 'acceptProposal'; n: number }
  | { type: 'declare'; value: string }
  | ValleyAction;

export type Event =
  | { type: 'messengerSent'; n: number; from: string; to: string; payload: Payload; fate: Fate; answers: number | null }
  | { type: 'messengerDelivered'; n: number }
  | { type: 'messengerCaptured'; n: number }
  | { type: 'messengerLost'; n: number }
  | { type: 'messengerHeld'; n: number; until?: number | null }
  | { type: 'messengerReleased'; n: number }
  | { type: 'promised'; acceptor: string; ballot: Ballot }
  | { type: 'accepted'; acceptor: string; ballot: Ballot; value: string }
  | { type: 'valueChosen'; ballot: Ballot; value: string; acceptors: string[] }
  | { type: 'declared'; learner: string; value: string }
  | { type: 'ruleBroken'; seat: string; rule: string; evidence: Record<string, string | number> }
  | { type: 'crashed'; seat: string }
  | { type: 'restarted'; seat: string }
  | { type: 'captureRateChanged'; captureRate: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'gameEnded'; reason: 'allDeclared' | 'deadline' | 'host' };
