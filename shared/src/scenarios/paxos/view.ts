// What each Paxos seat may see: what reached it and what it sent (fates hidden until the end), its
// own card (an acceptor's promise and accepted proposal), and for a proposer the promises it holds per
// ballot with the value they require. After the game everything is revealed.
import { heldCount } from '../../valley-hands.ts';
import { compareBallots, showBallot, type Ballot } from './ballot.ts';
import { acceptedTally } from './learner.ts';
import { requiredValue } from './proposer.ts';
import {
  type Acceptor,
  type Chosen,
  type Config,
  type Messenger,
  type Payload,
  type Proposal,
  type Role,
  type State,
  quorum,
  roleOf,
  seatsOf,
} from './model.ts';
import { safety, type Safety } from './rules.ts';
import type { Label } from '../../diagram.ts';
import { MAX_ROUND_OK } from './checks.ts';
import { whyChosen } from './explain.ts';

export interface InboxItem {
  n: number;
  from: string;
  payload: Payload;
  arrivedAt: number;
  answered: boolean;
}

export interface OutboxItem {
  n: number;
  to: string;
  payload: Payload;
  sentAt: number;
}

export interface BallotSummary {
  ballot: Ballot;
  label: string;
  promises: { from: string; accepted: Proposal | null }[];
  nacks: { from: string; promised: Ballot | null }[];
  accepted: string[];
  /** The value Phase 2a must carry with this ballot, or null when the proposer may choose. */
  required: Proposal | null;
  acceptSent: string | null;
}

export interface View {
  scenario: 'paxos';
  seat: string;
  role: Role;
  status: State['status'];
  config: Config;
  quorum: number;
  seats: ReturnType<typeof seatsOf>;
  startedAt: number;
  deadlineAt: number;
  pausedAt: number | null;
  crashed: boolean;
  inbox: InboxItem[];
  outbox: OutboxItem[];
  acceptor: Acceptor | null;
  round: number;
  ballots: BallotSummary[];
  tally: { ballot: string; value: string; acceptors: string[] }[];
  declared: string | null;
  /** For the valley seat only: every messenger crossing now (the valley is the network, it sees them all). */
  crossing: Messenger[];
  /** For an acceptor: the unanswered messengers in its inbox that it cannot say yes to without breaking a rule. */
  wouldBreak: number[];
  debrief: Debrief | null;
}

export interface Debrief {
  chosen: Chosen[];
  safe: boolean;
  /** The safety check itself: when broken, the two values chosen (the screen words it, never recomputes it). */
  safety: Safety;
  acceptors: Record<string, Acceptor>;
  messengers: Messenger[];
  declared: State['declared'];
  broken: State['broken'];
  /** Why each chosen value was the one chosen, in words, from the game's facts. */
  why: Label[];
  /** Messengers the valley still held when the game ended: they never arrived. */
  heldAtEnd: number;
}

function ballotsOf(state: State, seat: string): BallotSummary[] {
  // One pass over the messengers (a proposer's view is asked for at every turn of a long game): for each
  // ballot of ours, what came back for it and the value our first Accept carried.
  const mine = new Map<string, { ballot: Ballot; got: Messenger[] }>();
  const firstAccept = new Map<string, string>();
  const back: Messenger[] = [];
  for (const m of state.messengers) {
    if (m.from === seat && m.payload.type === 'prepare') {
      const label = showBallot(m.payload.ballot);
      if (!mine.has(label)) mine.set(label, { ballot: m.payload.ballot, got: [] });
    } else if (m.from === seat && m.payload.type === 'accept') {
      const label = showBallot(m.payload.ballot);
      if (!firstAccept.has(label)) firstAccept.set(label, m.payload.value);
    } else if (m.to === seat && m.status === 'delivered') back.push(m);
  }
  for (const m of back) mine.get(showBallot(m.payload.ballot))?.got.push(m);
  return [...mine.entries()]
    .sort(([, a], [, b]) => compareBallots(b.ballot, a.ballot))
    .map(([label, { ballot, got }]) => {
      const acceptSent = firstAccept.get(label) ?? null;
      // As promisesFor: the first promise from each acceptor, in the order they were sent.
      const promises = new Map<string, Proposal | null>();
      for (const m of got) if (m.payload.type === 'promise' && !promises.has(m.from)) promises.set(m.from, m.payload.accepted);
      const held = [...promises].map(([from, accepted]) => ({ from, accepted }));
      return {
        ballot,
        label,
        promises: held,
        nacks: got.flatMap((m) => (m.payload.type === 'nack' ? [{ from: m.from, promised: m.payload.promised }] : [])),
        accepted: [...new Set(got.flatMap((m) => (m.payload.type === 'accepted' ? [m.from] : [])))],
        required: requiredValue(held),
        acceptSent,
      };
    });
}

/**
 * A messenger's line on a screen, made once per messenger record (and, for the inbox, per answered
 * or not): records are never changed, so the same messenger gives the same line object at every
 * redraw, and comparing two screens skips every line that did not change.
 */
const inboxLines = [new WeakMap<Messenger, InboxItem>(), new WeakMap<Messenger, InboxItem>()] as const;
const outboxLines = new WeakMap<Messenger, OutboxItem>();

function inboxLine(m: Messenger, answered: boolean): InboxItem {
  const cache = inboxLines[answered ? 1 : 0];
  let line = cache.get(m);
  if (!line) cache.set(m, (line = { n: m.n, from: m.from, payload: m.payload, arrivedAt: m.endsAt, answered }));
  return line;
}

function outboxLine(m: Messenger): OutboxItem {
  let line = outboxLines.get(m);
  if (!line) outboxLines.set(m, (line = { n: m.n, to: m.to, payload: m.payload, sentAt: m.sentAt }));
  return line;
}

export function view(state: State, seat: string): View {
  const role = roleOf(seat)!;
  const ended = state.status === 'ended';
  const answeredSet = new Set<number>();
  for (const m of state.messengers) if (m.answers !== null) answeredSet.add(m.answers);
  const { inbox, outbox, wouldBreak } = linesOf(state, seat, answeredSet, role === 'acceptor' && !ended);
  return {
    scenario: 'paxos',
    seat,
    role,
    status: state.status,
    config: state.config,
    quorum: quorum(state.config),
    seats: seatsOf(state.config),
    startedAt: state.startedAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    crashed: state.acceptors[seat]?.crashed ?? false,
    inbox,
    outbox,
    acceptor: state.acceptors[seat] ?? null,
    round: state.rounds[seat] ?? 0,
    ballots: role === 'proposer' ? ballotsOf(state, seat) : [],
    tally: role === 'proposer' || role === 'learner' ? acceptedTally(state, seat) : [],
    declared: state.declared[seat]?.value ?? null,
    crossing: role === 'valley' && !ended ? state.messengers.filter((m) => m.status === 'inFlight' || m.status === 'held') : [],
    wouldBreak,
    debrief: ended ? debriefOf(state) : null,
  };
}

/**
 * A seat's inbox and outbox in one pass over the messengers (a view is built at every turn, for every
 * table of a lecture hall), and with `acceptor` set, Phase 1b and 2b's conditions for the acceptor's
 * screen in the same pass: the unanswered messengers a yes to which would break its promise.
 */
function linesOf(state: State, seat: string, answered: Set<number>, acceptor: boolean) {
  const promised = state.acceptors[seat]?.promised ?? null;
  const inbox: InboxItem[] = [];
  const outbox: OutboxItem[] = [];
  const wouldBreak: number[] = [];
  for (const m of state.messengers) {
    if (m.from === seat) outbox.push(outboxLine(m));
    if (m.to !== seat || m.status !== 'delivered') continue;
    const done = answered.has(m.n);
    inbox.push(inboxLine(m, done));
    if (!acceptor || done) continue;
    // Phase 1b: promise only a ballot higher than any promised; Phase 2b: accept none lower.
    if (m.payload.type === 'prepare' && compareBallots(m.payload.ballot, promised) <= 0) wouldBreak.push(m.n);
    if (m.payload.type === 'accept' && compareBallots(m.payload.ballot, promised) < 0) wouldBreak.push(m.n);
  }
  return { inbox, outbox, wouldBreak };
}

/** What every seat sees once the game has ended: the whole game, and the safety check's finding. */
function debriefOf(state: State): Debrief {
  const found = safety(state);
  return {
    chosen: state.chosen,
    safe: found.ok,
    safety: found,
    acceptors: state.acceptors,
    messengers: state.messengers,
    declared: state.declared,
    broken: state.broken,
    why: whyChosen(state),
    heldAtEnd: heldCount(state.messengers),
  };
}

/** Whether Prepare with this round keeps the rules (a whole round 1–9999, higher than any used): the rule, or null. */
export function prepareBreaks(v: Pick<View, 'round'>, round: number): string | null {
  if (!MAX_ROUND_OK(round)) return 'paxos/bad-round';
  return round > v.round ? null : 'paxos/ballot-not-fresh';
}

/** Whether Accept(b, value) keeps Phase 2a's rules given the promises the proposer holds: the rule, or null. */
export function acceptBreaks(s: BallotSummary, quorumSize: number, value: string): string | null {
  if (s.promises.length < quorumSize) return 'paxos/accept-without-majority';
  return s.required && s.required.value !== value ? 'paxos/accept-wrong-value' : null;
}

export interface Verdict {
  chosen: string | null;
  chosenBallot: string | null;
  safe: boolean;
  values: string[];
  messengersSent: number;
  captured: number;
  ballots: number;
  violations: { first: { ballot: string; value: string }; second: { ballot: string; value: string } }[];
  captureRate: number;
  /** Messengers still held in the valley (at the end: those it never let go). */
  heldAtEnd: number;
}

export function verdict(state: State): Verdict {
  const s = safety(state);
  const first = state.chosen[0];
  return {
    chosen: first?.value ?? null,
    chosenBallot: first ? showBallot(first.ballot) : null,
    safe: s.ok,
    values: [...new Set(state.chosen.map((c) => c.value))],
    messengersSent: state.messengers.length,
    captured: state.messengers.filter((m) => m.status === 'captured').length,
    ballots: new Set(state.messengers.flatMap((m) => (m.payload.type === 'prepare' ? [showBallot(m.payload.ballot)] : []))).size,
    violations: s.ok ? [] : [{ first: s.first, second: s.second }],
    captureRate: state.config.captureRate,
    heldAtEnd: heldCount(state.messengers),
  };
}

/** The value chosen (each of them, if safety broke), for the class results table. */
export function decisions(v: Verdict): Label[] {
  return v.chosen ? [{ key: 'px.results.chosen', params: { value: v.values.join(' / ') } }] : [];
}

/** The verdict in words: the value chosen (or none), and whether safety held and, if not, how. */
export function summary(v: Verdict): Label[] {
  const chosen: Label = v.chosen
    ? { key: 'px.debrief.chosen', params: { value: v.values.join(' / '), ballot: v.chosenBallot ?? '' } }
    : { key: 'px.debrief.notChosen', params: {} };
  const broken = v.violations[0];
  const safety: Label = broken
    ? { key: 'px.debrief.unsafe', params: { first: broken.first.value, b1: broken.first.ballot, second: broken.second.value, b2: broken.second.ballot } }
    : { key: 'px.debrief.safe', params: {} };
  return [chosen, safety];
}
