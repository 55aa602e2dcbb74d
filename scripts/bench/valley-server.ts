// The real Valley server in a child process of its own, for the benchmark and the fault drills:
// createValley with a real clock on DATA_DIR and the DURABILITY given (`os` or `disk`; unset = the
// server's default), listening on 127.0.0.1:PORT (0 = any free port). It tells its parent its port,
// and every STATS_MS its memory, CPU, event-loop delay and log flushes, over IPC when it has a parent
// channel, else as JSON lines on stdout prefixed with "@valley ". FSYNC_EXTRA_MS=N makes each of the
// log's flushes answer N ms late, as a slower disk would (a laptop's SSD, say, where this VM's is quick).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { createValley, type ValleyOptions } from '@valley/server';
import { realFiles } from '@valley/server/files';
import { processMeter } from './meter.ts';

const dataDir = process.env.DATA_DIR;
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

const report = (msg: Record<string, unknown>) => {
  if (process.send) process.send(msg);
  else process.stdout.write(`@valley ${JSON.stringify(msg)}\n`);
};

const started = performance.now();
const valley = await createValley({ dataDir, logger, limits, durability, files });
const address = await valley.listen(port, '127.0.0.1');
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
  connections: valley.io.engine.clientsCount,
  store: { durability: valley.store.durability, ...valley.store.stats, atMs: performance.now() },
  packets: { ...packets },
}));
const stats = meter.stats;
setInterval(() => report(stats()), statsMs).unref();

// With CPU_PROFILE_DIR set, each measurement window (from a reset to the next stats request) is
// profiled with the inspector and written there as a .cpuprofile.
const profileDir = process.env.CPU_PROFILE_DIR;
let profiler: Session | null = null;
let profiles = 0;
async function startProfile() {
  if (!profileDir || profiler) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
  await profiler.post('Profiler.start');
}
async function stopProfile() {
  if (!profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = null;
  writeFileSync(join(profileDir!, `valley-${process.pid}-${++profiles}.cpuprofile`), JSON.stringify(profile));
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'reset') {
    meter.reset();
    void startProfile().then(() => report({ ...stats(), type: 'reset' }));
  } else if (m.type === 'stats') {
    void stopProfile().then(() => report(stats()));
  } else if (m.type === 'shutdown') void shutdown();
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  // A server with a backlog still exits promptly (and writes its CPU profile).
  setTimeout(() => process.exit(0), 3000).unref();
  await valley.close();
  // process.exit runs the --cpu-prof writer, if that flag is on.
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('disconnect', () => void shutdown());
