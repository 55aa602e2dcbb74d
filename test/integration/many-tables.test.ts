// A whole class at once: 100 student bots over real sockets, 50 tables, every game played to its end,
// and the log replays to exactly what the server holds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, playerView, tg, type SessionState } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));

const track = <T extends Client>(c: T): T => (clients.push(c), c);
const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const act = (c: Client, action: tg.Action) => c.call(EVENTS.playerAct, { action });
type Student = Client & { token: string; playerId: string };

/**
 * The class's simple protocol, played from what each student's screen shows: A proposes 06:00;
 * B acknowledges the plan when it arrives and then commits to attack; A attacks once the
 * acknowledgement arrives. Returns the actions this student takes now.
 */
function strategy(v: tg.TGView): tg.Action[] {
  if (v.status !== 'running') return [];
  if (v.seat === 'A') {
    if (v.sent.length === 0) return [{ type: 'sendMessenger', payload: { type: 'proposal', time: 6 } }];
    const acked = v.received.some((m) => m.payload.type === 'ack' && m.payload.of === v.sent[0]!.n);
    if (acked && !v.decision) return [{ type: 'commit', decision: { type: 'attack', time: 6 } }];
    return [];
  }
  const plan = v.received.find((m) => m.payload.type === 'proposal');
  if (!plan) return [];
  if (v.sent.length === 0) return [{ type: 'sendMessenger', payload: { type: 'ack', of: plan.n } }];
  if (!v.decision) return [{ type: 'commit', decision: { type: 'attack', time: 6 } }];
  return [];
}

describe('many tables at once', () => {
  it('50 tables of two students each play to the end; the log replays to the live state', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const students: Student[] = await Promise.all(
      Array.from({ length: 100 }, (_, i) => playerClient(server.url, session.code, `Student ${i + 1}`).then(track)),
    );
    const live = () => server.valley.registry.byId.get(session.sessionId)!.state;
    expect(live().playerOrder).toHaveLength(100);

    const settings = { ...tg.defaultConfig, captureRate: 0.3, delayMinMs: 1000, delayMaxMs: 3000, deadlineMs: 60_000 };
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    expect(live().tableOrder).toHaveLength(50);
    // Every table has two students, nobody sits twice, and no bot was needed.
    const seated = live().tableOrder.flatMap((t) => Object.values(live().tables[t]!.seats));
    expect(new Set(seated.map((o) => (o?.type === 'player' ? o.playerId : 'none'))).size).toBe(100);

    const games = () => live().tableOrder.map((t) => live().tables[t]!.game!.state as tg.State);
    /** Wait until every student's screen shows exactly what the server says it should. */
    const synced = () => Promise.all(students.map((c) => c.until(() => isDeepStrictEqual(c.view, playerView(live(), c.playerId)))));

    let advances = 0;
    for (let round = 0; games().some((g) => g.status !== 'ended'); round++) {
      if (round > 2000) throw new Error('the games do not end');
      await synced();
      const replies = await Promise.all(students.map(async (c) => Promise.all(strategy(gameView(c)!).map((a) => act(c, a)))));
      const all = replies.flat();
      // The strategy only does what the rules allow.
      for (const r of all) expect(r).toEqual({ ok: true });
      if (all.length === 0) {
        await server.clock.advance(500);
        advances += 1;
      }
    }
    expect(advances).toBeLessThanOrEqual(121);
    await server.valley.idle();

    // Every game has its result, and each outcome is the one the valley's fates imply for this protocol.
    const state = live();
    expect(state.results).toHaveLength(50);
    expect(new Set(state.results.map((r) => r.table))).toEqual(new Set(state.tableOrder));
    const outcomes = state.results.map((r) => (r.verdict as tg.TGVerdict).outcome);
    for (const o of outcomes) expect(['victory', 'noBattle', 'defeat']).toContain(o);
    for (const t of state.tableOrder) {
      const g = state.tables[t]!.game!.state as tg.State;
      const [plan, answer] = g.messengers;
      const expected = plan!.fate.type === 'captured' ? 'noBattle' : answer!.fate.type === 'captured' ? 'defeat' : 'victory';
      expect(g.outcome, t).toBe(expected);
      expect(g.messengers).toHaveLength(plan!.fate.type === 'captured' ? 1 : 2);
      expect(g.endReason).toBe(expected === 'victory' ? 'allCommitted' : 'deadline');
      expect(state.results.find((r) => r.table === t)!.verdict).toEqual(tg.twoGenerals.verdict(g));
    }
    // With p = 0.3 over 50 tables each outcome turns up: missing one has odds below 1 in 100,000.
    expect(new Set(outcomes)).toEqual(new Set(['victory', 'noBattle', 'defeat']));

    // Every student's screen shows their own table's outcome in the debrief.
    await synced();
    for (const c of students) {
      const at = c.view!.seat!.table;
      expect(gameView(c)!.debrief!.outcome).toBe((state.tables[at]!.game!.state as tg.State).outcome);
    }
    await host.until(() => host.hostView!.results.length === 50);

    // The log on disk replays to exactly the live state.
    const parsed = parseLog(await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.warnings).toEqual([]);
    expect(parsed.state).toEqual(state);
  }, 60_000);

  it('two sessions on one server do not touch each other', async () => {
    server = await startServer();
    const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
    const open = async () => {
      const session = await createSession(server.url);
      const host = track(await hostClient(server.url, session));
      // The same names, hence the same player ids (P1, P2) and table ids (T1), in both sessions.
      const a = track(await playerClient(server.url, session.code, 'Ada'));
      const b = track(await playerClient(server.url, session.code, 'Bo'));
      expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
      expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
      expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
      await b.until(() => gameView(b)?.status === 'running');
      return { session, host, a, b, live: () => server.valley.registry.byId.get(session.sessionId)!.state };
    };
    const one = await open();
    const two = await open();
    expect(one.session.code).not.toBe(two.session.code);
    expect([one.a.playerId, two.a.playerId]).toEqual(['P1', 'P1']);
    const twoBefore: SessionState = two.live();
    const twoViews = [two.a.view, two.b.view];

    // The first session plays a whole game.
    expect(await act(one.a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await one.b.until(() => gameView(one.b)!.received.length === 1);
    expect(await act(one.b, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual({ ok: true });
    expect(await act(one.b, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await one.a.until(() => gameView(one.a)!.received.length === 1);
    expect(await act(one.a, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await one.host.until(() => one.host.hostView!.results.length === 1);
    await server.valley.idle();

    // The second session saw none of it: no event, no view, nothing on its host's screen.
    expect(two.live()).toBe(twoBefore);
    expect([two.a.view, two.b.view]).toEqual(twoViews);
    expect(two.host.hostView!.results).toEqual([]);
    expect((two.host.hostView!.tables[0]!.game!.state as tg.State).messengers).toEqual([]);
    expect(two.host.hostView!.players.map((p) => p.id)).toEqual(['P1', 'P2']);

    // Its own game runs on its own, and the first host cannot steer it.
    expect(await one.host.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'pause' } })).toMatchObject({
      ok: false,
      error: { rule: tg.TG_RULES.notRunning },
    });
    expect((two.live().tables.T1!.game!.state as tg.State).status).toBe('running');
    expect(await act(two.a, { type: 'sendMessenger', payload: { type: 'proposal', time: 9 } })).toEqual({ ok: true });
    expect(one.live().tables.T1!.game!.state).toMatchObject({ status: 'ended', outcome: 'victory' });

    // Tokens belong to their session: the first Ada's token does not open the second Ada's seat.
    const c = track(new Client(server.url));
    expect(await c.call(EVENTS.playerResume, { code: two.session.code, token: one.a.token })).toEqual({
      ok: false,
      error: { rule: ERRORS.badToken, evidence: {} },
    });

    // Each session's log holds its own events only.
    await server.valley.idle();
    const text = (s: { sessionId: string }) => readFile(join(server.dataDir, `${s.sessionId}.ndjson`), 'utf8');
    const [log1, log2] = [parseLog(await text(one.session)), parseLog(await text(two.session))];
    expect(log1.ok && log2.ok).toBe(true);
    if (!log1.ok || !log2.ok) return;
    expect(log1.state).toEqual(one.live());
    expect(log2.state).toEqual(two.live());
    expect(JSON.stringify(log2.events)).not.toContain('"time":6');
  });
});
