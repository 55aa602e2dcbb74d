// Two Generals as a space-time diagram: two lanes, every messenger, each general's decision.
import { label, type Diagram, type Label } from '../../diagram.ts';
import { type Payload, type State, SEATS, formatTime } from './model.ts';

export function payloadLabel(p: Payload): Label {
  switch (p.type) {
    case 'proposal':
      return label('tg.msg.proposal', { time: formatTime(p.time) });
    case 'ack':
      return label('tg.msg.ack', { n: p.of });
    case 'note':
      return label('tg.msg.note', { text: p.text });
  }
}

export function diagram(state: State): Diagram {
  const marks: Diagram['marks'] = [];
  for (const seat of SEATS) {
    const d = state.decisions[seat];
    if (!d) continue;
    const l =
      d.type === 'attack'
        ? label('tg.debrief.decision.attack', { seat: `@seat.${seat}`, time: formatTime(d.time) })
        : label(d.byDeadline ? 'tg.debrief.decision.byDeadline' : 'tg.debrief.decision.hold', { seat: `@seat.${seat}` });
    marks.push({ seat, at: d.at, kind: 'decision', label: l });
  }
  if (state.outcome && state.endedAt !== null) {
    const time = state.decisions.A?.type === 'attack' ? formatTime(state.decisions.A.time) : '';
    marks.push({ seat: null, at: state.endedAt, kind: 'outcome', label: label(`tg.outcome.${state.outcome}`, { time }) });
  }
  return {
    lanes: SEATS.map((seat) => ({ seat, label: label(`seat.${seat}`) })),
    messengers: state.messengers.map((m) => ({
      n: m.n,
      from: m.from,
      to: m.to,
      sentAt: m.sentAt,
      endsAt: m.endsAt,
      status: m.status,
      label: payloadLabel(m.payload),
    })),
    marks,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
  };
}
