// The acceptor's steps (Paxos.tla Phase1b and Phase2b), answering a Prepare or an Accept that reached it.
import { refuse } from '../../scenario.ts';
import { compareBallots, showBallot } from './ballot.ts';
import { RULES, answered, delivered, proposalKey, rule, send, type Ruling } from './common.ts';
import { type Event, type State, quorum, seatsOf } from './model.ts';

function incoming(state: State, seat: string, n: number, kind: 'prepare' | 'accept' | 'either') {
  const m = delivered(state, seat, n);
  if (!m || (kind === 'either' ? m.payload.type !== 'prepare' && m.payload.type !== 'accept' : m.payload.type !== kind)) {
    return { error: refuse(RULES.unknownMessenger, { n }) };
  }
  if (answered(state, n)) return { error: refuse(RULES.alreadyAnswered, { n }) };
  return { m };
}

/**
 * Phase1b: promise ballot b only if it is higher than any promised before, and report the last
 * proposal accepted — truthfully, so the proposer can keep a value that may already be chosen.
 */
export function promise(state: State, seat: string, n: number): Ruling {
  const got = incoming(state, seat, n, 'prepare');
  if (got.error) return got.error;
  const m = got.m!;
  if (m.payload.type !== 'prepare') return refuse(RULES.unknownMessenger, { n });
  const b = m.payload.ballot;
  const me = state.acceptors[seat]!;
  const r = rule(state, seat, compareBallots(b, me.promised) > 0, RULES.promiseNotHigher, {
    acceptor: seat,
    promised: showBallot(me.promised),
    ballot: showBallot(b),
  });
  if (!r.ok) return { ok: false, refusal: r.refusal };
  const accepted = me.acceptedBallot && me.acceptedValue !== null ? { ballot: me.acceptedBallot, value: me.acceptedValue } : null;
  return {
    ok: true,
    events: [...r.broken, { type: 'promised', acceptor: seat, ballot: b }, ...send(state, seat, [b.proposer], { type: 'promise', ballot: b, accepted }, n)],
  };
}

/** An acceptor may always say no: a Nack tells the proposer which ballot it has promised. */
export function refuseMessenger(state: State, seat: string, n: number): Ruling {
  const got = incoming(state, seat, n, 'either');
  if (got.error) return got.error;
  const m = got.m!;
  if (m.payload.type !== 'prepare' && m.payload.type !== 'accept') return refuse(RULES.unknownMessenger, { n });
  const b = m.payload.ballot;
  return { ok: true, events: send(state, seat, [b.proposer], { type: 'nack', ballot: b, promised: state.acceptors[seat]!.promised }, n) };
}

/** Phase2b: accept (b, v) only if b is no lower than the ballot promised; tell the proposer and the learners. */
export function acceptProposal(state: State, seat: string, n: number): Ruling {
  const got = incoming(state, seat, n, 'accept');
  if (got.error) return got.error;
  const m = got.m!;
  if (m.payload.type !== 'accept') return refuse(RULES.unknownMessenger, { n });
  const { ballot: b, value } = m.payload;
  const me = state.acceptors[seat]!;
  const r = rule(state, seat, compareBallots(b, me.promised) >= 0, RULES.acceptBelowPromise, {
    acceptor: seat,
    promised: showBallot(me.promised),
    ballot: showBallot(b),
  });
  if (!r.ok) return { ok: false, refusal: r.refusal };
  const events: Event[] = [...r.broken, { type: 'accepted', acceptor: seat, ballot: b, value }];
  // The omniscient view: the moment a majority has accepted one ballot, its value is chosen —
  // whether or not anyone has learned it yet.
  const key = proposalKey(b, value);
  const before = state.acceptances[key]?.acceptors ?? [];
  const after = before.includes(seat) ? before : [...before, seat];
  const needed = quorum(state.config);
  if (before.length < needed && after.length >= needed) events.push({ type: 'valueChosen', ballot: b, value, acceptors: after });
  const to = [b.proposer, ...seatsOf(state.config).learners];
  return { ok: true, events: [...events, ...send(state, seat, to, { type: 'accepted', ballot: b, value }, n)] };
}
