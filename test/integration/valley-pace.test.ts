// The valley at a human pace over the real server: a student at the valley seat of a Two Generals and
// of a Paxos table with "stop every messenger" on and slow motion, bots at the other seats. Every
// messenger waits for the student; what the student lets go arrives, what they keep is counted at the
// end, and the log passes the checker and replays to the live state.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STOP_LIMIT_MS, verifyLog, px, tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const clients: Client[] = [];
afterEach(() => replayThenClose([server], clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);

async function ok(c: Client, event: string, payload: unknown) {
  const r = await c.call(event, payload);
  expect(r, JSON.stringify(payload)).toMatchObject({ ok: true });
}

/** A table of `scenario` with a student at V and bots everywhere else, started. */
async function valleyTable(scenario: 'two-generals' | 'paxos', settings: object) {
  server = await startServer();
  const session = await createSession(server.url);
  const host = track(await hostClient(server.url, session));
  await ok(host, EVENTS.hostCommand, { type: 'setSettings', scenario, settings });
  await ok(host, EVENTS.hostCommand, { type: 'createTable', scenario });
  const vic = track(await playerClient(server.url, session.code, 'Vic'));
  await host.until(() => host.hostView?.players.length === 1);
  const live = server.valley.registry.byId.get(session.sessionId)!;
  const seats = Object.keys(live.state.tables['T1']!.seats);
  expect(seats).toContain('V');
  for (const seat of seats) {
    const occupant = seat === 'V' ? { type: 'player', playerId: host.hostView!.players[0]!.id } : { type: 'bot' };
    await ok(host, EVENTS.hostCommand, { type: 'setSeat', table: 'T1', seat, occupant });
  }
  await ok(host, EVENTS.hostCommand, { type: 'startGames', table: null });
  const act = (action: unknown) => vic.call(EVENTS.playerAct, { action });
  const log = () => readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
  return { host, vic, act, live, log };
}

describe('the valley seat stops each messenger, over the real server', () => {
  it('Two Generals at ×3: the student holds every messenger, lets the plan go, captures the acknowledgement; one still held at the end is counted', async () => {
    const config: tg.Config = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, slowMotion: 3, valley: true, stopEach: true };
    const { host, vic, act, live, log } = await valleyTable('two-generals', config);
    const view = () => vic.view?.game?.view as tg.TGValleyView | undefined;
    // Bot A sends its plan at once: it waits at the valley, on the student's screen with its limit.
    await server.clock.advance(10);
    await vic.until(() => view()?.crossing.length === 1);
    const plan = view()!.crossing[0]!;
    expect(plan).toMatchObject({ n: 1, from: 'A', to: 'B', status: 'held' });
    expect(plan.heldUntil! - plan.sentAt).toBe(STOP_LIMIT_MS);
    expect(await act({ type: 'release', n: 1 })).toEqual({ ok: true });
    // Let go, it crosses at slow motion: three seconds instead of one.
    await server.clock.advance(2900);
    expect((live.state.tables['T1']!.game!.state as tg.State).messengers[0]!.status).toBe('inFlight');
    await server.clock.advance(200);
    await vic.until(() => view()?.crossing.some((m) => m.n === 2) ?? false);
    const ack = view()!.crossing.find((m) => m.n === 2)!;
    expect(ack).toMatchObject({ from: 'B', to: 'A', status: 'held' });
    expect(await act({ type: 'capture', n: 2 })).toEqual({ ok: true });
    expect(await act({ type: 'capture', n: 2 })).toMatchObject({ ok: false, error: { rule: 'tg/not-in-flight', evidence: { n: 2 } } });
    expect(await act({ type: 'sendMessenger', payload: { type: 'note', text: 'boo' } })).toMatchObject({ ok: false, error: { rule: 'tg/wrong-role' } });
    // Bot A resends its plan when nothing comes back; the student keeps it until the host ends the game.
    for (let i = 0; i < 10 && !view()?.crossing.some((m) => m.from === 'A'); i++) await server.clock.advance(1000);
    expect(view()!.crossing.some((m) => m.from === 'A' && m.status === 'held')).toBe(true);
    await ok(host, EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'end' } });
    await vic.until(() => view()?.debrief !== null && view()?.debrief !== undefined);
    expect(view()!.debrief!.heldAtEnd).toBe(1);
    expect((live.state.results[0]!.verdict as tg.TGVerdict).heldAtEnd).toBe(1);
    // The pace is part of the game's settings, as the log records them.
    expect((live.state.tables['T1']!.game!.state as tg.State).config).toMatchObject({ slowMotion: 3, stopEach: true, valley: true });
    expect(verifyLog(await log())).toMatchObject({ ok: true, problems: [] });
  });

  it('Paxos: bots choose a value through a valley student who lets every stopped messenger go', async () => {
    const config: px.Config = {
      ...px.defaultConfig,
      captureRate: 0,
      delayMinMs: 500,
      delayMaxMs: 1000,
      proposers: 1,
      acceptors: 3,
      learners: 1,
      valley: true,
      stopEach: true,
    };
    const { act, vic, live, log } = await valleyTable('paxos', config);
    const view = () => vic.view?.game?.view as px.PaxosView | undefined;
    const state = () => live.state.tables['T1']!.game!.state as px.State;
    let released = 0;
    for (let step = 0; step < 200 && state().chosen.length === 0; step++) {
      for (const m of view()?.crossing ?? []) {
        if (m.status !== 'held') continue;
        expect(m.heldUntil).not.toBeNull();
        const r = await act({ type: 'release', n: m.n });
        if ((r as { ok: boolean }).ok) released++;
      }
      await server.clock.advance(250);
    }
    expect(state().chosen).toHaveLength(1);
    // Every messenger waited at the valley: the log holds one messengerHeld for each sent.
    const text = await log();
    const lines = text.split('\n').filter((l) => l.includes('"messengerSent"') || l.includes('"messengerHeld"'));
    expect(lines.filter((l) => l.includes('"messengerHeld"'))).toHaveLength(lines.filter((l) => l.includes('"messengerSent"')).length);
    expect(released).toBeGreaterThanOrEqual(6);
    expect(verifyLog(text)).toMatchObject({ ok: true, problems: [] });
  });
});
