// Valley past one machine: a real redis-server, a real haproxy and two Valley nodes (the real server as
// `npm start` runs it, VALLEY_REDIS set) on loopback, sharing one data folder. Sessions made through
// the one HAProxy address land on both nodes; games are played through HAProxy on each, over WebSocket
// and long-polling; a join code cannot be claimed twice; a node killed mid-game has its session adopted
// by the other, and the game goes on there.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerView } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Directory, KEYS } from '@valley/server/nodes/directory';
import { startCluster, type ClusterServer } from '../support/cluster.ts';
import { requireEngines, startHaproxy, startRedis, type Engine } from '../../scripts/bench/engines.ts';
import { Client, createSession } from '../support/server.ts';
import { act, expectVerifiedLog as verifiedThrough, playOn, tgTable, type Opts, type Session } from '../support/spread.ts';

const TTL_MS = 1500;
let redis: Engine | null = null;
let haproxy: Engine | null = null;
const nodes = new Map<string, ClusterServer>();
let url = '';
let dataDir = '';
let directory: ReturnType<typeof createClient> | null = null;
const clients: Client[] = [];
const track = <T extends Client>(c: T): T => (clients.push(c), c);

beforeAll(async () => {
  requireEngines();
  redis = await startRedis();
  dataDir = await mkdtemp(join(tmpdir(), 'valley-nodes-'));
  for (const name of ['a', 'b']) {
    const env = { VALLEY_REDIS: redis.url, VALLEY_NODE: name, VALLEY_NODE_TTL_MS: String(TTL_MS), DATA_DIR: dataDir };
    nodes.set(name, await startCluster(1, env));
  }
  haproxy = await startHaproxy([...nodes].map(([name, n]) => ({ name, address: new URL(n.url).host })));
  url = haproxy.url;
  directory = createClient({ url: redis.url });
  await directory.connect();
}, 60_000);

// Every process is stopped, each whatever became of the others (SIGKILL after 5–10 s).
afterAll(async () => {
  for (const c of clients) c.close();
  directory?.destroy();
  await Promise.allSettled([haproxy?.stop(), ...[...nodes.values()].map((n) => n.close()), redis?.stop()]);
}, 30_000);

const holderOf = (s: Session) => directory!.get(KEYS.session(s.sessionId));

/** New sessions through HAProxy until one is held by node `name`. */
async function sessionOn(name: string): Promise<Session> {
  for (let i = 0; i < 40; i++) {
    const s = await createSession(url);
    expect(await directory!.get(KEYS.code(s.code))).toBe(s.sessionId);
    if ((await holderOf(s)) === name) return s;
  }
  throw new Error(`no session landed on node ${name}`);
}

/** Students through HAProxy; the host through `hostUrl`. */
const table = (session: Session, opts: Opts = {}, hostUrl = url) => tgTable({ url, hostUrl, session, opts, keep: track });

const expectVerifiedLog = (session: Session, games = 1, through = url) => verifiedThrough(through, session, games);

describe('Valley on two nodes behind HAProxy, with Redis as the directory', () => {
  it('sessions land on both nodes, and a game is played through one address on each (WebSocket, then polling only)', async () => {
    for (const transports of [['websocket'], ['polling']]) {
      for (const name of ['a', 'b']) {
        const session = await sessionOn(name);
        const { a, b } = await table(session, { transports });
        expect(a.socket.io.engine.transport.name).toBe(transports[0]);
        expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
        await playOn(a, b);
        await expectVerifiedLog(session);
      }
    }
  });

  it('a node that does not hold a session forwards its connections to the holder (host console, WebSocket and polling, and the log download)', async () => {
    for (const transports of [['websocket'], ['polling']]) {
      for (const [name, other] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const session = await sessionOn(name);
        // The host's console reaches the node that does not hold the session, past HAProxy.
        const { host, a, b } = await table(session, { transports }, nodes.get(other)!.url);
        expect(host.hostView!.code).toBe(session.code);
        expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
        await playOn(a, b);
        await host.until(() => host.hostView!.results.length === 1);
        await expectVerifiedLog(session, 1, nodes.get(other)!.url);
      }
    }
  });

  it('a join code cannot be claimed twice: a third node’s claim of a taken code is refused, and a fresh one is granted', async () => {
    const taken = await sessionOn('a');
    const other = new Directory({ url: redis!.url, node: 'c', address: '127.0.0.1:1', ttlMs: TTL_MS, log: pino({ level: 'silent' }) });
    await other.connect();
    try {
      expect(await other.claim('cccccccccccccccc', taken.code)).toBe(false);
      expect(await directory!.get(KEYS.code(taken.code))).toBe(taken.sessionId);
      expect(await directory!.get(KEYS.session('cccccccccccccccc'))).toBeNull();
      const fresh = await other.claim('dddddddddddddddd', 'ZZZZZ');
      expect(fresh).toBe(true);
      expect(await other.claim('eeeeeeeeeeeeeeee', 'ZZZZZ')).toBe(false);
    } finally {
      other.close();
    }
    // Every session made so far has its own code, each naming its own session.
    const codes = await directory!.keys('valley:code:*');
    const ids = await Promise.all(codes.map((k) => directory!.get(k)));
    expect(new Set(ids).size).toBe(codes.length);
  });

  it('an unknown code is answered "unknown code", by whichever node gets it', async () => {
    const c = track(new Client(url, { query: { s: 'QQQQQ' } }));
    const r = await c.call(EVENTS.playerJoin, { code: 'QQQQQ', name: 'Cy' });
    expect(r.ok ? 'joined' : r.error.rule).toBe('join/unknown-code');
  });

  it('Redis emptied (restarted without its data): at their next heartbeat the nodes claim their sessions and codes back', async () => {
    const onA = await sessionOn('a');
    const onB = await sessionOn('b');
    await directory!.flushAll();
    const back = async () =>
      [await holderOf(onA), await holderOf(onB), await directory!.get(KEYS.code(onA.code)), await directory!.get(KEYS.code(onB.code))].join(' ');
    const end = Date.now() + 10_000;
    while ((await back()) !== `a b ${onA.sessionId} ${onB.sessionId}` && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await back()).toBe(`a b ${onA.sessionId} ${onB.sessionId}`);
  });

  it('a node killed mid-game: the other adopts its session from the shared log, the students resume their seats and finish', async () => {
    const session = await sessionOn('b');
    const again: Opts = { reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 };
    const { a, b } = await table(session, again);
    const tokens = new Map<Client, string>([
      [a, (a as Client & { token: string }).token],
      [b, (b as Client & { token: string }).token],
    ]);
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
    const dead = nodes.get('b')!;
    const cut = Promise.all([a, b].map((c) => new Promise((r) => c.socket.once('disconnect', r))));
    dead.proc.kill('SIGKILL');
    await cut;

    for (const c of [a, b]) {
      await c.until(() => c.socket.connected, 30_000);
      const r = await c.call<{ view: PlayerView; v: number }>(EVENTS.playerResume, { code: session.code, token: tokens.get(c) });
      expect(r.ok).toBe(true);
      if (r.ok) c.enter(r);
      expect(c.view!.seat).toMatchObject({ table: 'T1', scenario: 'two-generals' });
    }
    expect(await holderOf(session)).toBe('a');
    await playOn(a, b, 15_000);
    await expectVerifiedLog(session);
    // A new session now lands on the node that is left.
    expect(await holderOf(await createSession(url))).toBe('a');
  });
});
