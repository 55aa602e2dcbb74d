// A cautious bot general: it proposes (as A) and resends until answered, acknowledges every plan and
// acknowledgement that reaches it while its budget of messengers lasts, and attacks only once it holds
// an acknowledgement of its own messenger. It plays from its view alone, through the same rules.
import type { BotStep } from '../../scenario.ts';
import type { Action, AttackTime, Payload } from './model.ts';
import type { View } from './view.ts';

export const BOT_PLAN: AttackTime = 6;

/** The plan a messenger of this general's conversation is about, followed back through acks. */
function planOf(v: View, n: number, seen = new Set<number>()): AttackTime | null {
  if (seen.has(n)) return null;
  seen.add(n);
  const p: Payload | undefined = v.sent.find((m) => m.n === n)?.payload ?? v.received.find((m) => m.n === n)?.payload;
  if (!p) return null;
  if (p.type === 'proposal') return p.time;
  if (p.type === 'ack') return planOf(v, p.of, seen);
  return null;
}

export function bot(v: View, at: number): BotStep<Action> {
  if (v.status !== 'running') return { actions: [], wakeAt: null };
  const actions: Action[] = [];
  let budget = v.config.botBudget - v.sent.length;
  const send = (payload: Payload) => {
    if (budget <= 0) return;
    budget -= 1;
    actions.push({ type: 'sendMessenger', payload });
  };

  // Answer every plan or acknowledgement that reached us and that we have not answered yet.
  const answered = new Set(v.sent.flatMap((m) => (m.payload.type === 'ack' ? [m.payload.of] : [])));
  for (const m of v.received) {
    if (m.payload.type !== 'note' && !answered.has(m.n) && planOf(v, m.n) !== null) send({ type: 'ack', of: m.n });
  }

  // General A opens with the plan and resends it while nothing comes back.
  // A round trip at the valley's pace (slow motion stretches it), and a little more.
  const resendMs = v.config.delayMaxMs * (v.config.slowMotion ?? 1) * 2 + 500;
  let wakeAt: number | null = null;
  if (v.seat === 'A' && v.received.length === 0) {
    const last = v.sent.at(-1);
    if (!last || at >= last.sentAt + resendMs) send({ type: 'proposal', time: BOT_PLAN });
    const lastAt = actions.length > 0 ? at : (last?.sentAt ?? at);
    if (budget > 0) wakeAt = lastAt + resendMs;
  }

  // Attack only once one of our own messengers has been acknowledged.
  if (!v.decision) {
    const mine = new Set(v.sent.map((m) => m.n));
    const ack = v.received.find((m) => m.payload.type === 'ack' && mine.has(m.payload.of));
    const time = ack ? planOf(v, ack.n) : null;
    if (time !== null) actions.push({ type: 'commit', decision: { type: 'attack', time } });
  }
  return { actions, wakeAt };
}
