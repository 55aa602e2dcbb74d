import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer, tracked } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const { clients, track } = tracked();
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));

const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };

describe('a whole Two Generals game over the real server', () => {
  it('a teacher hosts, two students join, are paired, and win together', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    expect(session.code).toMatch(/^[A-HJ-NP-Z2-9]{5}$/);
    const host = track(await hostClient(server.url, session));
    const ada = track(await playerClient(server.url, session.code.toLowerCase(), '  Ada  '));
    const bo = track(await playerClient(server.url, session.code, 'Bo'));
    await host.until(() => host.hostView!.players.length === 2);
    expect(host.hostView!.players.map((p) => p.name)).toEqual(['Ada', 'Bo']);

    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'two-generals' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    await ada.until(() => gameView(ada)?.status === 'running');
    expect(ada.view!.seat).toEqual({ table: 'T1', seat: 'A', scenario: 'two-generals' });
    expect(ada.view!.tablemates).toEqual({ B: 'Bo' });

    expect(await ada.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } } })).toEqual({ ok: true });
    // Nothing reaches B before the valley's delay has passed.
    await server.clock.advance(999);
    expect(gameView(bo)!.received).toEqual([]);
    await server.clock.advance(1);
    await bo.until(() => gameView(bo)!.received.length === 1);
    expect(await bo.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'ack', of: 1 } } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await ada.until(() => gameView(ada)!.received.length === 1);
    await ada.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: 6 } } });
    await bo.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: 6 } } });
    await ada.until(() => gameView(ada)!.status === 'ended');
    const debrief = gameView(ada)!.debrief!;
    expect(debrief.outcome).toBe('victory');
    expect(debrief.ladder).toEqual({ A: { depth: 2, time: 6 }, B: { depth: 1, time: 6 } });
    await host.until(() => host.hostView!.results.length === 1);

    // The log holds every event, with tokens only as hashes, and replays to the same state.
    await server.valley.idle();
    const text = await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
    expect(text).not.toContain(session.hostToken);
    expect(text).not.toContain(ada.token);
    const parsed = parseLog(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.state).toEqual(server.valley.registry.byId.get(session.sessionId)!.state);
    expect(parsed.events.map((e) => e.type)).toContain('gameStarted');
  });

  it('a student who leaves mid-game is replaced by a bot, which plays on from the seat', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const a = track(await playerClient(server.url, session.code, 'Ana'));
    const b = track(await playerClient(server.url, session.code, 'Ben'));
    await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings });
    await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' });
    await host.call(EVENTS.hostCommand, { type: 'startGames', table: null });
    await a.until(() => gameView(a)?.status === 'running');
    await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'proposal', time: 8 } } });
    expect(await host.call(EVENTS.hostCommand, { type: 'removePlayer', playerId: b.playerId })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'setSeat', table: 'T1', seat: 'B', occupant: { type: 'bot' } })).toEqual({ ok: true });
    // The proposal reaches the bot, which acknowledges it.
    await server.clock.advance(1000);
    await server.clock.advance(1000);
    await a.until(() => gameView(a)!.received.some((m) => m.payload.type === 'ack'));
  });

  it('a student sees only what reached their seat while the game runs', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const a = track(await playerClient(server.url, session.code, 'A1'));
    const b = track(await playerClient(server.url, session.code, 'B1'));
    await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: { ...settings, captureRate: 1 } });
    await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' });
    await host.call(EVENTS.hostCommand, { type: 'startGames', table: null });
    await a.until(() => gameView(a)?.status === 'running');
    await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } } });
    await server.clock.advance(5000);
    await host.until(() => (host.hostView!.tables[0]!.game!.state as tg.State).messengers[0]?.status === 'captured');
    // The host sees the capture; A does not learn the fate; B never sees the messenger.
    expect(gameView(a)!.sent[0]!.status).toBeNull();
    expect(JSON.stringify(b.view)).not.toContain('proposal');
  });
});
