// A bot worker: a forked process that plays many students over socket.io-client, so the server's
// event loop is measured alone. Steered by its parent over IPC (see Command); every reply carries the
// command's id. Whole tables live in one worker, so a messenger's send and delivery are timed on one
// clock (performance.now) in one process.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { Screen, isScenarioId, scenarioLoads, type AnyScenarioLoad, type LoadMove, type PlayerView, type ScreenPatch } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';

export type Command =
  | { op: 'join'; id: number; url: string; code: string; names: string[]; concurrency: number; reconnect?: boolean }
  | { op: 'relayConnect'; id: number; url: string; ids: string[]; peers: Record<string, string[]> }
  | { op: 'play'; id: number; rate: number; closedLoop?: boolean; sendsBeforeDecision?: number }
  | { op: 'pause'; id: number }
  | { op: 'window'; id: number }
  | { op: 'collect'; id: number }
  | { op: 'watchResume'; id: number; timeoutMs: number }
  | { op: 'close'; id: number };

export interface Collected {
  delivery: number[];
  ack: number[];
  acts: number;
  acked: number;
  refused: Record<string, number>;
  errors: Record<string, number>;
  views: number;
  busy: number;
  windowMs: number;
  lagP99: number;
  cpu: number;
  connected: number;
}

const send = (m: Record<string, unknown>) => process.send!(m);
const now = () => performance.now();
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();

// --- what is measured ------------------------------------------------------------------------------
/** Messengers sent and not yet seen arriving: key → when the action was emitted. */
const pending = new Map<string, number>();
let stats = fresh();
let windowStart = now();
let cpuStart = process.cpuUsage();
function fresh() {
  return {
    delivery: [] as number[],
    ack: [] as number[],
    acts: 0,
    acked: 0,
    refused: {} as Record<string, number>,
    errors: {} as Record<string, number>,
    views: 0,
    busy: 0,
  };
}
const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
const expect = (key: string) => pending.set(key, now());
function arrived(key: string) {
  const t = pending.get(key);
  if (t === undefined) return;
  pending.delete(key);
  stats.delivery.push(now() - t);
}

// --- students ------------------------------------------------------------------------------------
let tagN = 0;
const tag = () => `m${process.pid}-${++tagN}`;

class Student {
  socket!: Socket;
  playerId = '';
  token = '';
  view: PlayerView | null = null;
  game = '';
  seen = new Set<number>();
  inflight = false;
  lastActAt = 0;
  seat: { table: string; seat: string } | null = null;
  resumedAt: number | null = null;
  timer: NodeJS.Timeout | null = null;
  constructor(
    readonly name: string,
    readonly code: string,
  ) {}

  /** The screen as the server patches it, changed in place (a bot needs no new object per change). */
  screen = new Screen<PlayerView>(true);

  enter(view: PlayerView, v: number) {
    this.screen.reset(view, v);
    this.onView(view);
  }

  patch(p: ScreenPatch | null | undefined) {
    if (!p) return;
    const r = this.screen.apply(p);
    if (r === 'applied') this.onView(this.screen.view!);
    else if (r === 'gap') bump(stats.errors, 'screen-gap');
  }

  onView(v: PlayerView) {
    stats.views++;
    this.view = v;
    if (v.seat) this.seat = { table: v.seat.table, seat: v.seat.seat };
    const g = v.game;
    if (!g || !v.seat) return;
    const key = `${v.seat.table}/${g.index}`;
    if (key !== this.game) {
      this.game = key;
      this.seen.clear();
    }
    for (const k of this.load?.arrivals(g.view, key, this.isNew) ?? []) arrived(k);
  }

  /** The scenario's load piece for this student's seat (none: the bench does not play it). */
  get load(): AnyScenarioLoad | undefined {
    const id = this.view?.seat?.scenario;
    return id !== undefined && isScenarioId(id) ? scenarioLoads[id] : undefined;
  }

  /** Whether this game's messenger `n` is seen for the first time (it is then remembered). */
  isNew = (n: number) => {
    if (this.seen.has(n)) return false;
    this.seen.add(n);
    return true;
  };

  /** The next move this student's seat makes from what its screen shows, and the messengers it sends. */
  move(sendsBeforeDecision: number): LoadMove | null {
    const v = this.view;
    const g = v?.game;
    if (!v?.seat || !g) return null;
    return this.load?.move(g.view, { game: this.game, sendsBeforeDecision, sinceLastActMs: now() - this.lastActAt, now: Date.now(), unique: tag }) ?? null;
  }

  /** One action if the seat has something to do and the last one was answered; `onDone` once this one is. */
  act(sendsBeforeDecision: number, onDone?: () => void): Acted {
    if (this.inflight) {
      stats.busy++;
      return 'busy';
    }
    const m = this.move(sendsBeforeDecision);
    if (!m) return 'idle';
    for (const k of m.keys) expect(k);
    this.inflight = true;
    this.lastActAt = now();
    stats.acts++;
    const t0 = now();
    // As the student's page does: the answer brings the screen after the action.
    this.socket
      .timeout(10_000)
      .emit(
        EVENTS.playerAct,
        { action: m.action, view: true },
        (err: Error | null, r: { ok: boolean; error?: { rule: string }; patch?: ScreenPatch | null }) => {
          this.inflight = false;
          if (err) bump(stats.errors, 'timeout');
          else if (r.ok) {
            stats.acked++;
            stats.ack.push(now() - t0);
            this.patch(r.patch);
          } else if (r.error!.rule.startsWith('server/') || r.error!.rule.startsWith('protocol/') || r.error!.rule.startsWith('auth/'))
            bump(stats.errors, r.error!.rule);
          else bump(stats.refused, r.error!.rule);
          onDone?.();
        },
      );
    return 'sent';
  }
}

const students: Student[] = [];

/** `session`: the join code the bot names in its handshake (`?s=`), as a student's page does: a cluster routes by it. */
function openSocket(url: string, reconnect: boolean, auth?: Record<string, string>, session?: string): Socket {
  return connect(url, {
    transports: ['websocket'],
    query: session ? { s: session } : {},
    forceNew: true,
    reconnection: reconnect,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    auth,
  });
}

async function joinOne(
  url: string,
  code: string,
  name: string,
  reconnect: boolean,
): Promise<{ ok: true; ms: number; s: Student } | { ok: false; why: string }> {
  const t0 = now();
  const s = new Student(name, code);
  const socket = openSocket(url, reconnect, undefined, code);
  s.socket = socket;
  socket.on(EVENTS.playerView, (m: { patch: ScreenPatch }) => s.patch(m.patch));
  try {
    const r = (await socket.timeout(20_000).emitWithAck(EVENTS.playerJoin, { code, name })) as
      { ok: true; token: string; playerId: string; view: PlayerView; v: number } | { ok: false; error: { rule: string } };
    if (!r.ok) {
      socket.close();
      return { ok: false, why: r.error.rule };
    }
    s.token = r.token;
    s.playerId = r.playerId;
    s.enter(r.view, r.v);
    // After a restart of the server, the student's client takes its seat back with its token.
    socket.io.on('reconnect', () => {
      void (async () => {
        const rr = (await socket
          .timeout(20_000)
          .emitWithAck(EVENTS.playerResume, { code, token: s.token })
          .catch(() => null)) as { ok: true; view: PlayerView; v: number } | { ok: false } | null;
        if (!rr?.ok) {
          bump(stats.errors, 'resume-failed');
          return;
        }
        const before = s.seat;
        s.enter(rr.view, rr.v);
        const at = rr.view.seat;
        if (before && at && at.table === before.table && at.seat === before.seat) s.resumedAt = Date.now();
        else bump(stats.errors, 'resumed-elsewhere');
      })();
    });
    return { ok: true, ms: now() - t0, s };
  } catch (err) {
    socket.close();
    return { ok: false, why: (err as Error).message.slice(0, 60) };
  }
}

async function join(c: Extract<Command, { op: 'join' }>) {
  const joinMs: number[] = [];
  const failures: Record<string, number> = {};
  const joined: { name: string; playerId: string; token: string }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < c.names.length) {
      const name = c.names[next++]!;
      const r = await joinOne(c.url, c.code, name, c.reconnect ?? false);
      if (r.ok) {
        joinMs.push(r.ms);
        students.push(r.s);
        joined.push({ name, playerId: r.s.playerId, token: r.s.token });
      } else bump(failures, r.why);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, c.concurrency) }, lane));
  return { joined, joinMs, failures };
}

// --- the bare relay's clients ------------------------------------------------------------------------
interface RelayBot {
  id: string;
  socket: Socket;
  peers: string[];
  k: number;
  inflight: boolean;
}
const relays: RelayBot[] = [];

async function relayConnect(c: Extract<Command, { op: 'relayConnect' }>) {
  const conns = c.ids.map(async (id) => {
    const socket = openSocket(c.url, false, { id });
    const bot: RelayBot = { id, socket, peers: c.peers[id] ?? [], k: 0, inflight: false };
    socket.on('relayed', (d: { key: string }) => {
      stats.views++;
      arrived(d.key);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    relays.push(bot);
  });
  await Promise.all(conns);
  return { connected: relays.length };
}

function relayAct(b: RelayBot, onDone?: () => void): Acted {
  if (b.inflight) {
    stats.busy++;
    return 'busy';
  }
  const to = b.peers[b.k++ % b.peers.length]!;
  const key = tag();
  expect(key);
  b.inflight = true;
  stats.acts++;
  const t0 = now();
  b.socket.timeout(10_000).emit('relay', { to, data: { key } }, (err: Error | null) => {
    b.inflight = false;
    if (err) bump(stats.errors, 'timeout');
    else {
      stats.acked++;
      stats.ack.push(now() - t0);
    }
    onDone?.();
  });
  return 'sent';
}

// --- pacing --------------------------------------------------------------------------------------------
let playing = false;
const timers: NodeJS.Timeout[] = [];
/** The closed loop's pending retries (a Set: they come and go by the thousand a second). */
const retries = new Set<NodeJS.Timeout>();
/** What a student's beat did: sent an action, waited for the last one's answer, or had nothing to do. */
type Acted = 'sent' | 'busy' | 'idle';
function play(c: Extract<Command, { op: 'play' }>) {
  stop();
  playing = true;
  const sends = c.sendsBeforeDecision ?? 8;
  const period = 1000 / c.rate;
  const actors: { act: (done?: () => void) => Acted }[] = [
    ...students.map((s) => ({ act: (d?: () => void) => s.act(sends, d) })),
    ...relays.map((b) => ({ act: (d?: () => void) => relayAct(b, d) })),
  ];
  for (const a of actors) {
    if (c.closedLoop) {
      // As fast as the server answers: the next action goes out as soon as the last is acknowledged
      // (or, with nothing to do yet, a moment later). One chain per student: an answer or a retry
      // continues it, never both (two chains would multiply with every answer).
      const loop = () => {
        if (!playing) return;
        if (a.act(() => setImmediate(loop)) === 'idle') {
          const t = setTimeout(() => {
            retries.delete(t);
            loop();
          }, 20);
          retries.add(t);
        }
      };
      loop();
    } else {
      // Each student on its own beat, spread evenly over one period.
      const t = setTimeout(() => {
        if (!playing) return;
        a.act();
        timers.push(setInterval(() => playing && a.act(), period));
      }, Math.random() * period);
      timers.push(t);
    }
  }
}
function stop() {
  playing = false;
  for (const t of timers.splice(0)) clearTimeout(t);
  for (const t of retries) clearTimeout(t);
  retries.clear();
}

function collect(): Collected {
  const elapsed = now() - windowStart;
  const used = process.cpuUsage(cpuStart);
  // Messengers never seen arriving within 30 s are forgotten (their game ended, say).
  const old = now() - 30_000;
  for (const [k, t] of pending) if (t < old) pending.delete(k);
  return {
    ...stats,
    windowMs: elapsed,
    lagP99: Math.max(0, lag.percentile(99) / 1e6 - 5),
    cpu: (used.user + used.system) / 1000 / elapsed,
    connected: students.filter((s) => s.socket.connected).length + relays.filter((b) => b.socket.connected).length,
  };
}
function newWindow() {
  stats = fresh();
  windowStart = now();
  cpuStart = process.cpuUsage();
  lag.reset();
}

async function watchResume(timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && students.some((s) => s.resumedAt === null)) await new Promise((r) => setTimeout(r, 100));
  return { resumed: students.filter((s) => s.resumedAt !== null).map((s) => s.resumedAt!), total: students.length };
}

process.on('message', (c: Command) => {
  void (async () => {
    try {
      let out: unknown = {};
      if (c.op === 'join') out = await join(c);
      else if (c.op === 'relayConnect') out = await relayConnect(c);
      else if (c.op === 'play') play(c);
      else if (c.op === 'pause') stop();
      else if (c.op === 'window') newWindow();
      else if (c.op === 'collect') out = collect();
      else if (c.op === 'watchResume') {
        for (const s of students) s.resumedAt = null;
        out = await watchResume(c.timeoutMs);
      } else if (c.op === 'close') {
        stop();
        for (const s of students) s.socket.close();
        for (const b of relays) b.socket.close();
        send({ id: c.id, ok: true });
        setTimeout(() => process.exit(0), 50);
        return;
      }
      send({ id: c.id, ok: true, ...(out as object) });
    } catch (err) {
      send({ id: c.id, ok: false, error: (err as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
