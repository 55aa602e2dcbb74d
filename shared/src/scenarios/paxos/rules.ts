// Paxos as a scenario's rules: who may do what (dispatching to each role's steps), how events change
// the state, the valley's timing, and the host's controls (crash, restart, hold, release, capture).
import { assertNever } from '../../assert.ts';
import { clockControl, messengerIndex, resumeClock, withMessenger } from '../../valley.ts';
import { heldPatch, nextCrossing, releasedPatch, releasesDue, stopEach, valleyHand } from '../../valley-hands.ts';
import { refuse, type GameControl } from '../../scenario.ts';
import { accept, prepare } from './proposer.ts';
import { acceptProposal, promise, refuseMessenger } from './acceptor.ts';
import { declare } from './learner.ts';
import { compareBallots, showBallot } from './ballot.ts';
import { RULES, proposalKey, type Ruling } from './common.ts';
import { type Action, type Config, type Event, type Messenger, type State, quorum, roleOf, seatsOf } from './model.ts';

export function init(config: Config, seed: number, at: number): State {
  const seats = seatsOf(config);
  return {
    config,
    seed,
    startedAt: at,
    deadlineAt: at + config.deadlineMs,
    status: 'running',
    pausedAt: null,
    messengers: [],
    acceptors: Object.fromEntries(seats.acceptors.map((a) => [a, { promised: null, acceptedBallot: null, acceptedValue: null, crashed: false }])),
    rounds: {},
    traffic: {},
    acceptances: {},
    chosen: [],
    declared: {},
    broken: [],
    outages: [],
    endedAt: null,
  };
}

export const allSeats = (c: Config) => {
  const s = seatsOf(c);
  return [...s.proposers, ...s.acceptors, ...s.learners, ...s.valley];
};

export function decide(state: State, seat: string, action: Action, at: number): Ruling {
  const d = seatDecides(state, seat, action, at);
  // With stop-each on, every messenger a seat sends waits at the valley for the valley seat's decision.
  return d.ok ? { ok: true, events: stopEach(state.config.valley && state.config.stopEach === true, d.events, at) } : d;
}

function seatDecides(state: State, seat: string, action: Action, at: number): Ruling {
  const role = roleOf(seat);
  if (!role || !allSeats(state.config).includes(seat)) return refuse(RULES.notASeat, { seat });
  if (state.status !== 'running') return refuse(RULES.notRunning, { status: state.status });
  if (at >= state.deadlineAt) return refuse(RULES.notRunning, { status: 'ended' });
  if (state.acceptors[seat]?.crashed) return refuse(RULES.seatCrashed, { seat });
  const need = (r: typeof role) => (role === r ? null : refuse(RULES.wrongRole, { seat, action: action.type }));
  switch (action.type) {
    case 'prepare':
      return need('proposer') ?? prepare(state, seat, action.round, action.to);
    case 'accept':
      return need('proposer') ?? accept(state, seat, action.round, action.value, action.to);
    case 'promise':
      return need('acceptor') ?? promise(state, seat, action.n);
    case 'refuse':
      return need('acceptor') ?? refuseMessenger(state, seat, action.n);
    case 'acceptProposal':
      return need('acceptor') ?? acceptProposal(state, seat, action.n);
    case 'declare':
      return need('learner') ?? declare(state, seat, action.value);
    case 'hold':
    case 'release':
    case 'capture':
      // The valley played by a student has the host's hands on the messengers, and no more.
      return need('valley') ?? control(state, action, at);
    default:
      return assertNever(action);
  }
}

const inFlight = (m: Messenger) => m.status === 'inFlight';

export function control(state: State, c: GameControl, at: number): Ruling {
  if (state.status === 'ended') return refuse(RULES.notRunning, { status: state.status });
  switch (c.type) {
    case 'pause':
    case 'resume':
    case 'end':
      return clockControl<Event>(state, c, () => [{ type: 'gameEnded', reason: 'host' }])!;
    case 'crash':
    case 'restart': {
      const a = state.acceptors[c.seat];
      if (!a) return refuse(RULES.notAnAcceptor, { seat: c.seat });
      if (a.crashed === (c.type === 'crash')) return { ok: true, events: [] };
      return { ok: true, events: [{ type: c.type === 'crash' ? 'crashed' : 'restarted', seat: c.seat }] };
    }
    case 'hold':
    case 'release':
    case 'capture':
      return valleyHand(state.messengers, c, RULES.notInFlight);
    case 'go':
    case 'reveal':
      return refuse(RULES.unsupported, { control: c.type });
    case 'setCaptureRate':
      if (!(c.captureRate >= 0 && c.captureRate <= 1)) return refuse(RULES.badCaptureRate, { captureRate: c.captureRate });
      return { ok: true, events: [{ type: 'captureRateChanged', captureRate: c.captureRate }] };
    default:
      return assertNever(c);
  }
  void at;
}

export function due(state: State): number | null {
  if (state.status !== 'running') return null;
  return nextCrossing(state.messengers, state.deadlineAt);
}

export function tick(state: State, at: number): Event[] {
  if (state.status !== 'running') return [];
  const events: Event[] = releasesDue(state.messengers, at, state.deadlineAt);
  const arriving = state.messengers
    .filter((m) => inFlight(m) && m.endsAt <= at && m.endsAt < state.deadlineAt)
    .sort((x, y) => x.endsAt - y.endsAt || x.n - y.n);
  for (const m of arriving) {
    if (m.fate.type === 'captured') events.push({ type: 'messengerCaptured', n: m.n });
    // A crashed seat hears nothing: what reaches it while it is down is lost.
    else if (state.acceptors[m.to]?.crashed) events.push({ type: 'messengerLost', n: m.n });
    else events.push({ type: 'messengerDelivered', n: m.n });
  }
  if (at >= state.deadlineAt) events.push({ type: 'gameEnded', reason: 'deadline' });
  return events;
}

const bump = (t: Record<string, number>, seat: string) => ({ ...t, [seat]: (t[seat] ?? 0) + 1 });

/** Changes whenever what a seat sees may change: its traffic, its crash, the game's status. */
export function attention(state: State, seat: string): number {
  const status = state.status === 'running' ? 0 : state.status === 'paused' ? 1 : 2;
  return (state.traffic[seat] ?? 0) * 8 + (state.acceptors[seat]?.crashed ? 4 : 0) + status;
}

/** A messenger by number: numbers count up from 1, so it is at n - 1 unless the list is unusual. */
function messenger(state: State, n: number): Messenger | undefined {
  return state.messengers[messengerIndex(state.messengers, n)];
}

/**
 * Whose screen an event may change (state: after it). A seat sees what it sent and what reached it,
 * not fates; the valley seat sees every crossing. A promise or an acceptance changes the acceptor's
 * card. Anything rarer (pause, crash, the end, a new capture rate): everyone's.
 */
export function audience(state: State, e: Event): readonly string[] | null {
  const valley = state.config.valley ? ['V'] : [];
  switch (e.type) {
    case 'messengerSent':
      return [e.from, ...valley];
    case 'messengerDelivered': {
      const m = messenger(state, e.n);
      return m ? [m.to, ...valley] : null;
    }
    case 'messengerCaptured':
    case 'messengerLost':
    case 'messengerHeld':
    case 'messengerReleased':
      return valley;
    case 'promised':
    case 'accepted':
      return [e.acceptor];
    case 'ruleBroken':
      return [e.seat];
    default:
      return null;
  }
}

function patch(state: State, n: number, p: Partial<Messenger>): State {
  return { ...state, messengers: withMessenger(state.messengers, n, p) as Messenger[] };
}

function patchAcceptor(state: State, seat: string, p: Partial<State['acceptors'][string]>): State {
  return { ...state, acceptors: { ...state.acceptors, [seat]: { ...state.acceptors[seat]!, ...p } } };
}

export function apply(state: State, e: Event, at: number): State {
  switch (e.type) {
    case 'messengerSent': {
      const m: Messenger = {
        n: e.n,
        from: e.from,
        to: e.to,
        payload: e.payload,
        sentAt: at,
        fate: e.fate,
        endsAt: at + e.fate.afterMs,
        status: 'inFlight',
        heldUntil: null,
        answers: e.answers,
      };
      const rounds = e.payload.type === 'prepare' ? { ...state.rounds, [e.from]: Math.max(state.rounds[e.from] ?? 0, e.payload.ballot.round) } : state.rounds;
      return { ...state, rounds, traffic: bump(state.traffic, e.from), messengers: [...state.messengers, m] };
    }
    case 'messengerDelivered': {
      const to = messenger(state, e.n)?.to ?? '';
      return { ...patch(state, e.n, { status: 'delivered', endsAt: at }), traffic: bump(state.traffic, to) };
    }
    case 'messengerCaptured':
      return patch(state, e.n, { status: 'captured', endsAt: at, heldUntil: null });
    case 'messengerLost':
      return patch(state, e.n, { status: 'lost', endsAt: at });
    case 'messengerHeld':
      return patch(state, e.n, heldPatch(e.until));
    case 'messengerReleased':
      // Released messengers go on their way; one whose crossing time has passed arrives at once.
      return patch(state, e.n, releasedPatch(messenger(state, e.n), at));
    case 'promised':
      return patchAcceptor(state, e.acceptor, { promised: e.ballot });
    case 'accepted': {
      const key = proposalKey(e.ballot, e.value);
      const prev = state.acceptances[key];
      const acceptors = prev ? (prev.acceptors.includes(e.acceptor) ? prev.acceptors : [...prev.acceptors, e.acceptor]) : [e.acceptor];
      const promised = state.acceptors[e.acceptor]!.promised;
      const next = patchAcceptor(state, e.acceptor, {
        // Accepting b also promises b (nothing lower may be accepted after it).
        promised: compareBallots(promised, e.ballot) > 0 ? promised : e.ballot,
        acceptedBallot: e.ballot,
        acceptedValue: e.value,
      });
      const acceptances = { ...state.acceptances, [key]: { ballot: e.ballot, value: e.value, acceptors } };
      // Chosen is counted from the acceptances themselves, the moment one (ballot, value) has a
      // majority — never taken from the valueChosen line that says so (the checker audits that line).
      const needed = quorum(state.config);
      const chosen =
        (prev?.acceptors.length ?? 0) < needed && acceptors.length >= needed
          ? [...state.chosen, { ballot: e.ballot, value: e.value, at, acceptors }]
          : state.chosen;
      return { ...next, acceptances, chosen };
    }
    case 'valueChosen':
      // A summary of what 'accepted' just counted: it changes nothing.
      return state;
    case 'declared':
      return { ...state, declared: { ...state.declared, [e.learner]: { value: e.value, at } } };
    case 'ruleBroken':
      return { ...state, broken: [...state.broken, { seat: e.seat, rule: e.rule, evidence: e.evidence, at }] };
    case 'crashed':
      return { ...patchAcceptor(state, e.seat, { crashed: true }), outages: [...state.outages, { seat: e.seat, from: at, to: null }] };
    case 'restarted':
      return {
        ...patchAcceptor(state, e.seat, { crashed: false }),
        outages: state.outages.map((o) => (o.seat === e.seat && o.to === null ? { ...o, to: at } : o)),
      };
    case 'captureRateChanged':
      return { ...state, config: { ...state.config, captureRate: e.captureRate } };
    case 'paused':
      return { ...state, status: 'paused', pausedAt: at };
    case 'resumed':
      return resumeClock(state, at);
    case 'gameEnded':
      return { ...state, status: 'ended', endedAt: at };
    default:
      return assertNever(e);
  }
}

/** Safety's finding: kept, or the first two different values chosen. */
export type Safety = { ok: true } | { ok: false; first: { ballot: string; value: string }; second: { ballot: string; value: string } };

/** Safety: at most one value is ever chosen. Returns the two values if broken. */
export function safety(state: State): Safety {
  const first = state.chosen[0];
  const other = state.chosen.find((c) => c.value !== first?.value);
  if (!first || !other) return { ok: true };
  return { ok: false, first: { ballot: showBallot(first.ballot), value: first.value }, second: { ballot: showBallot(other.ballot), value: other.value } };
}
