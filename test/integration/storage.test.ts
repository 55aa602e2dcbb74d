// Storage faults lose nothing: a disk that fills up and is freed, that answers EIO or EPERM, that takes
// a write only in part or cannot cut a file back, a flush to the disk that fails. Every acknowledged
// action is in the log, the log has no hole and verifies, the state matches it, and a game whose own
// work (a bot's move, a delivery, the deadline) was refused picks it up once writing works again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, tg, verifyLog, type SessionState } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { ManualClock } from '@valley/server/clock';
import { FaultyFiles } from '../support/faulty-files.ts';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(() => replayThenClose(servers.splice(0), clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);
const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000, botBudget: 3 };
const propose = { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } };
const note = (text: string) => ({ type: 'sendMessenger', payload: { type: 'note', text } });
const attack = { type: 'commit', decision: { type: 'attack', time: 6 } };
const refusedFor = (code: string) => ({ ok: false, error: { rule: ERRORS.storage, evidence: { code } } });

async function serve(opts: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer(opts);
  servers.push(server);
  return server;
}

/** A session of two students at one Two Generals table, its game running, on a disk that fails on demand. */
async function classroom(disk = new FaultyFiles(), opts: Parameters<typeof startServer>[0] = {}) {
  const server = await serve({ files: disk, ...opts });
  const session = await createSession(server.url);
  const host = track(await hostClient(server.url, session));
  let storageError: string | null = null;
  host.socket.on(EVENTS.hostView, (m: { storageError: string | null }) => (storageError = m.storageError));
  const a = track(await playerClient(server.url, session.code, 'Ada'));
  const b = track(await playerClient(server.url, session.code, 'Bo'));
  for (const cmd of [
    { type: 'setSettings', scenario: 'two-generals', settings },
    { type: 'autoSeat', bots: false, scenario: 'two-generals' },
    { type: 'startGames', table: null },
  ])
    expect(await host.call(EVENTS.hostCommand, cmd)).toMatchObject({ ok: true });
  await a.until(() => gameView(a)?.status === 'running');
  const live = () => server.valley.registry.byId.get(session.sessionId)!;
  const logText = () => readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
  return { server, disk, session, host, a, b, live, logText, storageError: () => storageError };
}

/** The log has no hole, reads to the end with no warning, verifies, and is exactly the live state. */
async function logIsWhole(text: string, state: SessionState) {
  expect(text.includes('\u0000')).toBe(false);
  const parsed = parseLog(text);
  expect(parsed).toMatchObject({ ok: true, warnings: [] });
  if (parsed.ok) expect(parsed.state).toEqual(state);
  expect(verifyLog(text)).toMatchObject({ ok: true, problems: [] });
}

/** Every note a student was told went through is in the log, once. */
function notesIn(text: string): string[] {
  const parsed = parseLog(text);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.events.flatMap((e) => {
    const ev = e.type === 'game' ? (e.event as tg.Event) : null;
    return ev?.type === 'messengerSent' && ev.payload.type === 'note' ? [ev.payload.text] : [];
  });
}

describe('a disk that fills up and is freed', () => {
  it('refuses while full, leaves no hole, takes the waiting delivery once freed, and survives a restart', async () => {
    const { server, disk, session, host, a, b, live, logText, storageError } = await classroom();
    const acked: string[] = [];
    const say = async (c: Client, text: string) => {
      const r = await c.call(EVENTS.playerAct, { action: note(text) });
      if (r.ok) acked.push(text);
      return r;
    };
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    expect(await say(a, 'before')).toEqual({ ok: true });
    await server.valley.idle();
    const before = live().state;
    const textBefore = await logText();

    // 30 bytes left: the next write lands in part, then the disk is full.
    disk.fill(30);
    expect(await say(a, 'while full')).toEqual(refusedFor('ENOSPC'));
    expect(await host.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'pause' } })).toEqual(refusedFor('ENOSPC'));
    // The messengers due cannot be written either, so they wait: nothing moved, on screen or on disk.
    await server.clock.advance(3000);
    expect(live().state).toBe(before);
    expect(await logText()).toBe(textBefore);
    expect(gameView(b)!.received).toEqual([]);
    // The host is told what is wrong.
    await host.until(() => storageError() === 'ENOSPC');
    const attached = await track(new Client(server.url)).call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken });
    expect(attached).toMatchObject({ ok: true, storageError: 'ENOSPC' });

    // Space comes back: the waiting deliveries go through within a second, the warning clears, play goes on.
    disk.free();
    await server.clock.advance(1000);
    await b.until(() => gameView(b)!.received.length === 2);
    await host.until(() => storageError() === null);
    expect(await say(a, 'after')).toEqual({ ok: true });
    expect(await say(b, 'after too')).toEqual({ ok: true });
    await server.valley.idle();
    const text = await logText();
    await logIsWhole(text, live().state);
    expect(notesIn(text)).toEqual(acked);

    // The server dies (its log as it is on disk) and starts again on the same folder: all is back.
    const dataDir = server.dataDir;
    servers.splice(servers.indexOf(server), 1);
    await server.close();
    const second = await serve({ dataDir, clock: new ManualClock(server.clock.now() + 5000) });
    expect(second.valley.registry.broken).toEqual([]);
    const back = second.valley.registry.byId.get(session.sessionId)!;
    expect(notesIn(await readFile(join(dataDir, `${session.sessionId}.ndjson`), 'utf8'))).toEqual(acked);
    expect(back.state.players.P1!.name).toBe('Ada');
  });

  it('a command whose unit does not fit leaves none of its lines: two commits ending a game, all or none', async () => {
    const { server, disk, a, b, live, logText } = await classroom();
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await b.until(() => gameView(b)!.received.length === 1);
    expect(await b.call(EVENTS.playerAct, { action: attack })).toEqual({ ok: true });
    await server.valley.idle();
    const textBefore = await logText();
    const before = live().state;
    // Ada's commit ends the game: two lines (her decision, the end). Room for one and a half.
    disk.fill(200);
    expect(await a.call(EVENTS.playerAct, { action: attack })).toEqual(refusedFor('ENOSPC'));
    expect(await logText()).toBe(textBefore);
    expect(live().state).toBe(before);
    disk.free();
    expect(await a.call(EVENTS.playerAct, { action: attack })).toEqual({ ok: true });
    await a.until(() => gameView(a)!.status === 'ended');
    await server.valley.idle();
    await logIsWhole(await logText(), live().state);
  });

  it('a game started with a bot whose first move is refused: the start stands, the move and the timers follow once space returns', async () => {
    const disk = new FaultyFiles();
    const server = await serve({ files: disk });
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const bo = track(await playerClient(server.url, session.code, 'Bo'));
    const cmd = (c: unknown) => host.call(EVENTS.hostCommand, c);
    expect(await cmd({ type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
    expect(await cmd({ type: 'createTable', scenario: 'two-generals' })).toEqual({ ok: true });
    expect(await cmd({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'bot' } })).toEqual({ ok: true });
    expect(await cmd({ type: 'setSeat', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: 'P1' } })).toEqual({ ok: true });
    const live = () => server.valley.registry.byId.get(session.sessionId)!;
    const game = () => live().state.tables.T1!.game?.state as tg.State | undefined;
    const logText = () => readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');

    // Room for the start's unit only: the bot's proposal right after it is refused.
    disk.writesLeft = 1;
    expect(await cmd({ type: 'startGames', table: 'T1' })).toEqual({ ok: true });
    await server.valley.idle();
    expect(game()!.status).toBe('running');
    expect(game()!.messengers).toEqual([]);
    expect(parseLog(await logText())).toMatchObject({ ok: true, state: live().state });

    // A while later the disk is freed: within a second the bot moves, its messenger crosses, and the
    // deadline ends the game on time — no game is left without its timers.
    await server.clock.advance(5000);
    expect(game()!.messengers).toEqual([]);
    disk.free();
    await server.clock.advance(1000);
    expect(game()!.messengers.map((m) => m.payload)).toEqual([{ type: 'proposal', time: 6 }]);
    await server.clock.advance(1000);
    expect(game()!.messengers[0]!.status).toBe('delivered');
    await bo.until(() => gameView(bo)!.received.length === 1);
    await server.clock.advance(settings.deadlineMs);
    expect(game()!.status).toBe('ended');
    await server.valley.idle();
    await logIsWhole(await logText(), live().state);
  });
});

describe('other failures of the data folder', () => {
  it('EIO on every write: refused with its code, shown to the host, cleared when writes work again', async () => {
    const { server, disk, a, host, live, logText, storageError } = await classroom();
    disk.writeError = 'EIO';
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual(refusedFor('EIO'));
    await host.until(() => storageError() === 'EIO');
    disk.writeError = null;
    // Nothing was waiting to be written: the server looks again by itself and the warning goes.
    await server.clock.advance(1000);
    await host.until(() => storageError() === null);
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.valley.idle();
    await logIsWhole(await logText(), live().state);
  });

  it('a folder the server may not write (EACCES): creating a session answers a storage error, not server/internal', async () => {
    const disk = new FaultyFiles();
    const server = await serve({ files: disk });
    disk.openError = 'EACCES';
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    expect(res.status).toBe(507);
    expect(await res.json()).toEqual({ error: { rule: ERRORS.storage, evidence: { code: 'EACCES' } } });
    disk.openError = null;
    expect((await fetch(`${server.url}/api/sessions`, { method: 'POST' })).status).toBe(201);
  });

  it('an immutable log after a restart (EPERM): actions are refused with EPERM, nothing is lost', async () => {
    const { server, session, a, logText } = await classroom();
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.valley.idle();
    const text = await logText();
    servers.splice(servers.indexOf(server), 1);
    await server.close();
    const disk = new FaultyFiles();
    disk.openError = 'EPERM';
    const second = await serve({ dataDir: server.dataDir, files: disk, clock: new ManualClock(server.clock.now()) });
    const back = second.valley.registry.byId.get(session.sessionId)!;
    const ada = track(new Client(second.url));
    const r = await ada.call<{ playerId: string }>(EVENTS.playerResume, { code: session.code, token: a.token });
    expect(r.ok).toBe(true);
    expect(await ada.call(EVENTS.playerAct, { action: note('x') })).toEqual(refusedFor('EPERM'));
    expect(await readFile(join(second.dataDir, `${session.sessionId}.ndjson`), 'utf8')).toBe(text);
    disk.openError = null;
    await second.clock.advance(1000);
    expect(await ada.call(EVENTS.playerAct, { action: note('x') })).toEqual({ ok: true });
    await second.valley.idle();
    await logIsWhole(await readFile(join(second.dataDir, `${session.sessionId}.ndjson`), 'utf8'), back.state);
  });

  it('writes that land only a few bytes at a time still make whole lines', async () => {
    const disk = new FaultyFiles();
    disk.maxPerWrite = 7;
    const { server, a, b, live, logText } = await classroom(disk);
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await b.until(() => gameView(b)!.received.length === 1);
    expect(await b.call(EVENTS.playerAct, { action: note('好的, d’accord') })).toEqual({ ok: true });
    await server.valley.idle();
    expect(disk.writes).toBeGreaterThan(100);
    await logIsWhole(await logText(), live().state);
  });

  it('a failed write that cannot even be cut back is cut before the next write', async () => {
    const { server, disk, a, live, logText } = await classroom();
    const textBefore = await logText();
    disk.fill(25);
    disk.truncateFailures = 1;
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual(refusedFor('ENOSPC'));
    // 25 bytes of a line were left behind: a crash now would see a torn line and drop it.
    expect((await logText()).length).toBe(textBefore.length + 25);
    expect(parseLog(await logText())).toMatchObject({ ok: true, warnings: [{ reason: 'torn last line dropped' }] });
    disk.free();
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.valley.idle();
    await logIsWhole(await logText(), live().state);
  });

  it('a flush to the disk that fails (durability disk): the action is answered with a storage error', async () => {
    const { server, disk, a, host, storageError, logText } = await classroom(new FaultyFiles(), { durability: 'disk' });
    disk.syncError = 'EIO';
    expect(await a.call(EVENTS.playerAct, { action: note('flushed?'), id: 'f-1' })).toEqual(refusedFor('EIO'));
    await host.until(() => storageError() === 'EIO');
    // Its lines were written (only the flush failed): a retry with its id flushes again, it is not applied twice.
    expect(await a.call(EVENTS.playerAct, { action: note('flushed?'), id: 'f-1' })).toEqual(refusedFor('EIO'));
    disk.syncError = null;
    expect(await a.call(EVENTS.playerAct, { action: note('flushed?'), id: 'f-1' })).toEqual({ ok: true });
    expect(await a.call(EVENTS.playerAct, { action: note('again') })).toEqual({ ok: true });
    await server.valley.idle();
    expect(notesIn(await logText())).toEqual(['flushed?', 'again']);
  });
});

describe('the store itself', () => {
  it('after close() nothing is written: a late append is a storage error, the log is left as it was', async () => {
    const { server, session, a, logText } = await classroom();
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.valley.idle();
    const text = await logText();
    await server.valley.store.close();
    expect(() => server.valley.store.append(session.sessionId, [])).toThrow(/closed/);
    expect(await a.call(EVENTS.playerAct, { action: note('too late') })).toEqual(refusedFor('ESHUTDOWN'));
    expect(await logText()).toBe(text);
  });

  it('after a failed flush, the unflushed lines are written again before the next flush', async () => {
    const disk = new FaultyFiles();
    const { server, a, live, logText } = await classroom(disk, { durability: 'disk' });
    disk.syncError = 'EIO';
    expect(await a.call(EVENTS.playerAct, { action: note('one') })).toEqual(refusedFor('EIO'));
    disk.syncError = null;
    const writes = disk.writes;
    expect(await a.call(EVENTS.playerAct, { action: note('two') })).toEqual({ ok: true });
    // The new line, and the line whose flush failed written again where it was.
    expect(disk.writes - writes).toBeGreaterThanOrEqual(2);
    await server.valley.idle();
    await logIsWhole(await logText(), live().state);
    expect(notesIn(await logText())).toEqual(['one', 'two']);
  });
});

describe('durability', () => {
  it('disk: acknowledgements wait for a flush shared by everything written in the same turn', async () => {
    const { server, disk, session } = await classroom(new FaultyFiles(), { durability: 'disk' });
    const players = await Promise.all(Array.from({ length: 10 }, (_, i) => playerClient(server.url, session.code, `S${i}`).then(track)));
    const host = track(await hostClient(server.url, session));
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    await Promise.all(players.map((p) => p.until(() => gameView(p)?.status === 'running')));
    const syncsBefore = server.valley.store.stats.syncs;
    const writesBefore = server.valley.store.stats.syncedWrites;
    const answers = await Promise.all(players.map((p) => p.call(EVENTS.playerAct, { action: note('at once') })));
    expect(answers.every((r) => r.ok)).toBe(true);
    const syncs = server.valley.store.stats.syncs - syncsBefore;
    const covered = server.valley.store.stats.syncedWrites - writesBefore;
    expect(covered).toBeGreaterThanOrEqual(answers.length);
    expect(syncs).toBeLessThan(covered);
    expect(disk.syncs).toBeGreaterThan(0);
  });

  it('os: nothing waits for the disk', async () => {
    const { a, disk, server } = await classroom(new FaultyFiles(), { durability: 'os' });
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    await server.valley.idle();
    expect(disk.syncs).toBe(0);
  });
});

describe('a retried action across a restart', () => {
  it('gets the first answer and is not applied again', async () => {
    const { server, session, a, logText } = await classroom();
    expect(await a.call(EVENTS.playerAct, { action: note('once'), id: 'n-1' })).toEqual({ ok: true });
    await server.valley.idle();
    servers.splice(servers.indexOf(server), 1);
    await server.close();
    const second = await serve({ dataDir: server.dataDir, clock: new ManualClock(server.clock.now() + 1000) });
    const ada = track(new Client(second.url));
    expect((await ada.call(EVENTS.playerResume, { code: session.code, token: a.token })).ok).toBe(true);
    // The answer was lost in the restart; the client sends the same action with the same id again.
    expect(await ada.call(EVENTS.playerAct, { action: note('once'), id: 'n-1' })).toEqual({ ok: true });
    expect(await ada.call(EVENTS.playerAct, { action: note('other'), id: 'n-1' })).toEqual({
      ok: false,
      error: { rule: ERRORS.badMessage, evidence: { problem: 'id-reused' } },
    });
    await second.valley.idle();
    const text = await readFile(join(second.dataDir, `${session.sessionId}.ndjson`), 'utf8');
    expect(notesIn(text)).toEqual(['once']);
    void logText;
  });

  it('an action the disk refused is tried afresh when retried with its id', async () => {
    const { server, disk, a, logText } = await classroom();
    disk.fill(0);
    expect(await a.call(EVENTS.playerAct, { action: note('retry me'), id: 'r-1' })).toEqual(refusedFor('ENOSPC'));
    disk.free();
    expect(await a.call(EVENTS.playerAct, { action: note('retry me'), id: 'r-1' })).toEqual({ ok: true });
    await server.valley.idle();
    expect(notesIn(await logText())).toEqual(['retry me']);
  });
});
