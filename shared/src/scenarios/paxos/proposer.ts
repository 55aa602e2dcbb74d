// The proposer's steps (Paxos.tla Phase1a and Phase2a).
import { refuse } from '../../scenario.ts';
import { compareBallots, showBallot, type Ballot } from './ballot.ts';
import { RULES, rule, send, type Ruling } from './common.ts';
import { MAX_ROUND_OK, checkValue, checkRecipients } from './checks.ts';
import { type Proposal, type State, quorum } from './model.ts';

/** Phase1a(b): a proposer may start a ballot of its own that it has never used before. */
export function prepare(state: State, seat: string, round: number, to: string[]): Ruling {
  if (!MAX_ROUND_OK(round)) return refuse(RULES.badRound, { round });
  const bad = checkRecipients(state, to);
  if (bad) return bad;
  const ballot: Ballot = { round, proposer: seat };
  // Ballots must be unique: reusing one could let two values share it (the seed's rule that tickets only grow).
  const used = state.rounds[seat] ?? 0;
  const r = rule(state, seat, round > used, RULES.ballotNotFresh, { ballot: showBallot(ballot), used: `${used}.${seat}` });
  if (!r.ok) return { ok: false, refusal: r.refusal };
  return { ok: true, events: [...r.broken, ...send(state, seat, to, { type: 'prepare', ballot })] };
}

/** Promises for ballot b that reached proposer `seat`, one per acceptor. */
export function promisesFor(state: State, seat: string, ballot: Ballot): { from: string; accepted: Proposal | null }[] {
  const seen = new Map<string, Proposal | null>();
  for (const m of state.messengers) {
    if (m.to !== seat || m.status !== 'delivered' || m.payload.type !== 'promise') continue;
    if (compareBallots(m.payload.ballot, ballot) !== 0) continue;
    if (!seen.has(m.from)) seen.set(m.from, m.payload.accepted);
  }
  return [...seen].map(([from, accepted]) => ({ from, accepted }));
}

/**
 * The value a proposer must propose with ballot b, given the promises it holds: the value of the
 * highest-ballot proposal any of them reported, or null when none reported one (then it is free).
 * This is what keeps a value that may already be chosen (Paxos Made Simple, P2c).
 */
export function requiredValue(promises: { accepted: Proposal | null }[]): Proposal | null {
  let best: Proposal | null = null;
  for (const p of promises) if (p.accepted && compareBallots(p.accepted.ballot, best?.ballot ?? null) > 0) best = p.accepted;
  return best;
}

/** Phase2a(b, v): only with promises for b from a majority, and v as those promises dictate. */
export function accept(state: State, seat: string, round: number, value: string, to: string[]): Ruling {
  if (!MAX_ROUND_OK(round)) return refuse(RULES.badRound, { round });
  const badValue = checkValue(value);
  if (badValue) return badValue;
  const bad = checkRecipients(state, to);
  if (bad) return bad;
  const ballot: Ballot = { round, proposer: seat };
  const promises = promisesFor(state, seat, ballot);
  const needed = quorum(state.config);
  const majority = rule(state, seat, promises.length >= needed, RULES.acceptWithoutMajority, {
    ballot: showBallot(ballot),
    promises: promises.length,
    needed,
  });
  if (!majority.ok) return { ok: false, refusal: majority.refusal };
  // One value per ballot (Paxos.tla's Phase2a sends at most one 2a message for b): once Accept(b, v) has
  // left, b carries v, even if a promise arriving later reports another value.
  const sent = state.messengers.find((m) => m.from === seat && m.payload.type === 'accept' && compareBallots(m.payload.ballot, ballot) === 0);
  const required = sent?.payload.type === 'accept' ? { ballot, value: sent.payload.value } : requiredValue(promises);
  const right = rule(state, seat, !required || required.value === value, RULES.acceptWrongValue, {
    value,
    required: required?.value ?? '',
    from: showBallot(required?.ballot ?? null),
  });
  if (!right.ok) return { ok: false, refusal: right.refusal };
  return { ok: true, events: [...majority.broken, ...right.broken, ...send(state, seat, to, { type: 'accept', ballot, value })] };
}
