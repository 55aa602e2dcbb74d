// Two Generals in the load benchmark (`npm run bench`): its tables and settings there, and its bot
// students as the class plays it.
import type { LoadMove, ScenarioLoad } from '../../load.ts';
import { defaultConfig, type Config, type Payload } from './model.ts';
import type { View } from './view.ts';

/** A messenger's key, the same for its sender (`move`) and its receiver (`arrivals`). */
const key = (game: string, from: string, p: Payload) =>
  p.type === 'note' ? `n:${p.text}` : p.type === 'proposal' ? `${game}/p/${from}` : `${game}/a/${from}/${p.of}`;

export const load: ScenarioLoad<View, Config> = {
  prefix: 'G',
  settings: (seats) => {
    if (seats !== 2) throw new Error(`a Two Generals table has 2 seats, not ${seats}`);
    return { deadlineMs: 3_600_000, botBudget: 5 };
  },
  tables: {
    class: { tables: 10, seats: 2 },
    hall: { tables: 2, seats: 2 },
    // Pairs each sending their next action the moment the last is acknowledged.
    saturation: { tables: 100, seats: 2 },
  },
  replay: { ...defaultConfig, captureRate: 0.3 },
  /**
   * As the class plays it: A proposes 06:00; each general acknowledges every plan or acknowledgement
   * that reaches it; otherwise it sends a note. After a few messengers, with the plan (and for A an
   * acknowledgement) in hand, it commits to attack; the game ends when both have.
   */
  move(v, o): LoadMove | null {
    if (v.status !== 'running') return null;
    const sendP = (payload: Payload) => ({ action: { type: 'sendMessenger', payload }, keys: [key(o.game, v.seat, payload)] });
    if (v.seat === 'A' && !v.sent.some((m) => m.payload.type === 'proposal')) return sendP({ type: 'proposal', time: 6 });
    const acked = new Set(v.sent.flatMap((m) => (m.payload.type === 'ack' ? [m.payload.of] : [])));
    const answer = v.received.find((m) => m.payload.type !== 'note' && !acked.has(m.n));
    if (answer) return sendP({ type: 'ack', of: answer.n });
    const sure = v.seat === 'B' || v.received.some((m) => m.payload.type === 'ack');
    if (!v.decision && v.sent.length >= o.sendsBeforeDecision && v.knownTimes.includes(6) && sure) {
      return { action: { type: 'commit', decision: { type: 'attack', time: 6 } }, keys: [] };
    }
    return sendP({ type: 'note', text: o.unique() });
  },
  arrivals(v, game, isNew) {
    const other = v.seat === 'A' ? 'B' : 'A';
    const keys: string[] = [];
    for (const m of v.received) if (isNew(m.n)) keys.push(key(game, other, m.payload));
    return keys;
  },
};
