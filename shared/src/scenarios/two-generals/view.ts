// What each general may see, and the verdict. During a game a general sees only its own messengers
// (not their fate) and those that reached it; once the game ends, everything is revealed for the debrief.
import { knowledge, type Rung } from './knowledge.ts';
import type { Committed, Config, EndReason, General, Messenger, MessengerStatus, Outcome, Payload, State } from './model.ts';
import { knownTimes } from './rules.ts';

export interface SentView {
  n: number;
  payload: Payload;
  sentAt: number;
  /** Known only after the game: a general never learns a messenger's fate while playing. */
  status: MessengerStatus | null;
}

export interface ReceivedView {
  n: number;
  payload: Payload;
  arrivedAt: number;
}

export interface Debrief {
  outcome: Outcome;
  reason: EndReason;
  decisions: Record<General, Committed>;
  messengers: Messenger[];
  ladder: Record<General, Rung | null>;
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
}

export function view(state: State, seat: General): View {
  const ended = state.status === 'ended';
  const mine = state.messengers.filter((m) => m.from === seat);
  const got = state.messengers.filter((m) => m.to === seat && m.status === 'delivered');
  const d = state.decisions[seat];
  return {
    scenario: 'two-generals',
    seat,
    status: state.status,
    config: state.config,
    startedAt: state.startedAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    sent: mine.map((m) => ({ n: m.n, payload: m.payload, sentAt: m.sentAt, status: ended ? m.status : null })),
    received: got.map((m) => ({ n: m.n, payload: m.payload, arrivedAt: m.endsAt })),
    knownTimes: knownTimes(state, seat),
    decision: d,
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
  };
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
  };
}
