// What each general may see, and the verdict. During a game a general sees only its own messengers
// (not their fate) and those that reached it; once the game ends, everything is revealed for the debrief.
import type { Label } from '../../diagram.ts';
import { heldCount } from '../../valley-hands.ts';
import { knowledge, type Rung } from './knowledge.ts';
import {
  formatTime,
  type Committed,
  type Config,
  type EndReason,
  type General,
  type Messenger,
  type MessengerStatus,
  type Outcome,
  type Payload,
  type State,
  VALLEY,
} from './model.ts';
import { knownTimes, proposalBlocked } from './rules.ts';

export interface SentView {
  n: number;
  payload: Payload;
  sentAt: number;
  /** Known only after the game: a general never learns a messenger's fate while playing. */
  status: MessengerStatus | null;
  /** The acknowledgement of it that reached this general, if one did: the one thing that proves it arrived. */
  acknowledged: { n: number; at: number } | null;
}

export interface ReceivedView {
  n: number;
  payload: Payload;
  arrivedAt: number;
  /** The rules let a general acknowledge any messenger that reached it, a note included. */
  ackable: boolean;
}

export interface Debrief {
  outcome: Outcome;
  reason: EndReason;
  decisions: Record<General, Committed>;
  messengers: Messenger[];
  ladder: Record<General, Rung | null>;
  /** Messengers the valley still held when the game ended: they never arrived. */
  heldAtEnd: number;
}

/** What the valley seat sees: every messenger crossing now (the valley is the network), and the debrief once the game ends. */
export interface ValleyView {
  scenario: 'two-generals';
  seat: typeof VALLEY;
  status: State['status'];
  config: Config;
  startedAt: number;
  deadlineAt: number;
  pausedAt: number | null;
  crossing: Messenger[];
  debrief: Debrief | null;
}

export interface View {
  scenario: 'two-generals';
  seat: General;
  status: State['status'];
  config: Config;
  startedAt: number;
  deadlineAt: number;
  pausedAt: number | null;
  sent: SentView[];
  received: ReceivedView[];
  knownTimes: number[];
  /** The rule that stops this general proposing an hour now (B before any plan reached him), or null. */
  proposeBlocked: string | null;
  decision: Committed | null;
  debrief: Debrief | null;
}

export interface Verdict {
  outcome: Outcome | null;
  messengersSent: number;
  delivered: number;
  captured: number;
  captureRate: number;
  ladder: Record<General, Rung | null>;
  /** What each general committed to (null: the game ended before they did). */
  decisions: Record<General, Committed | null>;
  /** Messengers still held in the valley (at the end: those it never let go). */
  heldAtEnd: number;
}

/**
 * A messenger's line on a screen, made once per messenger record: records are never changed (a new
 * one replaces it when its status does), so while a game is on, the same messenger gives the same
 * line object at every redraw, and comparing two screens skips every line that did not change.
 */
const sentLines = new WeakMap<Messenger, SentView>();
/** An acknowledged messenger's line, keyed by the acknowledgement that reached us (a record that never changes either). */
const ackedLines = new WeakMap<Messenger, SentView>();
const receivedLines = new WeakMap<Messenger, ReceivedView>();

function sentLine(m: Messenger, ended: boolean, ack: Messenger | undefined): SentView {
  const acknowledged = ack ? { n: ack.n, at: ack.endsAt } : null;
  if (ended) return { n: m.n, payload: m.payload, sentAt: m.sentAt, status: m.status, acknowledged };
  const cache = ack ? ackedLines : sentLines;
  const key = ack ?? m;
  let line = cache.get(key);
  if (!line) cache.set(key, (line = { n: m.n, payload: m.payload, sentAt: m.sentAt, status: null, acknowledged }));
  return line;
}

function receivedLine(m: Messenger): ReceivedView {
  let line = receivedLines.get(m);
  if (!line) receivedLines.set(m, (line = { n: m.n, payload: m.payload, arrivedAt: m.endsAt, ackable: true }));
  return line;
}

export function view(state: State, seat: General): View {
  const ended = state.status === 'ended';
  const mine = state.messengers.filter((m) => m.from === seat);
  const got = state.messengers.filter((m) => m.to === seat && m.status === 'delivered');
  // The first acknowledgement of each of our messengers that reached us.
  const ackOf = new Map<number, Messenger>();
  for (const m of got) if (m.payload.type === 'ack' && !ackOf.has(m.payload.of)) ackOf.set(m.payload.of, m);
  const d = state.decisions[seat];
  return {
    scenario: 'two-generals',
    seat,
    status: state.status,
    config: state.config,
    startedAt: state.startedAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    sent: mine.map((m) => sentLine(m, ended, ackOf.get(m.n))),
    received: got.map(receivedLine),
    knownTimes: knownTimes(state, seat),
    proposeBlocked: proposalBlocked(state, seat),
    decision: d,
    debrief: ended ? debrief(state) : null,
  };
}

export function valleyView(state: State): ValleyView {
  const ended = state.status === 'ended';
  return {
    scenario: 'two-generals',
    seat: VALLEY,
    status: state.status,
    config: state.config,
    startedAt: state.startedAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    crossing: ended ? [] : state.messengers.filter((m) => m.status === 'inFlight' || m.status === 'held'),
    debrief: ended ? debrief(state) : null,
  };
}

function debrief(state: State): Debrief {
  const hold: Committed = { type: 'hold', byDeadline: true, at: state.endedAt ?? state.deadlineAt };
  return {
    outcome: state.outcome ?? 'noBattle',
    reason: state.endReason ?? 'deadline',
    decisions: {
      A: state.decisions.A ?? hold,
      B: state.decisions.B ?? hold,
    },
    messengers: state.messengers,
    ladder: knowledge(state.messengers),
    heldAtEnd: heldCount(state.messengers),
  };
}

/** Each general's decision in words, as the debrief says it. */
export function decisions(v: Verdict): Label[] {
  return (['A', 'B'] as const).flatMap((g): Label[] => {
    const d = v.decisions?.[g];
    if (!d) return [];
    const seat = `@seat.${g}`;
    if (d.type === 'attack') return [{ key: 'tg.debrief.decision.attack', params: { seat, time: formatTime(d.time) } }];
    return [{ key: d.byDeadline ? 'tg.debrief.decision.byDeadline' : 'tg.debrief.decision.hold', params: { seat } }];
  });
}

export function verdict(state: State): Verdict {
  const count = (s: MessengerStatus) => state.messengers.filter((m) => m.status === s).length;
  return {
    outcome: state.outcome,
    messengersSent: state.messengers.length,
    delivered: count('delivered'),
    captured: count('captured'),
    captureRate: state.config.captureRate,
    ladder: knowledge(state.messengers),
    decisions: state.decisions,
    heldAtEnd: heldCount(state.messengers),
  };
}

/** The verdict in words: the outcome, with how many messengers were sent and how many captured. */
export function summary(v: Verdict): Label[] {
  if (!v.outcome) return [];
  return [{ key: 'tg.verdict.summary', params: { outcome: `@host.outcome.${v.outcome}`, sent: v.messengersSent, captured: v.captured } }];
}
