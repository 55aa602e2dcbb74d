// The rules of Two Generals as pure functions: which actions a general may take, and what happens.
import { assertNever } from '../../assert.ts';
import { refuse, type Decision as Ruling, type GameControl } from '../../scenario.ts';
import { clockControl, messengerFate, messengerIndex, resumeClock, withMessenger } from '../../valley.ts';
import { heldPatch, isHand, nextCrossing, releasedPatch, releasesDue, stopEach, valleyHand } from '../../valley-hands.ts';
import {
  type Action,
  type AttackTime,
  type Config,
  type Decision,
  type Event,
  type General,
  type Messenger,
  type Outcome,
  type State,
  NOTE_MAX,
  VALLEY,
  isGeneral,
  other,
} from './model.ts';

export const RULES = {
  notRunning: 'game/not-running',
  notASeat: 'game/not-a-seat',
  afterDeadline: 'tg/after-deadline',
  alreadyCommitted: 'tg/already-committed',
  planComesFromA: 'tg/plan-comes-from-a',
  ackUnknown: 'tg/ack-unknown-messenger',
  attackUnknownTime: 'tg/attack-unknown-time',
  badTime: 'tg/bad-time',
  badNote: 'tg/bad-note',
  notPaused: 'game/not-paused',
  unsupported: 'game/unsupported-control',
  wrongRole: 'tg/wrong-role',
  notInFlight: 'tg/not-in-flight',
} as const;

export function init(config: Config, seed: number, at: number): State {
  return {
    config,
    seed,
    startedAt: at,
    deadlineAt: at + config.deadlineMs,
    status: 'running',
    pausedAt: null,
    messengers: [],
    decisions: { A: null, B: null },
    outcome: null,
    endReason: null,
    endedAt: null,
  };
}

const validTime = (t: number): boolean => Number.isInteger(t) && t >= 0 && t <= 23;

/** The attack times a general has heard of: those it proposed and those that reached it. */
export function knownTimes(state: State, g: General): AttackTime[] {
  const times = new Set<AttackTime>();
  for (const m of state.messengers) {
    if (m.payload.type !== 'proposal') continue;
    if (m.from === g || (m.to === g && m.status === 'delivered')) times.add(m.payload.time);
  }
  return [...times].sort((a, b) => a - b);
}

const reached = (state: State, g: General, n: number): boolean => state.messengers.some((m) => m.n === n && m.to === g && m.status === 'delivered');

/**
 * The rule that stops this general proposing an hour now, or null: General A sets the plan; B may
 * only answer one that reached him with another time. The seat's screen reads it from its view.
 */
export function proposalBlocked(state: State, seat: General): string | null {
  return seat === 'B' && knownTimes(state, 'B').length === 0 ? RULES.planComesFromA : null;
}

export function decide(state: State, seat: string, action: Action, at: number): Ruling<Event> {
  const valley = seat === VALLEY && state.config.valley === true;
  if (!isGeneral(seat) && !valley) return refuse(RULES.notASeat, { seat });
  if (state.status !== 'running') return refuse(RULES.notRunning, { status: state.status });
  if (at >= state.deadlineAt) return refuse(RULES.afterDeadline, { late: at - state.deadlineAt });
  // The valley has the valley's hands, and the generals have none of them.
  if (isHand(action) !== valley) return refuse(RULES.wrongRole, { seat, action: action.type });
  if (isHand(action)) return valleyHand(state.messengers, action, RULES.notInFlight);
  const d = general(state, seat as General, action);
  // With stop-each on, every messenger a general sends waits at the valley for the valley seat's decision.
  return d.ok ? { ok: true, events: stopEach(state.config.valley === true && state.config.stopEach === true, d.events, at) } : d;
}

function general(state: State, seat: General, action: Exclude<Action, { type: 'hold' | 'release' | 'capture' }>): Ruling<Event> {
  switch (action.type) {
    case 'sendMessenger': {
      const p = action.payload;
      if (p.type === 'proposal') {
        if (!validTime(p.time)) return refuse(RULES.badTime, { time: p.time });
        const blocked = proposalBlocked(state, seat);
        if (blocked) return refuse(blocked);
      } else if (p.type === 'ack') {
        // You can only acknowledge a messenger you actually received.
        if (!reached(state, seat, p.of)) return refuse(RULES.ackUnknown, { n: p.of });
      } else if (p.type === 'note') {
        const len = [...p.text].length;
        if (len === 0 || len > NOTE_MAX) return refuse(RULES.badNote, { length: len, max: NOTE_MAX });
      }
      const n = state.messengers.length + 1;
      const fate = messengerFate(state.seed, n, state.config);
      return { ok: true, events: [{ type: 'messengerSent', n, from: seat, to: other(seat), payload: p, fate }] };
    }
    case 'commit': {
      const existing = state.decisions[seat];
      if (existing) return refuse(RULES.alreadyCommitted, { decision: describe(existing) });
      const d = action.decision;
      if (d.type === 'attack') {
        if (!validTime(d.time)) return refuse(RULES.badTime, { time: d.time });
        // A general can only attack at a time that was actually on the table for them.
        if (!knownTimes(state, seat).includes(d.time)) return refuse(RULES.attackUnknownTime, { time: d.time });
      }
      const events: Event[] = [{ type: 'committed', seat, decision: d, byDeadline: false }];
      const after = { ...state.decisions, [seat]: d };
      if (after.A && after.B) {
        events.push({ type: 'gameEnded', outcome: outcomeOf(after.A, after.B), reason: 'allCommitted' });
      }
      return { ok: true, events };
    }
    default:
      return assertNever(action);
  }
}

export function describe(d: Decision): string {
  return d.type === 'attack' ? `attack@${d.time}` : 'hold';
}

export function outcomeOf(a: Decision, b: Decision): Outcome {
  if (a.type === 'hold' && b.type === 'hold') return 'noBattle';
  if (a.type === 'attack' && b.type === 'attack' && a.time === b.time) return 'victory';
  return 'defeat';
}

export function control(state: State, command: GameControl, at: number): Ruling<Event> {
  const clock = clockControl<Event>(state, command, () => finish(state, 'host', at));
  if (clock) return clock;
  if (state.status === 'ended') return refuse(RULES.notRunning, { status: state.status });
  // The host has the valley's hands too, so a teacher can catch a messenger from the table's card.
  if (isHand(command)) return valleyHand(state.messengers, command, RULES.notInFlight);
  // Crashes belong to Paxos and the road: a general does not crash.
  return refuse(RULES.unsupported, { control: command.type });
}

/** Ending a game: whoever has not committed holds, and the outcome follows. */
function finish(state: State, reason: 'deadline' | 'host', _at: number): Event[] {
  const events: Event[] = [];
  const hold: Decision = { type: 'hold' };
  for (const g of ['A', 'B'] as const) {
    if (!state.decisions[g]) events.push({ type: 'committed', seat: g, decision: hold, byDeadline: true });
  }
  const a = state.decisions.A ?? hold;
  const b = state.decisions.B ?? hold;
  events.push({ type: 'gameEnded', outcome: outcomeOf(a, b), reason });
  return events;
}

export function due(state: State): number | null {
  if (state.status !== 'running') return null;
  return nextCrossing(state.messengers, state.deadlineAt);
}

export function tick(state: State, at: number): Event[] {
  if (state.status !== 'running') return [];
  const events: Event[] = releasesDue(state.messengers, at, state.deadlineAt);
  const arriving = state.messengers
    .filter((m) => m.status === 'inFlight' && m.endsAt <= at && m.endsAt < state.deadlineAt)
    .sort((x, y) => x.endsAt - y.endsAt || x.n - y.n);
  for (const m of arriving) {
    events.push(m.fate.type === 'captured' ? { type: 'messengerCaptured', n: m.n } : { type: 'messengerDelivered', n: m.n });
  }
  if (at >= state.deadlineAt) events.push(...finish(state, 'deadline', at));
  return events;
}

function updateMessenger(state: State, n: number, patch: Partial<Messenger>): State {
  return { ...state, messengers: withMessenger(state.messengers, n, patch) as Messenger[] };
}

/**
 * Whose screen an event may change (state: after it). A general sees what it sent and what reached
 * it, never a fate, and its own decision; a pause, a resume or the end changes both screens.
 */
export function audience(state: State, event: Event): readonly string[] | null {
  // The valley seat sees every messenger crossing; a general never sees a fate, a hold or a release.
  const valley = state.config.valley ? [VALLEY] : [];
  switch (event.type) {
    case 'messengerSent':
      return [event.from, ...valley];
    case 'messengerDelivered': {
      const m = state.messengers[messengerIndex(state.messengers, event.n)];
      return m ? [m.to, ...valley] : null;
    }
    case 'messengerCaptured':
    case 'messengerHeld':
    case 'messengerReleased':
      return valley;
    case 'committed':
      return [event.seat];
    default:
      return null;
  }
}

export function apply(state: State, event: Event, at: number): State {
  switch (event.type) {
    case 'messengerSent': {
      const m: Messenger = {
        n: event.n,
        from: event.from,
        to: event.to,
        payload: event.payload,
        sentAt: at,
        fate: event.fate,
        endsAt: at + event.fate.afterMs,
        status: 'inFlight',
        heldUntil: null,
      };
      return { ...state, messengers: [...state.messengers, m] };
    }
    case 'messengerDelivered':
      return updateMessenger(state, event.n, { status: 'delivered', endsAt: at });
    case 'messengerCaptured':
      return updateMessenger(state, event.n, { status: 'captured', endsAt: at, heldUntil: null });
    case 'messengerHeld':
      return updateMessenger(state, event.n, heldPatch(event.until));
    case 'messengerReleased':
      // Let go, a messenger goes on its way; one whose crossing time has passed arrives at once.
      return updateMessenger(state, event.n, releasedPatch(state.messengers[messengerIndex(state.messengers, event.n)], at));
    case 'committed':
      return {
        ...state,
        decisions: { ...state.decisions, [event.seat]: { ...event.decision, at, byDeadline: event.byDeadline } },
      };
    case 'paused':
      return { ...state, status: 'paused', pausedAt: at };
    case 'resumed':
      return resumeClock(state, at);
    case 'gameEnded': {
      // The outcome follows from the two decisions (a general who never committed held), not from
      // the line's own summary of it: the checker holds that line against the decisions.
      const hold: Decision = { type: 'hold' };
      const outcome = outcomeOf(state.decisions.A ?? hold, state.decisions.B ?? hold);
      return { ...state, status: 'ended', outcome, endReason: event.reason, endedAt: at };
    }
    default:
      return assertNever(event);
  }
}
