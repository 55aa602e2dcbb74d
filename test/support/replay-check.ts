// For every game played in the integration tests, replaying its log reproduces the live final state
// exactly, and the checker passes it: each game's timeline from the log (openLog, as the replay page opens it) goes through
// shared's Replayer to its last event, and is compared with the live session.
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { Replayer, openLog, scenarioOf, verifyLog, type SessionState } from '@valley/shared';
import type { TestServer } from './server.ts';

/**
 * A session's log, replayed game by game, against the live session: the latest game at each table
 * ends in exactly the table's live game state; every game whose replay ends ended is in the live
 * results, with the same verdict and end time, and no other game is. Returns how many games it replayed.
 */
export function expectReplaysMatch(text: string, live: SessionState, label = live.header.sessionId): number {
  const opened = openLog(text);
  if (!opened.ok) throw new Error(`${label}: the log does not open: line ${opened.error.line}: ${opened.error.reason}`);
  const latest = new Map<string, { game: number; final: unknown }>();
  const ended = new Map<string, { verdict: unknown; endedAt: number | null }>();
  for (const tl of opened.games) {
    const sc = scenarioOf(tl.entry.scenario);
    const r = new Replayer(tl);
    const final = r.stateAt(r.length);
    latest.set(tl.entry.table, { game: tl.entry.game, final });
    if (sc.ended(final)) ended.set(`${tl.entry.table}/${tl.entry.game}`, { verdict: sc.verdict(final), endedAt: tl.entry.endedAt });
  }
  for (const id of live.tableOrder) {
    const g = live.tables[id]!.game;
    const replayed = latest.get(id);
    if (!g) {
      expect(replayed, `${label}: table ${id} has no game, but its log has one`).toBeUndefined();
      continue;
    }
    expect(replayed?.game, `${label}: table ${id}'s latest game in the log`).toBe(g.index);
    expect(replayed!.final, `${label}: table ${id}, game ${g.index} replayed to its last event`).toEqual(g.state);
  }
  const results = live.results.map((r) => `${r.table}/${r.game}`);
  expect([...ended.keys()].sort(), `${label}: the games that ended in the replay are the live results`).toEqual([...results].sort());
  for (const r of live.results) {
    expect(ended.get(`${r.table}/${r.game}`), `${label}: table ${r.table}, game ${r.game}'s verdict and end`).toEqual({
      verdict: r.verdict,
      endedAt: r.endedAt,
    });
  }
  return opened.games.length;
}

/** Each game's broken properties, from its replay's final state, worded as the checker words them. */
function propertiesBroken(text: string): string[] {
  const opened = openLog(text);
  if (!opened.ok) return [];
  return opened.games.flatMap((tl) => {
    const r = new Replayer(tl);
    const final = r.stateAt(r.length);
    return (scenarioOf(tl.entry.scenario).check?.(final) ?? []).map((r) => `table ${tl.entry.table}, game ${tl.entry.game}: ${r}`);
  });
}

/**
 * Every session of a running test server, its log file against its live state. The state is taken
 * first and the log read up to that state's last event: the state never runs ahead of the log, and a
 * late message (a socket closing, say) may append to the log while it is read. A closed server is
 * skipped: its sessions may since have been taken over by another server on the same data directory.
 */
export async function expectEveryReplay(server: TestServer | undefined | null): Promise<number> {
  if (!server?.valley.http.listening) return 0;
  await server.valley.idle();
  let games = 0;
  for (const s of server.valley.registry.byId.values()) {
    const state = s.state;
    const text = await readFile(server.valley.store.path(s.id), 'utf8');
    // Line 1 is the header; event k is on line k + 1.
    const lines = text.split('\n').slice(0, state.seq + 1);
    expect(lines.length, `${s.id}: the log holds every event of the live state`).toBe(state.seq + 1);
    const upTo = `${lines.join('\n')}\n`;
    games += expectReplaysMatch(upTo, state, s.id);
    // And the checker, replaying every unit through the rules, finds nothing wrong with it.
    // Its only findings are the properties a game broke on purpose (free mode's two values), as
    // each game's own check says of its replayed final state.
    const v = verifyLog(upTo);
    expect(
      v.problems.map((p) => p.reason),
      `${s.id}: the checker's problems`,
    ).toEqual(propertiesBroken(upTo));
    expect(v.rulesReplayed).toBe(true);
  }
  return games;
}

/**
 * A test's clean-up: every game it played replays from the log to the live state (expectEveryReplay),
 * then its clients and servers close, whatever the check found.
 */
export async function replayThenClose(servers: (TestServer | undefined | null)[], clients: { close(): void }[]): Promise<void> {
  try {
    for (const s of servers) await expectEveryReplay(s);
  } finally {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers) await s?.close();
  }
}
