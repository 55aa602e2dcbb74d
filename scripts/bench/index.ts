// `npm run bench`: the load benchmark. Starts the real server in a child process, drives it with
// socket.io-client bots in worker processes playing real games, and measures what the server adds:
// send → relay → delivery with the valley's delay set to zero (so nothing is subtracted but a
// constant 0), against a bare socket.io relay under the same load. Prints one table;
// `--json FILE` writes the figures, `--only NAME[,NAME…]` runs those scenarios, `--profile DIR` writes a CPU
// profile of the server for each measurement window, `--cpu-prof DIR` runs the server child with
// node's --cpu-prof (its whole life), `--scale X` shrinks the student counts for a quick look,
// `--mix ID` plays one scenario's tables only in the hall; `hall-workers` plays the hall as several
// sessions on one process and on `--valley-workers N` workers (the cores by default), beside the relay;
// `two-nodes` plays the same sessions through HAProxy on two nodes with Redis (server/src/nodes/).
// The scenarios and their tables come from their load pieces (shared's scenarioLoads): the bench names none.
// DURABILITY=os|disk runs every scenario's server with that log durability; `durability` runs its
// loads (`--durability-loads class,hall,saturation`) under both, `--durability-rounds N` windows each.
import { closeSync, fdatasyncSync, openSync, readFileSync, statfsSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { isScenarioId, openLog, scenarioLoads, scenarioSimulations, verifyLog, type AnyScenarioLoad, type ScenarioId } from '@valley/shared';
import { Host } from './host.ts';
import { createClient } from '@redis/client';
import { KEYS } from '@valley/server/nodes/directory';
import { startHaproxy, startRedis, requireEngines } from './engines.ts';
import { Worker, startServer, type ServerChild, type ServerStats } from './procs.ts';
import { makeLog } from './replay-log.ts';
import { replayInBrowser } from './replay-browser.ts';

// --- options ---------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const jsonFile = opt('--json');
const only = opt('--only');
const profileDir = opt('--profile') ? resolve(opt('--profile')!) : undefined;
const cpuProfDir = opt('--cpu-prof') ? resolve(opt('--cpu-prof')!) : undefined;
const scale = Number(opt('--scale') ?? 1);
const WORKERS = Number(opt('--workers') ?? 2);
// `--valley-workers N` (the machine's cores by default): the server's workers in `hall-workers`, beside
// the one-process hall (`--workers` already names the bots' processes).
const VALLEY_WORKERS = Number(opt('--valley-workers') ?? availableParallelism());
// `--capacity-workers N` (1 by default): the workers `capacity` runs the server with. Each level's
// students are a session of their own, created by the workers in turn. One by default: on this 2-core
// machine the bots need a core, and two workers sharing the other did worse (docs/PERFORMANCE.md).
const CAPACITY_WORKERS = Number(opt('--capacity-workers') ?? 1);
// `--fsync-extra-ms N`: every log flush answers N ms late, to see `disk` on a slower disk than this one.
const fsyncExtraMs = opt('--fsync-extra-ms') === undefined ? undefined : Number(opt('--fsync-extra-ms'));
const n = (x: number, unit = 1) => Math.max(unit, Math.round((x * scale) / unit) * unit);

// The bench's server lets one host seat hundreds of bots and a whole hall share 127.0.0.1.
const LIMITS = { socketRate: 100_000, socketBurst: 100_000, joinsPerAddress: 1_000_000, connectionsPerAddress: 1_000_000, sessionsPerAddress: 10_000 };
const VALLEY = { captureRate: 0, delayMinMs: 0, delayMaxMs: 0 };
const VALLEY_DELAY_MS = 0;
// For a diagnosis, `--mix ID` makes the hall (and capacity's and restart's) of that scenario only.
const mix = opt('--mix');
if (mix !== undefined && !(isScenarioId(mix) && scenarioLoads[mix]?.tables.hall)) {
  const ids = Object.entries(scenarioLoads).flatMap(([id, l]) => (l.tables.hall ? [id] : []));
  console.error(`--mix: ${mix} is not a scenario the hall plays; one of ${ids.join(', ')}`);
  process.exit(2);
}

// --- results -------------------------------------------------------------------------------------------
type Figure = number | string | null;
interface Result {
  name: string;
  figures: Record<string, Figure>;
  targets: Record<string, string>;
  met: Record<string, boolean>;
  notes: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function pct(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : r2(a / b));

// --- a class: tables, students in workers, a host -----------------------------------------------------
// The scenarios come from their load pieces (shared's scenarioLoads), in the registry's order.
/** The tables of one scenario in a load, all of one size (a session's settings are per scenario). */
interface Tables {
  id: ScenarioId;
  load: AnyScenarioLoad;
  tables: number;
  seats: number;
}
type Layout = Tables[];
const loads = Object.entries(scenarioLoads) as [ScenarioId, AnyScenarioLoad][];
const students = (l: Layout) => l.reduce((a, t) => a + t.tables * t.seats, 0);
/** Each scenario's tables as the report gives them: count, title (its simulation's) and size, joined by " + ". */
const describeTables = (l: Layout) => l.map((t) => `${t.tables} ${scenarioSimulations[t.id].title} (${t.seats} seats)`).join(' + ');

/** A load of so many tables of each scenario that has them in `shape` (scaled by --scale). */
function fixedLayout(shape: 'class' | 'saturation'): Layout {
  return loads.flatMap(([id, load]) => {
    const t = load.tables[shape];
    return t ? [{ id, load, tables: n(t.tables), seats: t.seats }] : [];
  });
}

/**
 * The hall's mix of `total` students: each scenario's tables in proportion to its share (its load
 * piece's `tables.hall`, which gives their size too). `--mix ID`: that scenario's tables only.
 */
function hallLayout(total: number): Layout {
  const hall = loads.flatMap(([id, load]) => {
    const h = load.tables.hall;
    if (!h || (mix !== undefined && mix !== id)) return [];
    return [{ id, load, seats: h.seats, share: mix === undefined ? h.tables : 1 }];
  });
  const per = hall.reduce((a, h) => a + h.share * h.seats, 0);
  return hall.map(({ share, ...t }) => ({ ...t, tables: Math.round((total * share) / per) }));
}

let sessionNo = 0;
async function seat(server: ServerChild, workers: Worker[], layout: Layout, o: { reconnect?: boolean; concurrency?: number } = {}) {
  const host = await Host.open(server.url);
  const s = ++sessionNo;
  for (const t of layout) await host.must({ type: 'setSettings', scenario: t.id, settings: { ...VALLEY, ...t.load.settings(t.seats) } });
  // Each scenario's tables start as soon as they are seated and go on playing (autoSeat moves the
  // students of another scenario's tables that are not playing, so the next block would take them).
  host.restartAfterMs = 200;
  // Each worker holds whole tables: its students join as one block, then the host seats the block
  // (autoSeat seats in join order), so a table's send and delivery are timed in one process.
  for (const { id: scenario, load, tables, seats: size } of layout) {
    if (tables === 0) continue;
    for (let w = 0; w < workers.length; w++) {
      const mine = Math.floor(tables / workers.length) + (w < tables % workers.length ? 1 : 0);
      const names = Array.from({ length: mine * size }, (_, i) => `S${s} ${load.prefix} ${w}-${i}`);
      if (names.length === 0) continue;
      const r = await workers[w]!.call<'join', { joined: unknown[]; failures: Record<string, number> }>('join', {
        url: server.url,
        code: host.code,
        names,
        concurrency: o.concurrency ?? 16,
        reconnect: o.reconnect ?? false,
      });
      if (Object.keys(r.failures).length > 0) throw new Error(`joins failed: ${JSON.stringify(r.failures)}`);
    }
    await host.must({ type: 'autoSeat', bots: false, scenario });
    await host.must({ type: 'startGames', table: null });
  }
  // The host's tables come in redraws (every 250 ms in a hall): one table per block of students.
  const expected = layout.reduce((a, t) => a + t.tables, 0);
  for (let i = 0; i < 100 && host.tables.size < expected; i++) await sleep(100);
  if (host.tables.size !== expected) throw new Error(`the host sees ${host.tables.size} tables, expected ${expected}`);
  return host;
}

interface Load {
  delivery: number[];
  ack: number[];
  acts: number;
  ok: number;
  errors: Record<string, number>;
  refused: Record<string, number>;
  windowMs: number;
  botCpu: number;
  botLagP99: number;
  server: { lagP99: number; lagMax: number; rssMB: number; cpu: number };
  /** Cores busy on the whole machine in the window (Linux), and this bench process's share of them. */
  machine: { busy: number; bench: number } | null;
  /** The log's group flushes in the window (one fdatasync per session that wrote), on the server's clock. */
  flushes: { durability: string; syncs: number; syncedWrites: number; seconds: number } | null;
}

async function measure(
  server: ServerChild,
  workers: Worker[],
  o: { rate: number; warmupMs: number; measureMs: number; closedLoop?: boolean; sendsBeforeDecision?: number },
): Promise<Load> {
  await Promise.all(workers.map((w) => w.call('play', { rate: o.rate, closedLoop: o.closedLoop, sendsBeforeDecision: o.sendsBeforeDecision })));
  await sleep(o.warmupMs);
  await Promise.all(workers.map((w) => w.call('window', {})));
  const st0 = await server.reset();
  const from = server.reports.length;
  const m0 = machineTicks();
  const b0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(o.measureMs);
  const st = await server.stats();
  const m1 = machineTicks();
  const bench = process.cpuUsage(b0);
  const wallMs = performance.now() - t0;
  const s0 = st0.store;
  const s1 = st.store;
  if (process.env.PACKET_STATS === '1') console.error('  packets since start:', JSON.stringify((st as { packets?: unknown }).packets));
  const cols = await Promise.all(workers.map((w) => w.collect()));
  await Promise.all(workers.map((w) => w.call('pause', {})));
  const during = server.reports.slice(from);
  const merge = (k: 'errors' | 'refused') => {
    const out: Record<string, number> = {};
    for (const c of cols) for (const [r, v] of Object.entries(c[k])) out[r] = (out[r] ?? 0) + v;
    return out;
  };
  return {
    delivery: cols.flatMap((c) => c.delivery.map((x) => x - VALLEY_DELAY_MS)),
    ack: cols.flatMap((c) => c.ack),
    acts: cols.reduce((a, c) => a + c.acts, 0),
    ok: cols.reduce((a, c) => a + c.acked, 0),
    errors: merge('errors'),
    refused: merge('refused'),
    windowMs: Math.max(...cols.map((c) => c.windowMs)),
    botCpu: cols.reduce((a, c) => a + c.cpu, 0),
    botLagP99: Math.max(...cols.map((c) => c.lagP99)),
    server: {
      lagP99: st.lag.p99,
      lagMax: st.lag.max,
      rssMB: Math.max(st.rssMB, ...during.map((r) => r.rssMB)),
      cpu: during.length ? during.reduce((a, r) => a + r.cpu, 0) / during.length : st.cpu,
    },
    machine: m0 && m1 ? { busy: ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length, bench: (bench.user + bench.system) / 1000 / wallMs } : null,
    flushes:
      s0 && s1
        ? { durability: s1.durability, syncs: s1.syncs - s0.syncs, syncedWrites: s1.syncedWrites - s0.syncedWrites, seconds: (s1.atMs - s0.atMs) / 1000 }
        : null,
  };
}

/** The machine's CPU time so far from /proc/stat (all cores, in ticks), busy and in all; null off Linux. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return null;
  }
}

/** Cores busy in the window with work other than this bench's (its server, bots and itself). */
const otherCpu = (l: Load) => (l.machine ? Math.max(0, l.machine.busy - l.server.cpu - l.botCpu - l.machine.bench) : null);

const errorCount = (l: Load) => Object.values(l.errors).reduce((a, b) => a + b, 0);
const refusedCount = (l: Load) => Object.values(l.refused).reduce((a, b) => a + b, 0);

function loadFigures(l: Load, prefix = ''): Record<string, Figure> {
  const s = l.windowMs / 1000;
  return {
    [`${prefix}actions/s`]: r2(l.ok / s),
    [`${prefix}deliveries/s`]: r2(l.delivery.length / s),
    [`${prefix}delivery p50 ms`]: r2(pct(l.delivery, 50)),
    [`${prefix}delivery p99 ms`]: r2(pct(l.delivery, 99)),
    [`${prefix}ack p99 ms`]: r2(pct(l.ack, 99)),
    [`${prefix}errors`]: errorCount(l),
    [`${prefix}server cpu`]: r2(l.server.cpu),
    [`${prefix}server lag p99 ms`]: r2(l.server.lagP99),
    [`${prefix}server rss MB`]: Math.round(l.server.rssMB),
    [`${prefix}bot cpu`]: r2(l.botCpu),
    [`${prefix}bot lag p99 ms`]: r2(l.botLagP99),
  };
}

async function withWorkers<T>(count: number, f: (ws: Worker[]) => Promise<T>): Promise<T> {
  const ws = await Promise.all(Array.from({ length: count }, () => Worker.start()));
  try {
    return await f(ws);
  } finally {
    await Promise.all(ws.map((w) => w.close()));
  }
}

type Durability = 'os' | 'disk';

async function withValley<T>(f: (s: ServerChild, dataDir: string) => Promise<T>, name: string, durability?: Durability, workers = 1): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'valley-bench-'));
  const server = await startServer('valley', {
    dataDir,
    workers,
    limits: LIMITS,
    durability,
    fsyncExtraMs,
    profileDir: profileDir && join(profileDir, name),
    cpuProfDir: cpuProfDir && join(cpuProfDir, name),
  });
  try {
    return await f(server, dataDir);
  } finally {
    await server.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same tables and beat, on the bare relay: each bot sends to its tablemates in turn. */
async function relayBaseline(layout: Layout, o: Parameters<typeof measure>[2]): Promise<Load> {
  const relay = await startServer('relay', { profileDir: profileDir && join(profileDir, 'relay') });
  try {
    return await withWorkers(WORKERS, async (ws) => {
      let id = 0;
      const tables: string[][] = [];
      for (const t of layout) for (let i = 0; i < t.tables; i++) tables.push(Array.from({ length: t.seats }, () => `r${++id}`));
      for (let w = 0; w < ws.length; w++) {
        const mine = tables.filter((_, i) => i % ws.length === w);
        const peers: Record<string, string[]> = {};
        for (const t of mine) for (const b of t) peers[b] = t.filter((x) => x !== b);
        await ws[w]!.call('relayConnect', { url: relay.url, ids: mine.flat(), peers });
      }
      return measure(relay, ws, o);
    });
  } finally {
    await relay.shutdown();
  }
}

/**
 * A scenario's load played twice: on the real server (its host seating the tables and starting each
 * table's next game 200 ms, or `restartAfterMs`, after the last ends), then on the bare relay.
 */
async function gameAndRelay(name: string, layout: Layout, o: Parameters<typeof measure>[2], restartAfterMs?: number): Promise<{ game: Load; relay: Load }> {
  const game = await gameLoad(name, layout, o, restartAfterMs);
  return { game, relay: await relayBaseline(layout, o) };
}

/** A scenario's load on the real server alone, a fresh one with its own data directory. */
function gameLoad(name: string, layout: Layout, o: Parameters<typeof measure>[2], restartAfterMs?: number): Promise<Load> {
  return withValley(
    (server) =>
      withWorkers(WORKERS, async (ws) => {
        const host = await seat(server, ws, layout);
        if (restartAfterMs !== undefined) host.restartAfterMs = restartAfterMs;
        try {
          return await measure(server, ws, o);
        } finally {
          host.close();
        }
      }),
    name,
  );
}

// --- the scenarios ---------------------------------------------------------------------------------------
// The loads of `class`, `hall` and `saturation`, which `durability` plays again under each durability.
interface LoadShape {
  layout: Layout;
  o: Parameters<typeof measure>[2];
  restartAfterMs?: number;
}
const classShape = (): LoadShape => ({
  layout: fixedLayout('class'),
  o: { rate: 5, warmupMs: 3000, measureMs: 15_000, sendsBeforeDecision: 8 },
});
const hallShape = (): LoadShape => ({ layout: hallLayout(n(2000, 10)), o: { rate: 1, warmupMs: 5000, measureMs: 20_000, sendsBeforeDecision: 8 } });
// The scenarios' saturation tables, each student sending its next action the moment the last is acknowledged.
const saturationShape = (): LoadShape => ({
  layout: fixedLayout('saturation'),
  o: { rate: 1, warmupMs: 3000, measureMs: 10_000, closedLoop: true, sendsBeforeDecision: 20 },
  restartAfterMs: 0,
});

async function classScenario(): Promise<Result> {
  const { layout, o } = classShape();
  const { game, relay } = await gameAndRelay('class', layout, o);
  const p99 = pct(game.delivery, 99);
  return {
    name: 'class',
    figures: {
      students: students(layout),
      tables: describeTables(layout),
      ...loadFigures(game),
      refused: refusedCount(game),
      'relay delivery p99 ms': r2(pct(relay.delivery, 99)),
      'p99 / relay p99': ratio(p99, pct(relay.delivery, 99)),
    },
    targets: { 'delivery p99 ms': '< 10', errors: '= 0' },
    met: { 'delivery p99 ms': p99 !== null && p99 < 10, errors: errorCount(game) === 0 },
    notes: refusedCount(game) ? [`refusals (a student acting on a screen one step behind): ${JSON.stringify(game.refused)}`] : [],
  };
}

async function joinScenario(): Promise<Result> {
  const count = n(500, WORKERS);
  return withValley(
    (server) =>
      withWorkers(WORKERS, async (ws) => {
        const host = await Host.open(server.url);
        try {
          await server.reset();
          const t0 = performance.now();
          // The whole class types the code at once: every connection and join in flight together.
          const per = count / ws.length;
          const rs = await Promise.all(
            ws.map((w, i) =>
              w.call<'join', { joined: unknown[]; joinMs: number[]; failures: Record<string, number> }>('join', {
                url: server.url,
                code: host.code,
                names: Array.from({ length: per }, (_, k) => `Student ${i}-${k}`),
                concurrency: per,
              }),
            ),
          );
          const wall = performance.now() - t0;
          const st = await server.stats();
          const joined = rs.reduce((a, r) => a + r.joined.length, 0);
          const ms = rs.flatMap((r) => r.joinMs);
          const failures = rs.flatMap((r) => Object.entries(r.failures));
          const p95 = pct(ms, 95);
          // The host's lobby shows every one of them.
          await sleep(500);
          const lobby = host.view?.players.length ?? 0;
          return {
            name: 'join',
            figures: {
              students: count,
              joined,
              'host lobby shows': lobby,
              'all joined in s': r2(wall / 1000),
              'join p50 ms': r2(pct(ms, 50)),
              'join p95 ms': r2(p95),
              'join max ms': r2(pct(ms, 100)),
              'server lag p99 ms': r2(st.lag.p99),
            },
            targets: { joined: `= ${count}`, 'all joined in s': '< 10', 'join p95 ms': '< 1000' },
            met: { joined: joined === count && lobby === count, 'all joined in s': wall < 10_000, 'join p95 ms': p95 !== null && p95 < 1000 },
            notes: failures.length ? [`failures: ${JSON.stringify(failures)}`] : [],
          };
        } finally {
          host.close();
        }
      }),
    'join',
  );
}

async function hallScenario(): Promise<Result> {
  const { layout, o } = hallShape();
  const { game, relay } = await gameAndRelay('hall', layout, o);
  const p99 = pct(game.delivery, 99);
  return {
    name: 'hall',
    figures: {
      students: students(layout),
      tables: describeTables(layout),
      ...loadFigures(game),
      refused: refusedCount(game),
      'relay delivery p99 ms': r2(pct(relay.delivery, 99)),
      'p99 / relay p99': ratio(p99, pct(relay.delivery, 99)),
      'relay server lag p99 ms': r2(relay.server.lagP99),
      'relay server rss MB': Math.round(relay.server.rssMB),
    },
    targets: { 'delivery p99 ms': '< 50', 'server lag p99 ms': '< 50', 'server rss MB': '< 512', errors: '= 0' },
    met: {
      'delivery p99 ms': p99 !== null && p99 < 50,
      'server lag p99 ms': game.server.lagP99 < 50,
      'server rss MB': game.server.rssMB < 512,
      errors: errorCount(game) === 0,
    },
    notes: refusedCount(game) ? [`refusals: ${JSON.stringify(game.refused)}`] : [],
  };
}

/**
 * The hall's students as several classes at once, each its own session with its own host — a session
 * lives on one worker, so one class alone cannot use a second core — on one process, then on
 * `--valley-workers` workers, then the same tables on the bare relay.
 */
async function hallWorkersScenario(): Promise<Result> {
  const { o } = hallShape();
  const sessions = Math.max(2, VALLEY_WORKERS);
  const each = hallLayout(Math.round(n(2000, 10) / sessions));
  const split = (workers: number) =>
    withValley(
      (server) =>
        withWorkers(WORKERS, async (ws) => {
          const hosts = [];
          for (let i = 0; i < sessions; i++) hosts.push(await seat(server, ws, each));
          try {
            return await measure(server, ws, o);
          } finally {
            for (const h of hosts) h.close();
          }
        }),
      `hall-workers-${workers}`,
      undefined,
      workers,
    );
  const one = await split(1);
  const many = await split(VALLEY_WORKERS);
  const relay = await relayBaseline(
    each.map((t) => ({ ...t, tables: t.tables * sessions })),
    o,
  );
  const p1 = pct(one.delivery, 99);
  const pN = pct(many.delivery, 99);
  const pR = pct(relay.delivery, 99);
  const rate = (l: Load) => l.ok / (l.windowMs / 1000);
  return {
    name: 'hall-workers',
    figures: {
      students: students(each) * sessions,
      sessions,
      workers: VALLEY_WORKERS,
      ...loadFigures(one, '1 worker: '),
      ...loadFigures(many, `${VALLEY_WORKERS} workers: `),
      'relay delivery p99 ms': r2(pR),
      [`p99 ${VALLEY_WORKERS} workers / 1 worker`]: ratio(pN, p1),
      [`actions/s ${VALLEY_WORKERS} workers / 1 worker`]: ratio(rate(many), rate(one)),
      [`p99 ${VALLEY_WORKERS} workers / relay p99`]: ratio(pN, pR),
      'p99 1 worker / relay p99': ratio(p1, pR),
    },
    targets: { [`${VALLEY_WORKERS} workers: delivery p99 ms`]: '< 50', [`${VALLEY_WORKERS} workers: errors`]: '= 0' },
    met: {
      [`${VALLEY_WORKERS} workers: delivery p99 ms`]: pN !== null && pN < 50,
      [`${VALLEY_WORKERS} workers: errors`]: errorCount(many) === 0,
    },
    notes: [],
  };
}

/** Several nodes' reports as one, as the cluster's are (sums, and the worst delay), at `url`. */
function asOne(parts: ServerChild[], url: string): ServerChild {
  const merge = (ss: ServerStats[], type: string): ServerStats => {
    const sum = (f: (s: ServerStats) => number) => ss.reduce((a, s) => a + f(s), 0);
    const worst = (f: (s: ServerStats) => number) => Math.max(0, ...ss.map(f));
    const stores = ss.flatMap((s) => (s.store ? [s.store] : []));
    return {
      type,
      rssMB: sum((s) => s.rssMB),
      heapMB: sum((s) => s.heapMB),
      cpu: sum((s) => s.cpu),
      lag: { p50: worst((s) => s.lag.p50), p99: worst((s) => s.lag.p99), max: worst((s) => s.lag.max), mean: worst((s) => s.lag.mean) },
      connections: sum((s) => s.connections),
      ...(stores.length > 0
        ? {
            store: {
              durability: stores[0]!.durability,
              syncs: stores.reduce((a, s) => a + s.syncs, 0),
              syncedWrites: stores.reduce((a, s) => a + s.syncedWrites, 0),
              atMs: stores[0]!.atMs,
            },
          }
        : {}),
    };
  };
  return {
    proc: parts[0]!.proc,
    port: Number(new URL(url).port),
    url,
    ready: {},
    reports: [],
    output: [],
    reset: async () => merge(await Promise.all(parts.map((p) => p.reset())), 'reset'),
    stats: async () => merge(await Promise.all(parts.map((p) => p.stats())), 'stats'),
    shutdown: async () => void (await Promise.all(parts.map((p) => p.shutdown()))),
    kill: async () => void (await Promise.all(parts.map((p) => p.kill()))),
  };
}

/**
 * The hall's students as several classes at once (as in `hall-workers`) on two Valley nodes behind
 * HAProxy with Redis as their directory, one data folder shared, every connection through HAProxy's
 * one address — then the same tables on the bare relay. A session lives on one node: the classes are
 * spread over both by HAProxy's round-robin of the session creations.
 */
async function twoNodesScenario(): Promise<Result> {
  requireEngines();
  const { o } = hallShape();
  const sessions = Math.max(2, VALLEY_WORKERS);
  const each = hallLayout(Math.round(n(2000, 10) / sessions));
  const dataDir = await mkdtemp(join(tmpdir(), 'valley-bench-nodes-'));
  const redis = await startRedis();
  const nodes: ServerChild[] = [];
  let haproxy: Awaited<ReturnType<typeof startHaproxy>> | null = null;
  let held: Record<string, number> = {};
  let game: Load;
  try {
    for (const name of ['a', 'b']) {
      nodes.push(
        await startServer('valley', {
          dataDir,
          limits: LIMITS,
          fsyncExtraMs,
          node: { redis: redis.url, name },
          profileDir: profileDir && join(profileDir, `two-nodes-${name}`),
          cpuProfDir: cpuProfDir && join(cpuProfDir, `two-nodes-${name}`),
        }),
      );
    }
    haproxy = await startHaproxy(
      nodes.map((s, i) => ({ name: 'ab'[i]!, address: `127.0.0.1:${s.port}` })),
      Math.max(1000, n(2000, 10) * 2),
    );
    const server = asOne(nodes, haproxy.url);
    game = await withWorkers(WORKERS, async (ws) => {
      const hosts = [];
      for (let i = 0; i < sessions; i++) hosts.push(await seat(server, ws, each));
      held = await sessionsByNode(
        redis.url,
        hosts.map((h) => h.session.sessionId),
      );
      try {
        return await measure(server, ws, o);
      } finally {
        for (const h of hosts) h.close();
      }
    });
  } finally {
    await haproxy?.stop();
    await Promise.all(nodes.map((s) => s.shutdown()));
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const relay = await relayBaseline(
    each.map((t) => ({ ...t, tables: t.tables * sessions })),
    o,
  );
  const pG = pct(game.delivery, 99);
  const pR = pct(relay.delivery, 99);
  const rate = (l: Load) => l.ok / (l.windowMs / 1000);
  return {
    name: 'two-nodes',
    figures: {
      students: students(each) * sessions,
      sessions,
      'sessions on a / b': `${held.a ?? 0} / ${held.b ?? 0}`,
      ...loadFigures(game, '2 nodes: '),
      ...loadFigures(relay, 'relay: '),
      'p99 2 nodes / relay p99': ratio(pG, pR),
      'actions/s 2 nodes / relay': ratio(rate(game), rate(relay)),
    },
    targets: { '2 nodes: delivery p99 ms': '< 50', '2 nodes: errors': '= 0' },
    met: { '2 nodes: delivery p99 ms': pG !== null && pG < 50, '2 nodes: errors': errorCount(game) === 0 },
    notes: ['every connection goes through HAProxy (a process of its own on the same machine: its CPU is not in the nodes’ figures)'],
  };
}

/** How many of these sessions each node holds, from the Redis directory. */
async function sessionsByNode(redisUrl: string, ids: string[]): Promise<Record<string, number>> {
  const c = createClient({ url: redisUrl });
  await c.connect();
  try {
    const out: Record<string, number> = {};
    for (const id of ids) {
      const node = (await c.get(KEYS.session(id))) ?? '?';
      out[node] = (out[node] ?? 0) + 1;
    }
    return out;
  } finally {
    c.destroy();
  }
}

async function capacityScenario(): Promise<Result> {
  const steps = [250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10_000].map((x) => n(x, 10));
  const capMs = Number(opt('--capacity-seconds') ?? 300) * 1000;
  const maxLevel = steps.at(-1)!;
  const t0 = performance.now();
  const levels: { students: number; p99: number | null; lag: number; errors: number; actions: number; botCpu: number; serverCpu: number; rss: number }[] = [];
  await withValley(
    (server) =>
      withWorkers(WORKERS, async (ws) => {
        const hosts: Host[] = [];
        let total = 0;
        try {
          for (const level of steps) {
            if (performance.now() - t0 > capMs) break;
            // The students added go to a session of their own (a session holds at most 500 tables).
            const more = level - total;
            hosts.push(await seat(server, ws, hallLayout(more)));
            total = level;
            const l = await measure(server, ws, { rate: 1, warmupMs: 3000, measureMs: 8000, sendsBeforeDecision: 8 });
            const p99 = pct(l.delivery, 99);
            levels.push({
              students: total,
              p99: r2(p99),
              lag: r2(l.server.lagP99)!,
              errors: errorCount(l),
              actions: r2(l.ok / (l.windowMs / 1000))!,
              botCpu: r2(l.botCpu)!,
              serverCpu: r2(l.server.cpu)!,
              rss: Math.round(l.server.rssMB),
            });
            console.error(
              `  capacity: ${total} students: p99 ${r2(p99)} ms, ${levels.at(-1)!.actions} actions/s, server cpu ${levels.at(-1)!.serverCpu}, bots cpu ${levels.at(-1)!.botCpu}, errors ${errorCount(l)}`,
            );
            if (p99 === null || p99 > 100 || errorCount(l) > 0) break;
          }
        } finally {
          for (const h of hosts) h.close();
        }
      }),
    'capacity',
    undefined,
    CAPACITY_WORKERS,
  );
  const good = levels.filter((l) => l.p99 !== null && l.p99 <= 100 && l.errors === 0);
  const capacity = good.at(-1)?.students ?? 0;
  const passed = levels.at(-1) !== good.at(-1);
  return {
    name: 'capacity',
    figures: {
      workers: CAPACITY_WORKERS,
      'students at p99 ≤ 100 ms': capacity,
      'search ended by': passed ? 'p99 > 100 ms' : levels.at(-1)?.students === maxLevel ? `level cap ${maxLevel}` : 'time cap',
      levels: levels.map((l) => `${l.students}:${l.p99}ms/${l.actions}a/s`).join(' '),
      'last server cpu': levels.at(-1)?.serverCpu ?? null,
      'last bot cpu': levels.at(-1)?.botCpu ?? null,
      'last server rss MB': levels.at(-1)?.rss ?? null,
    },
    targets: { 'students at p99 ≤ 100 ms': '≥ 5000' },
    met: { 'students at p99 ≤ 100 ms': capacity >= 5000 },
    notes: [],
  };
}

async function saturationScenario(): Promise<Result> {
  const { layout, o, restartAfterMs } = saturationShape();
  const { game, relay } = await gameAndRelay('saturation', layout, o, restartAfterMs);
  const g = game.ok / (game.windowMs / 1000);
  const r = relay.ok / (relay.windowMs / 1000);
  return {
    name: 'saturation',
    figures: {
      students: students(layout),
      'game actions/s': Math.round(g),
      'game deliveries/s': Math.round(game.delivery.length / (game.windowMs / 1000)),
      'relay messages/s': Math.round(r),
      'game / relay': ratio(g, r),
      'game server cpu': r2(game.server.cpu),
      'relay server cpu': r2(relay.server.cpu),
      'game bot cpu': r2(game.botCpu),
      'relay bot cpu': r2(relay.botCpu),
      'game ack p99 ms': r2(pct(game.ack, 99)),
      'relay ack p99 ms': r2(pct(relay.ack, 99)),
      errors: errorCount(game),
    },
    targets: { 'game / relay': '≥ 0.5' },
    met: { 'game / relay': g / r >= 0.5 },
    notes: [],
  };
}

// File systems by statfs magic number: a tmpfs data directory would make fdatasync free.
const FS_TYPES: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x794c7630: 'overlayfs' };

/** The disk under the data directory on its own: one small append and its fdatasync, `count` times. */
function fdatasyncProbe(dir: string, count: number): { fs: string; p50: number | null; p99: number | null } {
  const path = join(dir, 'probe.ndjson');
  const fd = openSync(path, 'w');
  const line = Buffer.from(`${JSON.stringify({ probe: 'x'.repeat(100) })}\n`);
  const ms: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      writeSync(fd, line, 0, line.length, i * line.length);
      const t0 = performance.now();
      fdatasyncSync(fd);
      ms.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  const type = Number(statfsSync(dir).type);
  return { fs: FS_TYPES[type] ?? `0x${type.toString(16)}`, p50: pct(ms, 50), p99: pct(ms, 99) };
}

/** Several measurement windows of one server as one: samples pooled, rates over the summed time. */
function pooled(ls: Load[]): Load {
  const ms = ls.reduce((a, l) => a + l.windowMs, 0);
  const mean = (f: (l: Load) => number) => ls.reduce((a, l) => a + f(l) * l.windowMs, 0) / ms;
  const merge = (k: 'errors' | 'refused') => {
    const out: Record<string, number> = {};
    for (const l of ls) for (const [r, v] of Object.entries(l[k])) out[r] = (out[r] ?? 0) + v;
    return out;
  };
  const fl = ls.map((l) => l.flushes);
  return {
    delivery: ls.flatMap((l) => l.delivery),
    ack: ls.flatMap((l) => l.ack),
    acts: ls.reduce((a, l) => a + l.acts, 0),
    ok: ls.reduce((a, l) => a + l.ok, 0),
    errors: merge('errors'),
    refused: merge('refused'),
    windowMs: ms,
    botCpu: mean((l) => l.botCpu),
    botLagP99: Math.max(...ls.map((l) => l.botLagP99)),
    // The event loop's p99 and max: the worst window's (each window's histogram starts afresh).
    server: {
      lagP99: Math.max(...ls.map((l) => l.server.lagP99)),
      lagMax: Math.max(...ls.map((l) => l.server.lagMax)),
      rssMB: Math.max(...ls.map((l) => l.server.rssMB)),
      cpu: mean((l) => l.server.cpu),
    },
    machine: ls.every((l) => l.machine) ? { busy: mean((l) => l.machine!.busy), bench: mean((l) => l.machine!.bench) } : null,
    flushes: fl.every((f) => f)
      ? {
          durability: fl[0]!.durability,
          syncs: fl.reduce((a, f) => a + f!.syncs, 0),
          syncedWrites: fl.reduce((a, f) => a + f!.syncedWrites, 0),
          seconds: fl.reduce((a, f) => a + f!.seconds, 0),
        }
      : null,
  };
}

/**
 * One load on two servers at once, one `os` and one `disk`, each with its own data directory, bots and
 * host: their measurement windows alternate (os, disk, disk, os, os, disk, …), one server idle while
 * the other plays, so other work on the shared machine falls on both alike. The measured time is
 * the shape's own, split over the rounds; the first window of each has the shape's warm-up.
 */
async function bothDurabilities(name: string, shape: LoadShape, rounds: number, log: string[]): Promise<Record<Durability, Load>> {
  const windows: Record<Durability, Load[]> = { os: [], disk: [] };
  const one = (d: Durability, f: (s: ServerChild, ws: Worker[]) => Promise<void>) => (): Promise<void> =>
    withValley((server) => withWorkers(WORKERS, (ws) => f(server, ws)), `durability-${name}-${d}`, d);
  const live: Partial<Record<Durability, { server: ServerChild; ws: Worker[] }>> = {};
  const play = async () => {
    for (let r = 0; r < rounds; r++) {
      for (const d of (r % 2 === 0 ? ['os', 'disk'] : ['disk', 'os']) as Durability[]) {
        const { server, ws } = live[d]!;
        const o = { ...shape.o, warmupMs: r === 0 ? shape.o.warmupMs : Math.min(2000, shape.o.warmupMs), measureMs: Math.round(shape.o.measureMs / rounds) };
        const l = await measure(server, ws, o);
        if (l.flushes?.durability !== d) throw new Error(`the server ran with durability ${l.flushes?.durability}, not ${d}`);
        windows[d].push(l);
        const line = `${name} ${d} window ${r + 1}: ack p50 ${r2(pct(l.ack, 50))} p99 ${r2(pct(l.ack, 99))} ms, delivery p99 ${r2(pct(l.delivery, 99))} ms, ${r2(l.ok / (l.windowMs / 1000))} actions/s, server cpu ${r2(l.server.cpu)}, fdatasyncs ${l.flushes.syncs}, other work ${r2(otherCpu(l))} cores`;
        log.push(line);
        console.error(`  durability: ${line}`);
      }
    }
  };
  // Each server seated and playing inside the other's lifetime, so that both are torn down after.
  const seated = (d: Durability, then: () => Promise<void>) =>
    one(d, async (server, ws) => {
      const host = await seat(server, ws, shape.layout);
      if (shape.restartAfterMs !== undefined) host.restartAfterMs = shape.restartAfterMs;
      live[d] = { server, ws };
      try {
        await then();
      } finally {
        host.close();
      }
    })();
  await seated('os', () => seated('disk', play));
  return { os: pooled(windows.os), disk: pooled(windows.disk) };
}

/**
 * The cost of `disk` against `os`: the loads of class, hall and saturation, each on an `os` and a
 * `disk` server side by side, in alternating windows (`bothDurabilities`).
 */
async function durabilityScenario(): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'valley-bench-'));
  const probe = await (async () => {
    try {
      return fdatasyncProbe(dir, 200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  const rounds = Number(opt('--durability-rounds') ?? 3);
  const figures: Record<string, Figure> = {
    'data dir file system': probe.fs,
    'bare fdatasync p50 ms': r2(probe.p50),
    'bare fdatasync p99 ms': r2(probe.p99),
    'windows per durability': rounds,
    'fsync extra ms': fsyncExtraMs ?? 0,
  };
  const notes: string[] = [];
  if (probe.fs === 'tmpfs')
    notes.push(`the data directory (${tmpdir()}) is on tmpfs: fdatasync costs nothing there, so \`disk\` is not measured (set TMPDIR to a real disk)`);
  const met: Record<string, boolean> = {};
  const targets: Record<string, string> = {};
  const shapes: Record<string, () => LoadShape> = { class: classShape, hall: hallShape, saturation: saturationShape };
  const chosen = (opt('--durability-loads') ?? 'class,hall,saturation').split(',');
  for (const name of chosen) if (!shapes[name]) throw new Error(`--durability-loads: no load ${name}; one of ${Object.keys(shapes).join(', ')}`);
  for (const name of chosen) {
    const shape = shapes[name]!();
    const { os, disk } = await bothDurabilities(name, shape, rounds, notes);
    const per = (l: Load) => {
      const s = l.windowMs / 1000;
      const f = l.flushes!;
      const acts = l.ok / s;
      return {
        'ack p50 ms': pct(l.ack, 50),
        'ack p99 ms': pct(l.ack, 99),
        'delivery p50 ms': pct(l.delivery, 50),
        'delivery p99 ms': pct(l.delivery, 99),
        'actions/s': acts,
        'server cpu': l.server.cpu,
        'server cpu ms/action': acts > 0 ? (l.server.cpu * 1000) / acts : null,
        'server lag p99 ms': l.server.lagP99,
        'fdatasyncs/s': f.seconds > 0 ? f.syncs / f.seconds : null,
        'writes/fdatasync': f.syncs > 0 ? f.syncedWrites / f.syncs : null,
      };
    };
    const a = per(os);
    const b = per(disk);
    figures[`${name} students`] = students(shape.layout);
    for (const k of Object.keys(a) as (keyof typeof a)[]) {
      if (k === 'writes/fdatasync' || k === 'fdatasyncs/s') {
        figures[`${name} disk ${k}`] = r2(b[k]);
        continue;
      }
      figures[`${name} os ${k}`] = r2(a[k]);
      figures[`${name} disk ${k}`] = r2(b[k]);
      figures[`${name} ${k} disk/os`] = ratio(b[k], a[k]);
    }
    for (const [d, l] of [
      ['os', os],
      ['disk', disk],
    ] as const) {
      figures[`${name} ${d} other work on the machine, cores`] = r2(otherCpu(l));
      figures[`${name} ${d} errors`] = errorCount(l);
      targets[`${name} ${d} errors`] = '= 0';
      met[`${name} ${d} errors`] = errorCount(l) === 0;
      if (refusedCount(l)) notes.push(`${name} ${d} refusals: ${JSON.stringify(l.refused)}`);
      if (errorCount(l)) notes.push(`${name} ${d} errors: ${JSON.stringify(l.errors)}`);
    }
    if (os.flushes!.syncs !== 0) notes.push(`${name} os: ${os.flushes!.syncs} group flushes with durability os`);
  }
  return { name: 'durability', figures, targets, met, notes };
}

async function restartScenario(): Promise<Result> {
  const layout = hallLayout(n(2000, 10));
  const count = students(layout);
  const dataDir = await mkdtemp(join(tmpdir(), 'valley-bench-'));
  let server = await startServer('valley', { dataDir, limits: LIMITS });
  try {
    return await withWorkers(WORKERS, async (ws) => {
      const host = await seat(server, ws, layout, { reconnect: true });
      try {
        await ws[0]!.call('play', { rate: 1 });
        await Promise.all(ws.slice(1).map((w) => w.call('play', { rate: 1 })));
        await sleep(5000);
        // Every student waits to be back in its own seat; then the server dies mid-game.
        const waits = ws.map((w) => w.call<'watchResume', { resumed: number[]; total: number }>('watchResume', { timeoutMs: 60_000 }));
        await sleep(200);
        const port = server.port;
        const killedAt = Date.now();
        await server.kill();
        server = await startServer('valley', { dataDir, port, limits: LIMITS });
        const upAt = Date.now();
        const rs = await Promise.all(waits);
        const resumed = rs.flatMap((r) => r.resumed);
        const lastMs = resumed.length ? Math.max(...resumed) - killedAt : null;
        // They play on: the games go on from the log.
        await Promise.all(ws.map((w) => w.call('window', {})));
        await sleep(5000);
        const cols = await Promise.all(ws.map((w) => w.collect()));
        await Promise.all(ws.map((w) => w.call('pause', {})));
        const okAfter = cols.reduce((a, c) => a + c.acked, 0);
        const errs = cols.reduce((a, c) => a + Object.values(c.errors).reduce((x: number, y: number) => x + y, 0), 0);
        return {
          name: 'restart',
          figures: {
            students: count,
            'back in their seats': resumed.length,
            'server start-up s': r2((upAt - killedAt) / 1000),
            'recovery (log replay) ms': r2(server.ready.startMs ?? null),
            'all back in s': lastMs === null ? null : r2(lastMs / 1000),
            'p50 back in s': r2((pct(resumed, 50) ?? killedAt) / 1000 - killedAt / 1000),
            'actions ok in 5 s after': okAfter,
            'errors after': errs,
            'host re-attached': host.attachedAt > killedAt ? 'yes' : 'no',
          },
          targets: { 'back in their seats': `= ${count}`, 'all back in s': '< 30' },
          met: { 'back in their seats': resumed.length === count, 'all back in s': lastMs !== null && lastMs < 30_000 },
          notes: [],
        };
      } finally {
        host.close();
      }
    });
  } finally {
    await server.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function replayScenario(): Promise<Result> {
  const count = n(100_000, 1000);
  const text = makeLog(count);
  const times: number[] = [];
  let events = 0;
  let games = 0;
  for (let i = 0; i < 5; i++) {
    // Parse every line, rebuild the session and index every game's timeline for the replay page, in
    // one pass (openLog): what opening a log file costs.
    const t0 = performance.now();
    const parsed = openLog(text);
    if (!parsed.ok) throw new Error(`the generated log does not parse: ${JSON.stringify(parsed.error)}`);
    games = parsed.games.length;
    times.push(performance.now() - t0);
    events = parsed.events.length;
  }
  const t1 = performance.now();
  const v = verifyLog(text);
  const verifyMs = performance.now() - t1;
  const first = times[0]!;
  const median = pct(times, 50)!;
  // The same log on the replay page in headless Chromium: parse and first render, then scrubbing.
  const b = await replayInBrowser(text);
  return {
    name: 'replay',
    figures: {
      events,
      games,
      'log MB': r2(Buffer.byteLength(text) / 2 ** 20),
      'parse+index first ms': r2(first),
      'parse+index median ms': r2(median),
      'verifyLog ms': r2(verifyMs),
      'verified games': v.games,
      ...b.figures,
    },
    targets: { 'parse+index first ms': '< 1000', ...b.targets },
    met: { 'parse+index first ms': first < 1000, ...b.met },
    notes: [...(v.ok ? [] : [`verifyLog: ${JSON.stringify(v.problems.slice(0, 3))}`]), ...b.notes],
  };
}

const SCENARIOS: Record<string, () => Promise<Result>> = {
  class: classScenario,
  join: joinScenario,
  hall: hallScenario,
  'hall-workers': hallWorkersScenario,
  'two-nodes': twoNodesScenario,
  capacity: capacityScenario,
  saturation: saturationScenario,
  restart: restartScenario,
  replay: replayScenario,
  durability: durabilityScenario,
};

// --- run and print ----------------------------------------------------------------------------------
// `--only a,b` runs those scenarios, in the order given.
const names = only ? only.split(',') : Object.keys(SCENARIOS);
for (const name of names) {
  if (SCENARIOS[name]) continue;
  console.error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
if (profileDir) await mkdir(profileDir, { recursive: true });
const results: Result[] = [];
const startedAt = new Date();
// Other work on the machine skews every figure: the load average before the run is printed with them.
const loadBefore = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
for (const name of names) {
  console.error(`running ${name}…`);
  const t0 = performance.now();
  try {
    const r = await SCENARIOS[name]!();
    results.push(r);
  } catch (err) {
    results.push({ name, figures: {}, targets: { run: 'completes' }, met: { run: false }, notes: [`failed: ${(err as Error).stack ?? err}`] });
  }
  console.error(`  ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const rows: string[][] = [['scenario', 'figure', 'value', 'target', 'met']];
for (const r of results) {
  for (const [k, v] of Object.entries(r.figures)) {
    const target = r.targets[k] ?? '';
    rows.push([r.name, k, String(v), target, k in r.met ? (r.met[k] ? 'yes' : 'NO') : '']);
  }
  for (const [k, t] of Object.entries(r.targets)) if (!(k in r.figures)) rows.push([r.name, k, '', t, r.met[k] ? 'yes' : 'NO']);
}
const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i]!.length))));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  `\nValley benchmark — ${startedAt.toISOString()} — ${machine} — load average before: ${loadBefore}, after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
for (const r of results) for (const note of r.notes) console.log(`\n${r.name}: ${note}`);
const allMet = results.every((r) => Object.values(r.met).every(Boolean));
console.log(`\n${allMet ? 'every target met' : 'some targets not met (see NO above)'}`);
if (jsonFile) {
  await writeFile(jsonFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, loadBefore, loadAfter: loadavg(), scale, results }, null, 2)}\n`);
  console.log(`figures written to ${jsonFile}`);
}
