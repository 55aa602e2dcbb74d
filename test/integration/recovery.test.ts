// Nothing is lost: a student who drops comes back into their seat, and a server that restarts picks
// every game up from its log where it was.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialSession, parseLog, playerView, reduce, tg, type PlayerView, type SessionState } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { ManualClock } from '@valley/server/clock';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer, runningTable } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

const servers: TestServer[] = [];
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose(servers.splice(0), clients));

const T0 = 1_700_000_000_000;
const track = <T extends Client>(c: T): T => (clients.push(c), c);
const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 2000, delayMaxMs: 2000, deadlineMs: 60_000 };
const act = (c: Client, action: unknown) => c.call(EVENTS.playerAct, { action });
const propose = { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } };
const ack = (of: number) => ({ type: 'sendMessenger', payload: { type: 'ack', of } });
const attack = { type: 'commit', decision: { type: 'attack', time: 6 } };

type Session = { sessionId: string; code: string; hostToken: string };

async function start(opts: { dataDir?: string; clock?: ManualClock } = {}) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

/** Stop a server as a crash would leave it: its log on disk, its sockets gone. */
async function stop(server: TestServer) {
  await server.valley.idle();
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

/** A session with one table of two students, its game started. */
async function classroom(server: TestServer, names: [string, string] = ['Ada', 'Bo']) {
  return runningTable(server.url, settings, names, track);
}

/** A new connection that resumes a student's seat with their token. */
async function resume(server: TestServer, code: string, token: string) {
  const c = track(new Client(server.url));
  const r = await c.call<{ playerId: string; view: PlayerView; v: number }>(EVENTS.playerResume, { code, token });
  if (!r.ok) throw new Error(`resume: ${JSON.stringify(r.error)}`);
  c.enter(r);
  return Object.assign(c, { playerId: r.playerId });
}

const live = (server: TestServer, s: Session) => server.valley.registry.byId.get(s.sessionId)!;
const logPath = (server: TestServer, s: Session) => join(server.dataDir, `${s.sessionId}.ndjson`);

/** The log on disk replays, with no warning, to exactly the state the server holds. */
async function logMatches(server: TestServer, s: Session) {
  await server.valley.idle();
  const parsed = parseLog(await readFile(logPath(server, s), 'utf8'));
  expect(parsed).toMatchObject({ ok: true, warnings: [] });
  if (parsed.ok) expect(parsed.state).toEqual(live(server, s).state);
}

describe('a student who drops', () => {
  it('reconnects with a new socket and player:resume into the same seat, with everything it had seen', async () => {
    const server = await start();
    const { session, host, a, b } = await classroom(server);
    expect(await act(a, propose)).toEqual({ ok: true });
    await server.clock.advance(2000);
    await b.until(() => gameView(b)!.received.length === 1);
    expect(await act(b, ack(1))).toEqual({ ok: true });
    await b.until(() => gameView(b)!.sent.length === 1);
    const seen = gameView(b)!;

    // Bo's lid closes. Meanwhile his ack arrives, Ada commits, and her note reaches his empty chair.
    b.close();
    await server.clock.advance(2000);
    await a.until(() => gameView(a)!.received.length === 1);
    expect(await act(a, attack)).toEqual({ ok: true });
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'note', text: 'attacking at six' } })).toEqual({ ok: true });
    await server.clock.advance(2000);
    await host.until(() => (host.hostView!.tables[0]!.game!.state as tg.State).messengers[2]?.status === 'delivered');

    const bo = await resume(server, session.code.toLowerCase(), b.token);
    expect(bo.playerId).toBe(b.playerId);
    expect(bo.view).toEqual(playerView(live(server, session).state, b.playerId));
    expect(bo.view!.seat).toEqual({ table: 'T1', seat: 'B', scenario: 'two-generals' });
    expect(bo.view!.tablemates).toEqual({ A: 'Ada' });
    const now = gameView(bo)!;
    // Everything he had seen is still there, and what reached him while away too.
    expect(now.sent).toEqual(seen.sent);
    expect(now.received.slice(0, seen.received.length)).toEqual(seen.received);
    expect(now.received.map((m) => m.payload)).toEqual([
      { type: 'proposal', time: 6 },
      { type: 'note', text: 'attacking at six' },
    ]);
    expect(now.decision).toBeNull();

    // He plays on from the new socket, and the game ends as if nothing happened.
    expect(await act(bo, attack)).toEqual({ ok: true });
    await bo.until(() => gameView(bo)!.status === 'ended');
    expect(gameView(bo)!.debrief!.outcome).toBe('victory');
    await a.until(() => gameView(a)!.status === 'ended');
    await logMatches(server, session);
  });

  it('a wrong token does not resume, and the right one still does afterwards', async () => {
    const server = await start();
    const { session, a } = await classroom(server);
    const c = track(new Client(server.url));
    expect(await c.call(EVENTS.playerResume, { code: session.code, token: `${a.token.slice(0, -2)}xx` })).toEqual({
      ok: false,
      error: { rule: ERRORS.badToken, evidence: {} },
    });
    a.close();
    const ada = await resume(server, session.code, a.token);
    expect(ada.view!.seat).toMatchObject({ table: 'T1', seat: 'A' });
  });
});

describe('a server that restarts mid-game', () => {
  it('resumes every game from the log: messengers in flight arrive, students and bots play on', async () => {
    const first = await start({ clock: new ManualClock(T0) });
    const { session, host, a, b } = await classroom(first);
    // A second table: Cy against a bot.
    const cy = track(await playerClient(first.url, session.code, 'Cy'));
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'two-generals' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: 'T2' })).toEqual({ ok: true });
    await cy.until(() => gameView(cy)?.status === 'running');
    expect(await act(a, propose)).toEqual({ ok: true });
    expect(await act(cy, propose)).toEqual({ ok: true });
    await first.clock.advance(500);
    const before: SessionState = live(first, session).state;
    const inFlight = (s: SessionState, t: string) => (s.tables[t]!.game!.state as tg.State).messengers.filter((m) => m.status === 'inFlight');
    expect(inFlight(before, 'T1')).toHaveLength(1);
    expect(inFlight(before, 'T2')).toHaveLength(1);
    await stop(first);
    for (const c of [a, b, cy]) await c.until(() => !c.socket.connected);

    // Ten seconds later (fake time), the server is back on the same data directory.
    const second = await start({ dataDir: first.dataDir, clock: new ManualClock(T0 + 10_000) });
    expect(second.valley.registry.broken).toEqual([]);
    const recovered = live(second, session);
    // The log rebuilt exactly the state the first server held (the valley then moves on at once).
    const rebuilt = parseLog(await readFile(logPath(second, session), 'utf8'));
    if (!rebuilt.ok) throw new Error(rebuilt.error.reason);
    expect(rebuilt.events.slice(0, before.seq).reduce(reduce, initialSession(rebuilt.header))).toEqual(before);
    expect(recovered.code).toBe(session.code);

    // The messengers that were due while the server was down arrive at once.
    await second.clock.advance(0);
    const s1 = recovered.state.tables.T1!.game!.state as tg.State;
    expect(s1.messengers[0]).toMatchObject({ n: 1, status: 'delivered', endsAt: T0 + 10_000 });

    // Everyone comes back with their tokens: the host with theirs, the students into their seats.
    const host2 = track(await hostClient(second.url, session));
    expect(host2.hostView!.tables.map((t) => [t.id, t.seats.A!.name, t.seats.B!.name])).toEqual([
      ['T1', 'Ada', 'Bo'],
      ['T2', 'Cy', 'bot'],
    ]);
    const ada = await resume(second, session.code, a.token);
    const bo = await resume(second, session.code, b.token);
    const cy2 = await resume(second, session.code, cy.token);
    expect([ada.view!.seat!.seat, bo.view!.seat!.seat, cy2.view!.seat!.seat]).toEqual(['A', 'B', 'A']);
    expect(gameView(bo)!.received).toEqual([{ n: 1, payload: { type: 'proposal', time: 6 }, arrivedAt: T0 + 10_000, ackable: true }]);
    expect(gameView(ada)!.sent.map((m) => m.n)).toEqual([1]);

    // The bot picked its game up too: the plan reached it after the restart and it answered.
    await second.clock.advance(2000);
    await cy2.until(() => gameView(cy2)!.received.length >= 1);
    expect(gameView(cy2)!.received[0]!.payload).toEqual({ type: 'ack', of: 1 });

    // The students finish their game.
    expect(await act(bo, ack(1))).toEqual({ ok: true });
    expect(await act(bo, attack)).toEqual({ ok: true });
    await second.clock.advance(2000);
    await ada.until(() => gameView(ada)!.received.length === 1);
    expect(await act(ada, attack)).toEqual({ ok: true });
    await ada.until(() => gameView(ada)!.status === 'ended');
    expect(gameView(ada)!.debrief).toMatchObject({ outcome: 'victory', reason: 'allCommitted' });
    await host2.until(() => host2.hostView!.results.length === 1);
    expect(host2.hostView!.results[0]).toMatchObject({ table: 'T1', players: { A: 'Ada', B: 'Bo' } });
    // Sequence numbers went on where the first server stopped.
    expect(live(second, session).state.seq).toBeGreaterThan(before.seq);
    await logMatches(second, session);
  });

  it('what came due while the server was down arrives before a bot looks again: no needless resend', async () => {
    const first = await start({ clock: new ManualClock(T0) });
    const session = await createSession(first.url);
    const host = track(await hostClient(first.url, session));
    const cy = track(await playerClient(first.url, session.code, 'Cy'));
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'createTable', scenario: 'two-generals' })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'bot' } })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'setSeat', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: cy.playerId } })).toEqual({
      ok: true,
    });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: 'T1' })).toEqual({ ok: true });
    // The bot general proposes at once; Cy answers when the plan arrives, and the server goes down
    // while the answer is on its way.
    await first.clock.advance(2000);
    await cy.until(() => gameView(cy)?.received.length === 1);
    expect(await act(cy, ack(1))).toEqual({ ok: true });
    await first.clock.advance(500);
    await stop(first);

    // Back long after the bot's resend time: the acknowledgement arrives first, so the bot answers it
    // and attacks, instead of sending its plan again as if nothing had come back.
    const second = await start({ dataDir: first.dataDir, clock: new ManualClock(T0 + 20_000) });
    await second.clock.advance(0);
    const g = live(second, session).state.tables.T1!.game!.state as tg.State;
    expect(g.messengers.map((m) => [m.n, m.from, m.payload.type, m.status])).toEqual([
      [1, 'A', 'proposal', 'delivered'],
      [2, 'B', 'ack', 'delivered'],
      [3, 'A', 'ack', 'inFlight'],
    ]);
    expect(g.decisions.A).toMatchObject({ type: 'attack', time: 6 });
    await logMatches(second, session);
  });

  it('a game whose deadline passed while the server was down ends at once; only messengers due before it arrive', async () => {
    const first = await start({ clock: new ManualClock(T0) });
    const { session, a } = await classroom(first);
    expect(await act(a, propose)).toEqual({ ok: true });
    await first.clock.advance(59_000);
    // Due at 61 s: after the 60 s deadline.
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'note', text: 'too late' } })).toEqual({ ok: true });
    await stop(first);

    const second = await start({ dataDir: first.dataDir, clock: new ManualClock(T0 + 3_600_000) });
    await second.clock.advance(0);
    const g = live(second, session).state.tables.T1!.game!.state as tg.State;
    expect(g).toMatchObject({ status: 'ended', endReason: 'deadline', outcome: 'noBattle' });
    expect(g.messengers.map((m) => m.status)).toEqual(['delivered', 'inFlight']);
    expect(live(second, session).state.results).toHaveLength(1);
    await logMatches(second, session);
  });

  it('drops a torn last line (a crash mid-write) and recovers the session', async () => {
    const first = await start({ clock: new ManualClock(T0) });
    const { session, a, b } = await classroom(first);
    expect(await act(a, propose)).toEqual({ ok: true });
    const before = live(first, session).state;
    await stop(first);
    const path = logPath(first, session);
    const whole = await readFile(path, 'utf8');
    // Half of the next event, with no newline: the crash came mid-write.
    await appendFile(path, `{"seq":${before.seq + 1},"at":${T0},"type":"game","table":"T1","game":1,"event":{"type":"messengerSent","n":2,`);

    const second = await start({ dataDir: first.dataDir, clock: new ManualClock(T0 + 1000) });
    expect(second.valley.registry.broken).toEqual([]);
    expect(live(second, session).state).toEqual(before);
    // The torn line is cut off the file, so new events follow the last whole line.
    expect(await readFile(path, 'utf8')).toBe(whole);

    const ada = await resume(second, session.code, a.token);
    const bo = await resume(second, session.code, b.token);
    await second.clock.advance(1000);
    await bo.until(() => gameView(bo)!.received.length === 1);
    expect(await act(bo, ack(1))).toEqual({ ok: true });
    expect(await act(bo, attack)).toEqual({ ok: true });
    await second.clock.advance(2000);
    await ada.until(() => gameView(ada)!.received.length === 1);
    expect(await act(ada, attack)).toEqual({ ok: true });
    await ada.until(() => gameView(ada)!.status === 'ended');
    expect(gameView(ada)!.debrief!.outcome).toBe('victory');
    await logMatches(second, session);
  });

  it('a log damaged in the middle is not recovered and is reported; the other sessions recover', async () => {
    const first = await start({ clock: new ManualClock(T0) });
    const good = await classroom(first, ['Ada', 'Bo']);
    const bad = await classroom(first, ['Cy', 'Di']);
    expect(await act(good.a, propose)).toEqual({ ok: true });
    expect(await act(bad.a, propose)).toEqual({ ok: true });
    const before = live(first, good.session).state;
    await stop(first);
    const path = logPath(first, bad.session);
    const lines = (await readFile(path, 'utf8')).split('\n');
    // The third line lost its end (a bad sector, a careless edit); the lines after it are whole.
    lines[2] = lines[2]!.slice(0, 25);
    const damaged = lines.join('\n');
    await writeFile(path, damaged);

    const second = await start({ dataDir: first.dataDir, clock: new ManualClock(T0 + 1000) });
    expect(second.valley.registry.broken).toEqual([{ sessionId: bad.session.sessionId, line: 3, reason: 'not JSON' }]);
    const health = await fetch(`${second.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, sessions: 1, broken: 1 });
    // The damaged file is left as it was, for someone to look at.
    expect(await readFile(path, 'utf8')).toBe(damaged);

    // The broken session is gone from the server: its code, its tokens and its log download are refused.
    const c = track(new Client(second.url));
    expect(await c.call(EVENTS.playerResume, { code: bad.session.code, token: bad.a.token })).toEqual({
      ok: false,
      error: { rule: ERRORS.badToken, evidence: {} },
    });
    expect(await c.call(EVENTS.hostAttach, { sessionId: bad.session.sessionId, hostToken: bad.session.hostToken })).toEqual({
      ok: false,
      error: { rule: ERRORS.badToken, evidence: {} },
    });
    const download = await fetch(`${second.url}/api/sessions/${bad.session.sessionId}/log`, { headers: { authorization: `Bearer ${bad.session.hostToken}` } });
    expect(download.status).toBe(403);

    // The good one is whole, and plays on.
    expect(live(second, good.session).state).toEqual(before);
    const bo = await resume(second, good.session.code, good.b.token);
    await second.clock.advance(1000);
    await bo.until(() => gameView(bo)!.received.length === 1);
    expect(await act(bo, ack(1))).toEqual({ ok: true });
    await logMatches(second, good.session);
  });
});
