// Faults the drills do not reach by killing the process: the same game played twice from the same
// seed, and an action delivered twice (a retry after a lost answer). Storage faults: storage.test.ts.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FORMAT, LOG_VERSION, encodeLine, parseLog, px, tg, verifyLog, type SessionHeader } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { ManualClock } from '@valley/server/clock';
import { createHash } from 'node:crypto';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

/** As the server stores tokens: sha-256, hex. */
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

const servers: TestServer[] = [];
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose(servers.splice(0), clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);
const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const propose = { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } };
const note = (text: string) => ({ type: 'sendMessenger', payload: { type: 'note', text } });

async function classroom(opts: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer(opts);
  servers.push(server);
  const session = await createSession(server.url);
  const host = track(await hostClient(server.url, session));
  const a = track(await playerClient(server.url, session.code, 'Ada'));
  const b = track(await playerClient(server.url, session.code, 'Bo'));
  expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
  expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
  expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
  await a.until(() => gameView(a)?.status === 'running');
  const live = server.valley.registry.byId.get(session.sessionId)!;
  const logText = () => readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
  return { server, session, host, a, b, live, logText };
}

describe('determinism', () => {
  const T0 = 1_700_000_000_000;
  const hostToken = 'determinism-host-token-0001';
  /** A session from a log header we write ourselves, so both runs share its seed. */
  async function seeded(seed: number, start: number) {
    const dataDir = await mkdtemp(join(tmpdir(), 'valley-determinism-'));
    const header: SessionHeader = {
      type: 'header',
      format: LOG_FORMAT,
      version: LOG_VERSION,
      sessionId: 'determinism-session-1',
      code: 'DTRMN',
      createdAt: start,
      seed,
      hostTokenHash: hashToken(hostToken),
    };
    await writeFile(join(dataDir, `${header.sessionId}.ndjson`), encodeLine(header));
    const server = await startServer({ dataDir, clock: new ManualClock(start) });
    servers.push(server);
    return { server, session: { sessionId: header.sessionId, code: header.code, hostToken } };
  }

  /** The same inputs: settings, bot tables of both scenarios, and a pair of students playing by hand. */
  async function play(seed: number, start: number) {
    const advanceMs = 700;
    const { server, session } = await seeded(seed, start);
    const host = track(await hostClient(server.url, session));
    const cmd = async (c: unknown) => expect(await host.call(EVENTS.hostCommand, c)).toMatchObject({ ok: true });
    await cmd({ type: 'setSettings', scenario: 'two-generals', settings: { ...settings, captureRate: 0.4, delayMaxMs: 3000 } });
    await cmd({ type: 'setSettings', scenario: 'paxos', settings: { ...px.defaultConfig, captureRate: 0.3, proposers: 2, acceptors: 3, learners: 1 } });
    for (const sc of ['two-generals', 'two-generals', 'paxos']) await cmd({ type: 'createTable', scenario: sc });
    for (const [t, seats] of [
      ['T1', ['A', 'B']],
      ['T2', ['A', 'B']],
      ['T3', ['A', 'B', 'a1', 'a2', 'a3', 'l1']],
    ] as const) {
      for (const seat of seats) await cmd({ type: 'setSeat', table: t, seat, occupant: { type: 'bot' } });
    }
    const a = track(await playerClient(server.url, session.code, 'Ada'));
    const b = track(await playerClient(server.url, session.code, 'Bo'));
    await cmd({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    await cmd({ type: 'startGames', table: null });
    await a.until(() => gameView(a)?.status === 'running');
    expect(await a.call(EVENTS.playerAct, { action: propose })).toEqual({ ok: true });
    for (let i = 0; i < 6; i++) {
      await server.clock.advance(advanceMs);
      const got = gameView(b)?.received.find((m) => m.payload.type === 'proposal');
      if (got && gameView(b)!.sent.length === 0)
        expect(await b.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'ack', of: got.n } } })).toEqual({ ok: true });
      expect(await a.call(EVENTS.playerAct, { action: note(`note ${i}`) })).toEqual({ ok: true });
    }
    for (let i = 0; i < 120; i++) await server.clock.advance(1000);
    await server.valley.idle();
    return readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
  }

  /** A log with its times (and the random token hashes of joining students) blanked out. */
  const timeless = (text: string) =>
    text
      .replace(/"(at|createdAt|sentAt|endsAt|arrivedAt|endedAt|startedAt|deadlineAt|pausedAt)":\d+/g, '"$1":0')
      .replace(/"tokenHash":"[0-9a-f]+"/g, '"tokenHash":"-"');

  it('the same seed and the same inputs write the same log, byte for byte apart from times', async () => {
    const one = await play(12345, T0);
    // The second run is played a day later: only the times may differ.
    const two = await play(12345, T0 + 86_400_000);
    expect(two).not.toBe(one);
    expect(verifyLog(one)).toMatchObject({ ok: true, games: 4 });
    expect(one.split('\n').length).toBeGreaterThan(60);
    expect(timeless(two)).toBe(timeless(one));
    // And a different seed gives the valley other dice: not the same game.
    const other = await play(54321, T0);
    expect(timeless(other)).not.toBe(timeless(one));
  });
});

describe('an action delivered twice', () => {
  it('a retry with the same id is applied once and answered twice, even while the first is in flight', async () => {
    const { server, a, live, logText } = await classroom();
    const sent = () => (live.state.tables.T1!.game!.state as tg.State).messengers.length;
    expect(await a.call(EVENTS.playerAct, { action: propose, id: 'a-1' })).toEqual({ ok: true });
    // The answer was lost; the client sends the same action with the same id again.
    expect(await a.call(EVENTS.playerAct, { action: propose, id: 'a-1' })).toEqual({ ok: true });
    expect(sent()).toBe(1);
    // Both copies in flight at once (sent before either is answered): one messenger, two answers.
    const [x, y] = await Promise.all([
      a.call(EVENTS.playerAct, { action: note('twice'), id: 'a-2' }),
      a.call(EVENTS.playerAct, { action: note('twice'), id: 'a-2' }),
    ]);
    expect([x, y]).toEqual([{ ok: true }, { ok: true }]);
    expect(sent()).toBe(2);
    // A refusal is repeated as it was given, even when the action would now go through.
    expect(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: 9 } }, id: 'a-3' })).toMatchObject({
      ok: false,
      error: { rule: tg.TG_RULES.attackUnknownTime },
    });
    // The same id for another action is a client's bug: refused, nothing applied.
    expect(await a.call(EVENTS.playerAct, { action: note('other'), id: 'a-2' })).toEqual({
      ok: false,
      error: { rule: ERRORS.badMessage, evidence: { problem: 'id-reused' } },
    });
    // Without an id every copy is a new action.
    expect(await a.call(EVENTS.playerAct, { action: note('no id') })).toEqual({ ok: true });
    expect(await a.call(EVENTS.playerAct, { action: note('no id') })).toEqual({ ok: true });
    expect(sent()).toBe(4);
    // A malformed id is refused by the schema.
    expect(await a.call(EVENTS.playerAct, { action: note('x'), id: '../etc' })).toMatchObject({ ok: false, error: { rule: ERRORS.badMessage } });
    await server.valley.idle();
    const parsed = parseLog(await logText());
    expect(parsed.ok && parsed.events.filter((e) => e.type === 'game' && (e.event as tg.Event).type === 'messengerSent')).toHaveLength(4);
  });
});
