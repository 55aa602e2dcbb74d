// Valley on every core: the real server with VALLEY_WORKERS=2 in a child process, on real time. Sessions
// land on both workers and are played through there; a worker killed mid-game is restarted, its sessions
// recovered and its students back in their seats; polling-only clients play; pairing works across
// workers; a connection that sends no request line is closed unrouted.
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerView } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { workerOf } from '@valley/server/cluster/partition';
import { startCluster, type ClusterServer } from '../support/cluster.ts';
import { Client, createSession, hostClient } from '../support/server.ts';
import { act, expectVerifiedLog as verifiedThrough, playOn, tgTable, type Opts, type Session } from '../support/spread.ts';

let server: ClusterServer;
const clients: Client[] = [];
const track = <T extends Client>(c: T): T => (clients.push(c), c);

beforeAll(async () => {
  server = await startCluster(2);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

/** New sessions (created in turn on the workers) until one is held by worker `k`. */
async function sessionOn(k: number): Promise<Session> {
  for (let i = 0; i < 40; i++) {
    const s = await createSession(server.url);
    expect(workerOf(s.code, 2)).toBe(workerOf(s.sessionId, 2));
    if (workerOf(s.sessionId, 2) === k) return s;
  }
  throw new Error(`no session landed on worker ${k}`);
}

const table = (session: Session, opts: Opts = {}) => tgTable({ url: server.url, session, opts, keep: track });

/** The host downloads the session's log (through the cluster); it parses and passes the checker. */
const expectVerifiedLog = (session: Session, games = 1) => verifiedThrough(server.url, session, games);

describe('Valley with two workers', () => {
  it('sessions land on both workers, and a game is played through on each', async () => {
    expect(server.pids()).toHaveLength(2);
    for (const k of [0, 1]) {
      const session = await sessionOn(k);
      const { a, b } = await table(session);
      expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
      await playOn(a, b);
      await expectVerifiedLog(session);
    }
  });

  it('polling-only clients (no WebSocket) play a game: each long-polling request reaches the session’s worker', async () => {
    const polling: Opts = { transports: ['polling'] };
    for (const k of [0, 1]) {
      const session = await sessionOn(k);
      const { a, b } = await table(session, polling);
      expect(a.socket.io.engine.transport.name).toBe('polling');
      expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
      await playOn(a, b);
      await expectVerifiedLog(session);
    }
  });

  it('a worker killed mid-game is restarted: its sessions recover from their logs, its students resume their seats and play on', async () => {
    const k = 1;
    const session = await sessionOn(k);
    const other = await sessionOn(1 - k);
    const again: Opts = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 };
    const { a, b } = await table(session, again);
    const { a: a2, b: b2 } = await table(other);
    const tokens = new Map<Client, string>([
      [a, (a as Client & { token: string }).token],
      [b, (b as Client & { token: string }).token],
    ]);
    // The proposal is written and acknowledged; the worker dies before (or as) it crosses the valley.
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
    const before = server.pids();
    const from = server.lines.length;
    process.kill(before[k]!, 'SIGKILL');
    const back = await server.line((l) => l.msg === 'worker ready' && l.worker === k, 90_000, from);
    expect(back.workerPid).not.toBe(before[k]);
    expect(back.sessions).toBeGreaterThanOrEqual(1);
    expect(server.pids()[1 - k]).toBe(before[1 - k]);

    // As the page does: on reconnection, resume the seat with the key it kept.
    for (const c of [a, b]) {
      await c.until(() => c.socket.connected, 60_000);
      const r = await c.call<{ view: PlayerView; v: number }>(EVENTS.playerResume, { code: session.code, token: tokens.get(c) });
      expect(r.ok).toBe(true);
      if (r.ok) c.enter(r);
      expect(c.view!.seat).toMatchObject({ table: 'T1', scenario: 'two-generals' });
    }
    await playOn(a, b, 15_000);
    await expectVerifiedLog(session);

    // The other worker's game went on undisturbed.
    expect(await act(a2, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
    await playOn(a2, b2);
    await expectVerifiedLog(other);
  });

  it('a client that does not name its session reaches any worker: on the other one, its join hears "unknown code"', async () => {
    const session = await sessionOn(1);
    // Two connections in a row that name no session go to the two workers in turn.
    const answers = [];
    for (const name of ['Cy', 'Di']) {
      const c = track(new Client(server.url, { query: {} }));
      answers.push(await c.call(EVENTS.playerJoin, { code: session.code, name }));
    }
    expect(answers.map((r) => (r.ok ? 'joined' : r.error.rule)).sort()).toEqual(['join/unknown-code', 'joined']);
  });

  it('pairs a second device with the host console of a session on either worker', async () => {
    const post = (path: string, body?: unknown, token?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    for (const k of [0, 1]) {
      const session = await sessionOn(k);
      const { requestId, pairCode } = (await (await post('/api/pair/requests')).json()) as { requestId: string; pairCode: string };
      expect(await (await post('/api/pair/collect', { requestId })).json()).toEqual({ waiting: true });
      // Someone else's key (another session's, on the other worker) grants nothing.
      const stranger = await sessionOn(1 - k);
      expect((await post(`/api/sessions/${session.sessionId}/pair`, { pairCode }, stranger.hostToken)).status).toBe(403);
      const granted = await post(`/api/sessions/${session.sessionId}/pair`, { pairCode }, session.hostToken);
      expect([granted.status, await granted.json()]).toEqual([200, { ok: true }]);
      const got = await post('/api/pair/collect', { requestId });
      expect(await got.json()).toEqual({ sessionId: session.sessionId, code: session.code, hostToken: session.hostToken });
      // The key opens the console on the session's worker.
      track(await hostClient(server.url, session));
    }
  });

  it('a connection that sends 8 KB with no request line is answered 400 and closed, never handed to a worker', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = tcp(Number(new URL(server.url).port), '127.0.0.1');
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', reject);
      s.write('a'.repeat(8192));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.headers.get('connection')).toBe('close');
    expect(await health.json()).toMatchObject({ ok: true });
  });
});
