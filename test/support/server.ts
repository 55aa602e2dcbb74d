// Starts the real server on port 0 (loopback only) with fake time, and drives it with socket.io-client.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { createValley, type Valley, type ValleyOptions } from '@valley/server';
import { ManualClock } from '@valley/server/clock';
import { EVENTS, type Reply } from '@valley/shared/protocol';
import { Screen, withNewResults, type HostTable, type HostView, type PlayerView, type ScreenPatch } from '@valley/shared';

export interface TestServer {
  valley: Valley;
  clock: ManualClock;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startServer(opts: Partial<ValleyOptions> & { dataDir?: string; clock?: ManualClock } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'valley-test-')));
  const clock = opts.clock ?? new ManualClock();
  const valley = await createValley({ logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), ...opts, dataDir, clock });
  clock.settle = async () => {
    await valley.idle();
    // Let coalesced view updates go out before the next timer fires.
    await new Promise((r) => setImmediate(r));
  };
  const addr = await valley.listen(0, '127.0.0.1');
  return { valley, clock, url: `http://127.0.0.1:${addr.port}`, dataDir, close: () => valley.close() };
}

export async function createSession(url: string): Promise<{ sessionId: string; code: string; hostToken: string }> {
  const res = await fetch(`${url}/api/sessions`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`create session: ${res.status}`);
  return (await res.json()) as { sessionId: string; code: string; hostToken: string };
}

/** A socket.io client that remembers the last view the server sent it. */
export class Client {
  socket: Socket;
  hostView: HostView | null = null;
  view: PlayerView | null = null;
  /** The student's screen as the server patches it (see enter). */
  screen = new Screen<PlayerView>();
  removed = false;
  errors: unknown[] = [];
  private waiters: (() => void)[] = [];

  constructor(url: string, opts: Parameters<typeof connect>[1] = {}) {
    this.socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
    this.socket.on(EVENTS.hostView, (m: { view: HostView }) => {
      this.hostView = m.view;
      this.wake();
    });
    this.socket.on(EVENTS.hostTable, (m: { tables: HostTable[] }) => {
      if (!this.hostView) return;
      const byId = new Map(m.tables.map((t) => [t.id, t]));
      this.hostView = { ...this.hostView, tables: this.hostView.tables.map((t) => byId.get(t.id) ?? t) };
      this.wake();
    });
    this.socket.on(EVENTS.hostResults, (m: { from: number; results: HostView['results'] }) => {
      if (!this.hostView) return;
      this.hostView = withNewResults(this.hostView, m.from, m.results);
      this.wake();
    });
    this.socket.on(EVENTS.playerView, (m: { patch: ScreenPatch }) => {
      const r = this.screen.apply(m.patch);
      if (r === 'applied') this.view = this.screen.view;
      // One connection never misses a change: a gap is a server bug, and a test should see it.
      else if (r === 'gap') this.errors.push({ screen: 'gap', patch: m.patch });
      this.wake();
    });
    this.socket.on(EVENTS.playerRemoved, () => {
      this.removed = true;
      this.wake();
    });
    this.socket.on('valley:error', (e: unknown) => {
      this.errors.push(e);
      this.wake();
    });
  }

  /** Joined or resumed: the whole screen and its version, which the server's patches follow. */
  enter(r: { view: PlayerView | null; v: number }) {
    this.screen.reset(r.view, r.v);
    this.view = r.view;
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  async call<T = Record<string, unknown>>(event: string, payload: unknown): Promise<Reply<T>> {
    await this.connected();
    return (await this.socket.timeout(5000).emitWithAck(event, payload)) as Reply<T>;
  }

  /** Wait until a condition on what this client has received holds. */
  async until(cond: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting for the server');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close() {
    this.socket.close();
  }
}

/** Each client names its session in its handshake (`?s=`), as the pages do: a cluster routes by it. */
type ClientOptions = Parameters<typeof connect>[1];

/**
 * For a test file: the clients its tests open, kept to be closed (and their games replay-checked) after
 * each test. `track(c)` keeps one and gives it back: `const host = track(await hostClient(…))`.
 */
export function tracked(): { clients: Client[]; track: <T extends Client>(c: T) => T } {
  const clients: Client[] = [];
  return { clients, track: (c) => (clients.push(c), c) };
}

export async function hostClient(url: string, session: { sessionId: string; hostToken: string }, opts: ClientOptions = {}) {
  const c = new Client(url, { query: { s: session.sessionId }, ...opts });
  const r = await c.call<{ view: HostView }>(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken });
  if (!r.ok) throw new Error(`attach: ${JSON.stringify(r.error)}`);
  c.hostView = r.view;
  return c;
}

export async function playerClient(url: string, code: string, name: string, opts: ClientOptions = {}) {
  const c = new Client(url, { query: { s: code }, ...opts });
  const r = await c.call<{ token: string; playerId: string; view: PlayerView; v: number }>(EVENTS.playerJoin, { code, name });
  if (!r.ok) throw new Error(`join ${name}: ${JSON.stringify(r.error)}`);
  c.enter(r);
  return Object.assign(c, { token: r.token, playerId: r.playerId });
}

/**
 * A session with one Two Generals table whose game is running: a host and two students (A and B).
 * `keep` hands each client to the test file's own clean-up.
 */
export async function runningTable(url: string, settings: unknown, names: [string, string], keep: <T extends Client>(c: T) => T) {
  const session = await createSession(url);
  const host = keep(await hostClient(url, session));
  const a = keep(await playerClient(url, session.code, names[0]));
  const b = keep(await playerClient(url, session.code, names[1]));
  for (const cmd of [
    { type: 'setSettings', scenario: 'two-generals', settings },
    { type: 'autoSeat', bots: false, scenario: 'two-generals' },
    { type: 'startGames', table: null },
  ]) {
    const r = await host.call(EVENTS.hostCommand, cmd);
    if (!r.ok) throw new Error(`${cmd.type}: ${JSON.stringify(r.error)}`);
  }
  const running = (c: Client) => (c.view?.game?.view as { status?: string } | undefined)?.status === 'running';
  await a.until(() => running(a));
  await b.until(() => running(b));
  return { session, host, a, b };
}
