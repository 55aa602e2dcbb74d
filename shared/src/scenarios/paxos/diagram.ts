// Paxos as a space-time diagram: a lane per seat, every messenger, and on the lanes the promises and
// acceptances as they were sent, each declaration, the moment a value was chosen, and broken rules.
import { label, type Diagram, type Label } from '../../diagram.ts';
import { showBallot } from './ballot.ts';
import { type Payload, type State, roleOf } from './model.ts';
import { allSeats } from './rules.ts';
import { brokenLabel } from './explain.ts';

export function payloadLabel(p: Payload): Label {
  switch (p.type) {
    case 'prepare':
      return label('px.msg.prepare', { ballot: showBallot(p.ballot) });
    case 'promise':
      return label('px.msg.promise', {
        ballot: showBallot(p.ballot),
        accepted: p.accepted ? `${p.accepted.value} @ ${showBallot(p.accepted.ballot)}` : '@px.ballot.none',
      });
    case 'nack':
      return p.promised
        ? label('px.msg.nack', { ballot: showBallot(p.ballot), promised: showBallot(p.promised) })
        : label('px.msg.nackNone', { ballot: showBallot(p.ballot) });
    case 'accept':
      return label('px.msg.accept', { ballot: showBallot(p.ballot), value: p.value });
    case 'accepted':
      return label('px.msg.accepted', { ballot: showBallot(p.ballot), value: p.value });
  }
}

export function diagram(state: State): Diagram {
  const marks: Diagram['marks'] = [];
  const acceptedOnce = new Set<string>();
  for (const m of state.messengers) {
    if (m.payload.type === 'promise')
      marks.push({ seat: m.from, at: m.sentAt, kind: 'promised', label: label('px.mark.promised', { ballot: showBallot(m.payload.ballot) }) });
    if (m.payload.type === 'accepted') {
      const key = `${m.from}|${showBallot(m.payload.ballot)}`;
      if (acceptedOnce.has(key)) continue;
      acceptedOnce.add(key);
      marks.push({
        seat: m.from,
        at: m.sentAt,
        kind: 'accepted',
        label: label('px.mark.accepted', { ballot: showBallot(m.payload.ballot), value: m.payload.value }),
      });
    }
  }
  for (const c of state.chosen)
    marks.push({ seat: null, at: c.at, kind: 'chosen', label: label('px.mark.chosen', { value: c.value, ballot: showBallot(c.ballot) }) });
  for (const [seat, d] of Object.entries(state.declared))
    marks.push({ seat, at: d.at, kind: 'declared', label: label('px.mark.declared', { value: d.value }) });
  for (const o of state.outages) {
    marks.push({ seat: o.seat, at: o.from, kind: 'crashed', label: label('px.mark.crashed') });
    if (o.to !== null) marks.push({ seat: o.seat, at: o.to, kind: 'restarted', label: label('px.mark.restarted') });
  }
  // Said of the seat that broke it (the rule's own entry speaks to the student who tried it).
  for (const b of state.broken) marks.push({ seat: b.seat, at: b.at, kind: 'broken', label: brokenLabel(b) });
  marks.sort((a, b) => a.at - b.at);
  return {
    lanes: allSeats(state.config).map((seat) => {
      const role = roleOf(seat);
      return { seat, label: role === 'valley' ? label('role.valley') : label(`role.${role}`, { seat }) };
    }),
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
