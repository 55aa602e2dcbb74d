// The real Valley server in a child process of its own, for the benchmark and the fault drills:
// createValley with a real clock on DATA_DIR and the DURABILITY given (`os` or `disk`; unset = the
// server's default), listening on 127.0.0.1:PORT (0 = any free port). It tells its parent its port,
// and every STATS_MS its memory, CPU, event-loop delay and log flushes, over IPC when it has a parent
// channel, else as JSON lines on stdout prefixed with "@valley ". FSYNC_EXTRA_MS=N makes each of the
// log's flushes answer N ms late, as a slower disk would (a laptop's SSD, say, where this VM's is quick).
// VALLEY_WORKERS=N (> 1): the server as `npm start` runs it on N cores, a cluster primary routing to N
// workers (server/src/cluster/); its reports add up the workers' CPU, memory, connections and log
// flushes (and the primary's own CPU and memory), and take the worst event-loop delay of any process.
// VALLEY_REDIS (with VALLEY_NODE): one node of several behind HAProxy (server/src/nodes/); it reports
// for itself, and the bench adds up the nodes.
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { createValley, type Valley, type ValleyOptions } from '@valley/server';
import { startPrimary } from '@valley/server/cluster/primary';
import { serveAsWorker } from '@valley/server/cluster/worker';
import { startNode } from '@valley/server/nodes/node';
import { realFiles } from '@valley/server/files';
import { processMeter } from './meter.ts';

const dataDir: string = process.env.DATA_DIR ?? '';
if (!dataDir) throw new Error('DATA_DIR is required');
const port = Number(process.env.PORT ?? 0);
const statsMs = Number(process.env.STATS_MS ?? 1000);
const limits = JSON.parse(process.env.VALLEY_LIMITS ?? '{}') as Record<string, number>;
const durability = (process.env.DURABILITY || undefined) as ValleyOptions['durability'];
if (durability !== undefined && durability !== 'os' && durability !== 'disk') throw new Error(`DURABILITY must be os or disk (got ${durability})`);
const fsyncExtraMs = Number(process.env.FSYNC_EXTRA_MS || 0);
const files =
  fsyncExtraMs > 0
    ? { ...realFiles, datasync: (fd: number) => realFiles.datasync(fd).then(() => new Promise<void>((r) => setTimeout(r, fsyncExtraMs))) }
    : realFiles;
// Warnings (a torn last line dropped at recovery, say) go to stdout as pino JSON lines.
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

const report = (msg: object) => {
  if (process.send) process.send(msg);
  else process.stdout.write(`@valley ${JSON.stringify(msg)}\n`);
};

const started = performance.now();
const valleyWorkers = Number(process.env.VALLEY_WORKERS || 1);
interface Stats {
  rssMB: number;
  heapMB: number;
  cpu: number;
  lag: { p50: number; p99: number; max: number; mean: number };
  connections: number;
  store: { durability: string; syncs: number; syncedWrites: number; atMs: number };
}

/** The server's meter, packet counts and CPU profiles (one process: alone, or one worker). */
function instrument(valley: Valley) {
  // With PACKET_STATS=1, what the server sends, by event: packets and bytes (to find the heavy ones).
  const packets: Record<string, { n: number; bytes: number }> = {};
  if (process.env.PACKET_STATS === '1') {
    valley.io.engine.on('connection', (socket: { on(e: string, f: (p: { data?: unknown }) => void): void }) => {
      socket.on('packetCreate', (p) => {
        if (typeof p.data !== 'string') return;
        const name = /^\d+\["([^"]+)"/.exec(p.data)?.[1] ?? (p.data.startsWith('43') ? 'ack' : 'other');
        const c = (packets[name] ??= { n: 0, bytes: 0 });
        c.n++;
        c.bytes += p.data.length;
      });
    });
  }

  // Event-loop delay in ms since the last reset; the log's group flushes so far (with the child's clock,
  // so the parent can take rates between any two reports); with PACKET_STATS=1, the packets sent so far.
  const meter = processMeter(() => ({
    connections: valley.io.engine.clientsCount as number,
    store: { durability: valley.store.durability, ...valley.store.stats, atMs: performance.now() },
    packets: { ...packets },
  }));

  // With CPU_PROFILE_DIR set, each measurement window (from a reset to the next stats request) is
  // profiled with the inspector and written there as a .cpuprofile.
  const profileDir = process.env.CPU_PROFILE_DIR;
  let profiler: Session | null = null;
  let profiles = 0;
  return {
    stats: meter.stats as () => Stats & { type: string },
    async reset() {
      meter.reset();
      if (!profileDir || profiler) return;
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.post('Profiler.start');
    },
    async stopProfile() {
      if (!profiler) return;
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      writeFileSync(join(profileDir!, `valley-${process.pid}-${++profiles}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

let closing = false;
function onShutdown(close: () => Promise<void>) {
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    // A server with a backlog still exits promptly (and writes its CPU profile).
    setTimeout(() => process.exit(0), 3000).unref();
    await close();
    // process.exit runs the --cpu-prof writer, if that flag is on.
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('disconnect', () => void shutdown());
  return shutdown;
}

async function runAlone() {
  let valley: Valley;
  let address: { port: number };
  let close: () => Promise<void>;
  if (process.env.VALLEY_REDIS) {
    const node = await startNode({
      redisUrl: process.env.VALLEY_REDIS,
      name: process.env.VALLEY_NODE ?? 'bench',
      port,
      host: '127.0.0.1',
      ttlMs: 10_000,
      valley: { dataDir, logger, limits, durability, files },
    });
    valley = node.valley;
    address = node.front.address;
    close = () => node.close();
  } else {
    valley = await createValley({ dataDir, logger, limits, durability, files });
    address = await valley.listen(port, '127.0.0.1');
    close = () => valley.close();
  }
  report({
    type: 'ready',
    port: address.port,
    pid: process.pid,
    durability: valley.store.durability,
    fsyncExtraMs,
    startMs: performance.now() - started,
    sessions: valley.registry.byId.size,
    broken: valley.registry.broken,
  });
  const m = instrument(valley);
  setInterval(() => report(m.stats()), statsMs).unref();
  const shutdown = onShutdown(close);
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'reset') void m.reset().then(() => report({ ...m.stats(), type: 'reset' }));
    else if (msg.type === 'stats') void m.stopProfile().then(() => report(m.stats()));
    else if (msg.type === 'shutdown') void shutdown();
  });
}

/** A worker answers its primary's requests for stats (`tick`: a periodic report, which leaves the profile running). */
function runWorker(valley: Valley) {
  const m = instrument(valley);
  process.on('message', (msg: { type: string; id?: number }) => {
    const answer = () => process.send?.({ type: 'bench:stats', id: msg.id, stats: m.stats() });
    if (msg.type === 'bench:reset') void m.reset().then(answer);
    else if (msg.type === 'bench:stats') void m.stopProfile().then(answer);
    else if (msg.type === 'bench:tick') answer();
  });
}

/** The workers' reports as one: sums, and the worst delay; the log's clock is the primary's. */
function together(own: Record<string, unknown> & { rssMB: number; heapMB: number; cpu: number }, parts: Stats[], type: string) {
  const sum = (f: (s: Stats) => number) => parts.reduce((a, s) => a + f(s), 0);
  const worst = (f: (s: Stats) => number) => Math.max(0, ...parts.map(f));
  return {
    type,
    workers: parts.length,
    rssMB: own.rssMB + sum((s) => s.rssMB),
    heapMB: own.heapMB + sum((s) => s.heapMB),
    cpu: own.cpu + sum((s) => s.cpu),
    lag: { p50: worst((s) => s.lag.p50), p99: worst((s) => s.lag.p99), max: worst((s) => s.lag.max), mean: worst((s) => s.lag.mean) },
    connections: sum((s) => s.connections),
    store: {
      durability: parts[0]?.store.durability ?? durability ?? 'disk',
      syncs: sum((s) => s.store.syncs),
      syncedWrites: sum((s) => s.store.syncedWrites),
      atMs: performance.now(),
    },
    packets: {},
  };
}

async function runPrimary() {
  const own = processMeter(() => ({}));
  const primary = await startPrimary({ count: valleyWorkers, port, host: '127.0.0.1', dataDir, log: logger });
  report({
    type: 'ready',
    port: primary.address.port,
    pid: process.pid,
    workers: valleyWorkers,
    durability: durability ?? 'disk',
    fsyncExtraMs,
    startMs: performance.now() - started,
    broken: [],
  });
  let asked = 0;
  const pending = new Map<number, { want: number; got: Stats[]; done(s: Stats[]): void }>();
  cluster.on('message', (_w, m: { type?: string; id?: number; stats?: Stats }) => {
    const p = m?.type === 'bench:stats' && m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    p.got.push(m.stats!);
    if (p.got.length === p.want) {
      pending.delete(m.id!);
      p.done(p.got);
    }
  });
  const ask = (kind: 'reset' | 'stats' | 'tick') =>
    new Promise<Stats[]>((done) => {
      const ws = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
      if (ws.length === 0) return done([]);
      const id = ++asked;
      pending.set(id, { want: ws.length, got: [], done });
      for (const w of ws) w!.send({ type: `bench:${kind}`, id });
    });
  setInterval(() => void ask('tick').then((parts) => report(together(own.stats(), parts, 'stats'))), statsMs).unref();
  const shutdown = onShutdown(() => primary.close());
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'reset')
      void ask('reset').then((parts) => {
        own.reset();
        report(together(own.stats(), parts, 'reset'));
      });
    else if (msg.type === 'stats') void ask('stats').then((parts) => report(together(own.stats(), parts, 'stats')));
    else if (msg.type === 'shutdown') void shutdown();
  });
}

if (valleyWorkers > 1 && cluster.isPrimary) await runPrimary();
else if (cluster.isWorker)
  runWorker(await serveAsWorker(Number(process.env.VALLEY_WORKER_INDEX), valleyWorkers, { dataDir, logger, limits, durability, files }));
else await runAlone();
