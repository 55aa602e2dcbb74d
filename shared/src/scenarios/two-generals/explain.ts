// Two Generals explained in words: why this game was won or lost, said to the general reading it
// ("you") or, with no reader (the projector, a replay), of both generals by name. Everything comes from
// the game's facts: the decisions, the messengers and their fates, the knowledge ladder they make.
import type { Label } from '../../diagram.ts';
import { chainDepths } from './knowledge.ts';
import { formatTime, type Committed, type General, type Messenger, type Outcome } from './model.ts';

const other = (g: General): General => (g === 'A' ? 'B' : 'A');
/** Who a sentence is about: "you" for the reader, the general's name otherwise (a catalogue reference). */
export const who = (g: General, reader: General | null) => (g === reader ? '@tg.you' : `@seat.${g}`);

export interface OutcomeFacts {
  outcome: Outcome;
  decisions: Record<General, Committed>;
  messengers: readonly Messenger[];
}

/**
 * Why the game ended as it did, in one or two sentences: for a victory, that it was trust and not
 * certainty (the last messenger's sender could not know it arrived); for a defeat, who held and why
 * (never got the plan, ran out of time, or chose to); for no battle, that both held.
 */
export function whyOutcome(f: OutcomeFacts, reader: General | null): Label[] {
  const { A, B } = f.decisions;
  const p = (g: General) => who(g, reader);
  const captured = f.messengers.filter((m) => m.status === 'captured').length;
  if (f.outcome === 'victory') {
    // The last link of the deepest chain: its sender never learned that it arrived.
    const depths = chainDepths(f.messengers);
    let last: Messenger | undefined;
    for (const m of f.messengers) if (depths.has(m.n) && (!last || depths.get(m.n)!.depth > depths.get(last.n)!.depth)) last = m;
    const time = A.type === 'attack' ? formatTime(A.time) : '';
    const lines: Label[] = [{ key: 'tg.why.victory', params: { time } }];
    if (last) lines.push({ key: 'tg.why.lastLink', params: { sender: p(last.from), n: last.n } });
    return lines;
  }
  if (f.outcome === 'noBattle') return [{ key: 'tg.why.noBattle', params: { captured } }];
  if (A.type === 'attack' && B.type === 'attack')
    return [{ key: 'tg.why.differentTimes', params: { a: p('A'), b: p('B'), ta: formatTime(A.time), tb: formatTime(B.time) } }];
  const attacker: General = A.type === 'attack' ? 'A' : 'B';
  const holder = other(attacker);
  const d = f.decisions[attacker];
  const time = d.type === 'attack' ? formatTime(d.time) : '';
  const params = { holder: p(holder), attacker: p(attacker), time, captured };
  const planReached = f.messengers.some((m) => m.to === 'B' && m.status === 'delivered' && m.payload.type === 'proposal');
  if (holder === 'B' && !planReached) return [{ key: 'tg.why.neverGotPlan', params }];
  if (f.decisions[holder].byDeadline) return [{ key: 'tg.why.outOfTime', params }];
  return [{ key: 'tg.why.heldBack', params }];
}
