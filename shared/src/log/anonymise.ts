// An anonymised copy of a session log, for a teacher to publish a replay: every student's name becomes
// the seat they first held ("T1 A"), and token hashes are blanked. Notes typed by students are kept.
import { encodeLine, parseLog } from './format.ts';
import type { LogEvent } from '../session/model.ts';

export function anonymiseLog(text: string): { ok: true; text: string } | { ok: false; line: number; reason: string } {
  const parsed = parseLog(text);
  if (!parsed.ok) return { ok: false, ...parsed.error };
  const firstSeat = new Map<string, string>();
  for (const e of parsed.events) {
    if (e.type === 'seatChanged' && e.occupant?.type === 'player' && !firstSeat.has(e.occupant.playerId)) firstSeat.set(e.occupant.playerId, `${e.table} ${e.seat}`);
  }
  let unseated = 0;
  const events: LogEvent[] = parsed.events.map((e) => {
    if (e.type !== 'playerJoined') return e;
    const name = firstSeat.get(e.playerId) ?? `Student ${++unseated}`;
    return { ...e, name, tokenHash: '' };
  });
  return { ok: true, text: encodeLine({ ...parsed.header, hostTokenHash: '' }) + events.map(encodeLine).join('') };
}
