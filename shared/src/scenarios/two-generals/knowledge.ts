// The knowledge ladder. A chain is a run of delivered messengers m1, m2, … where m1 carries the plan and
// each later one acknowledges the one before it, crossing back and forth. When m_k arrives, its receiver
// knows the plan to depth k: 1 = "B knows the plan", 2 = "A knows that B knows", and so on. Whoever sent
// the last link can never know that it arrived — which is why no number of acknowledgements is enough.
import type { AttackTime, General, Messenger } from './model.ts';

export interface Rung {
  depth: number;
  time: AttackTime;
}

/** Depth of each delivered messenger that belongs to a chain (absent: not part of one). */
export function chainDepths(messengers: readonly Messenger[]): Map<number, Rung> {
  const byNumber = new Map(messengers.map((m) => [m.n, m]));
  const depths = new Map<number, Rung>();
  // Messenger numbers grow with sending order and an ack only names an earlier one, so one pass suffices.
  for (const m of [...messengers].sort((a, b) => a.n - b.n)) {
    if (m.status !== 'delivered') continue;
    if (m.payload.type === 'proposal') {
      depths.set(m.n, { depth: 1, time: m.payload.time });
    } else if (m.payload.type === 'ack') {
      const prev = byNumber.get(m.payload.of);
      const prevRung = prev ? depths.get(prev.n) : undefined;
      // The acknowledged messenger must have reached this ack's sender before it set out.
      if (prev && prevRung && prev.to === m.from && prev.endsAt <= m.sentAt) {
        depths.set(m.n, { depth: prevRung.depth + 1, time: prevRung.time });
      }
    }
  }
  return depths;
}

/** How far up the ladder each general climbed: the deepest chain link that reached them. */
export function knowledge(messengers: readonly Messenger[]): Record<General, Rung | null> {
  const depths = chainDepths(messengers);
  const best: Record<General, Rung | null> = { A: null, B: null };
  for (const m of messengers) {
    const rung = depths.get(m.n);
    if (!rung) continue;
    const cur = best[m.to];
    if (!cur || rung.depth > cur.depth) best[m.to] = rung;
  }
  return best;
}
