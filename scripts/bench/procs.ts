// Child processes for the benchmark and the drills: the server (Valley or the bare relay) and the
// bot workers, each started with `node --import tsx` and steered over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Collected, Command } from './bots.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface ServerStats {
  type: string;
  rssMB: number;
  heapMB: number;
  cpu: number;
  lag: { p50: number; p99: number; max: number; mean: number };
  connections: number;
  /** The valley's log: its durability and group flushes so far (`syncs`, `syncedWrites`), at `atMs` on the child's clock. */
  store?: { durability: 'os' | 'disk'; syncs: number; syncedWrites: number; atMs: number };
}

export interface ServerChild {
  proc: ChildProcess;
  port: number;
  url: string;
  ready: { startMs?: number; sessions?: number; broken?: unknown[]; durability?: string };
  /** Every stats report, newest last. */
  reports: ServerStats[];
  output: string[];
  /** Reset the event-loop histogram; resolves with the stats just before. */
  reset(): Promise<ServerStats>;
  stats(): Promise<ServerStats>;
  shutdown(): Promise<void>;
  kill(): Promise<void>;
}

export async function startServer(
  kind: 'valley' | 'relay',
  opts: {
    dataDir?: string;
    port?: number;
    limits?: Record<string, number>;
    profileDir?: string;
    cpuProfDir?: string;
    logLevel?: string;
    statsMs?: number;
    /** The log's durability (`os` or `disk`); by default DURABILITY from this process's environment, else the server's own default. */
    durability?: 'os' | 'disk';
    /** Each of the log's flushes answers this many ms late (a slower disk than this machine's). */
    fsyncExtraMs?: number;
    /** The valley server as a cluster of this many workers (server/src/cluster/); 1 = one process. */
    workers?: number;
    /** The valley server as one node of several (server/src/nodes/): its Redis and its name. */
    node?: { redis: string; name: string };
  } = {},
): Promise<ServerChild> {
  const file = join(here, kind === 'valley' ? 'valley-server.ts' : 'relay-server.ts');
  // The valley server runs with the flags `npm start` gives it (server/node-flags.json).
  const serverFlags = kind === 'valley' ? (JSON.parse(readFileSync(join(here, '../../server/node-flags.json'), 'utf8')) as { flags: string[] }).flags : [];
  const execArgv = [...serverFlags, '--import', 'tsx'];
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  // Node's own --cpu-prof: the child's whole life, written when it exits (a shutdown, not a kill).
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
  // SERVER_NODE_FLAGS="--trace-gc …": extra flags for the server children, for a diagnosis.
  if (process.env.SERVER_NODE_FLAGS) execArgv.push(...process.env.SERVER_NODE_FLAGS.split(' ').filter(Boolean));
  const proc = fork(file, [], {
    execArgv,
    env: {
      ...process.env,
      DATA_DIR: opts.dataDir ?? '',
      PORT: String(opts.port ?? 0),
      VALLEY_LIMITS: JSON.stringify(opts.limits ?? {}),
      LOG_LEVEL: opts.logLevel ?? 'silent',
      STATS_MS: String(opts.statsMs ?? 1000),
      CPU_PROFILE_DIR: opts.profileDir ?? '',
      DURABILITY: opts.durability ?? process.env.DURABILITY ?? '',
      FSYNC_EXTRA_MS: String(opts.fsyncExtraMs ?? process.env.FSYNC_EXTRA_MS ?? ''),
      VALLEY_WORKERS: String(opts.workers ?? 1),
      VALLEY_REDIS: opts.node?.redis ?? '',
      VALLEY_NODE: opts.node?.name ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const keep = (b: Buffer) => {
    for (const line of b.toString().split('\n')) if (line) output.push(line);
    if (output.length > 5000) output.splice(0, output.length - 5000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const reports: ServerStats[] = [];
  const waiting: ((s: ServerStats) => void)[] = [];
  const ready = await new Promise<{ port: number; startMs?: number; sessions?: number; broken?: unknown[]; durability?: string }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${kind} server did not start: ${output.join('\n').slice(-2000)}`)), 60_000);
    proc.on('message', (m: { type: string; port?: number }) => {
      if (m.type === 'ready') {
        clearTimeout(t);
        resolve(m as { port: number });
      } else if (m.type === 'stats' || m.type === 'reset') {
        reports.push(m as ServerStats);
        if (reports.length > 1000) reports.shift();
        for (const w of waiting.splice(0)) w(m as ServerStats);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${kind} server exited (${code}): ${output.join('\n').slice(-2000)}`));
    });
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ask = (type: string) =>
    new Promise<ServerStats>((resolve) => {
      waiting.push(resolve);
      proc.send({ type });
    });
  return {
    proc,
    port: ready.port,
    url: `http://127.0.0.1:${ready.port}`,
    ready,
    reports,
    output,
    reset: () => ask('reset'),
    stats: () => ask('stats'),
    async shutdown() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.send({ type: 'shutdown' });
      const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

type Reply = { id: number; ok: boolean; error?: string } & Record<string, unknown>;
type Op = Command['op'];
type Args<O extends Op> = Omit<Extract<Command, { op: O }>, 'op' | 'id'>;

export class Worker {
  private n = 0;
  private replies = new Map<number, (r: Reply) => void>();
  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: Reply) => {
      const f = this.replies.get(m.id);
      if (f) {
        this.replies.delete(m.id);
        f(m);
      }
    });
    proc.on('exit', () => {
      for (const f of this.replies.values()) f({ id: -1, ok: false, error: 'worker exited' });
      this.replies.clear();
    });
  }

  static async start(): Promise<Worker> {
    // BOTS_CPU_PROF=DIR: a CPU profile of each bot worker's whole life, written when it closes.
    const prof = process.env.BOTS_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BOTS_CPU_PROF] : [];
    const proc = fork(join(here, 'bots.ts'), [], { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      proc.once('message', () => resolve());
      proc.once('exit', (c) => reject(new Error(`bot worker exited ${c}`)));
    });
    return new Worker(proc);
  }

  async call<O extends Op, R = Record<string, unknown>>(op: O, args: Args<O>): Promise<R & { ok: boolean; error?: string }> {
    const id = ++this.n;
    const p = new Promise<Reply>((resolve) => this.replies.set(id, resolve));
    this.proc.send({ op, id, ...args });
    const r = await p;
    if (!r.ok) throw new Error(`worker ${op}: ${r.error}`);
    return r as unknown as R & { ok: boolean };
  }

  collect() {
    return this.call<'collect', Collected>('collect', {});
  }

  async close() {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    await Promise.race([this.call('close', {}).catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}
