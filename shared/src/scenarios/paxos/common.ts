// Helpers every Paxos role's rules share: sending messengers through the valley, and recording a
// rule that free mode lets a student break.
import { messengerFate, messengerIndex } from '../../valley.ts';
import type { Decision } from '../../scenario.ts';
import { refuse } from '../../scenario.ts';
import type { Event, Messenger, Payload, State } from './model.ts';
import { type Ballot, showBallot } from './ballot.ts';

export const RULES = {
  notRunning: 'game/not-running',
  notASeat: 'game/not-a-seat',
  notPaused: 'game/not-paused',
  unsupported: 'game/unsupported-control',
  seatCrashed: 'paxos/seat-crashed',
  wrongRole: 'paxos/wrong-role',
  notAnAcceptor: 'paxos/not-an-acceptor',
  noRecipients: 'paxos/no-recipients',
  badRound: 'paxos/bad-round',
  badValue: 'paxos/bad-value',
  ballotNotFresh: 'paxos/ballot-not-fresh',
  acceptWithoutMajority: 'paxos/accept-without-majority',
  acceptWrongValue: 'paxos/accept-wrong-value',
  unknownMessenger: 'paxos/unknown-messenger',
  alreadyAnswered: 'paxos/already-answered',
  promiseNotHigher: 'paxos/promise-not-higher',
  acceptBelowPromise: 'paxos/accept-below-promise',
  declareWithoutMajority: 'paxos/declare-without-majority',
  alreadyDeclared: 'paxos/already-declared',
  notInFlight: 'paxos/not-in-flight',
  badCaptureRate: 'paxos/bad-capture-rate',
} as const;

/** Messengers to each recipient, numbered in sending order, each with its own fate from the seed. */
export function send(state: State, from: string, to: string[], payload: Payload, answers: number | null = null, firstN?: number): Event[] {
  const start = firstN ?? state.messengers.length + 1;
  return to.map((recipient, i) => ({
    type: 'messengerSent' as const,
    n: start + i,
    from,
    to: recipient,
    payload,
    fate: messengerFate(state.seed, start + i, state.config),
    answers,
  }));
}

/**
 * A protocol rule: in strict mode breaking it is refused with its evidence; in free mode the action
 * goes through and the breach is recorded for the safety checker to show.
 */
export function rule(
  state: State,
  seat: string,
  ok: boolean,
  id: string,
  evidence: Record<string, string | number>,
): { ok: true; broken: Event[] } | { ok: false; refusal: ReturnType<typeof refuse>['refusal'] } {
  if (ok) return { ok: true, broken: [] };
  if (state.config.mode === 'strict') return { ok: false, refusal: { rule: id, evidence } };
  return { ok: true, broken: [{ type: 'ruleBroken', seat, rule: id, evidence }] };
}

export function delivered(state: State, seat: string, n: number): Messenger | undefined {
  const m = state.messengers[messengerIndex(state.messengers, n)];
  return m?.to === seat && m.status === 'delivered' ? m : undefined;
}

export const answered = (state: State, n: number): boolean => state.messengers.some((m) => m.answers === n);

export type Ruling = Decision<Event>;

/** A proposal's key in the omniscient record: a value is chosen when a majority accepted the same ballot *and* value. */
export const proposalKey = (ballot: Ballot, value: string) => `${showBallot(ballot)}|${value}`;
