// The real server as `npm start` runs it, in a child process: `node --import tsx server/src/main.ts`
// with VALLEY_WORKERS=N on loopback and port 0. Its log lines (the primary's and the workers', one
// stdout) say its port and each worker's index and pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './paths.ts';

export interface LogLine {
  msg?: string;
  worker?: number;
  workerPid?: number;
  port?: number;
  [k: string]: unknown;
}

export interface ClusterServer {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  lines: LogLine[];
  /** The pid of each worker now ready, by index (from its latest "worker ready" line). */
  pids(): number[];
  /** Wait for a log line, from `from` on (an index into `lines`). */
  line(match: (l: LogLine) => boolean, ms?: number, from?: number): Promise<LogLine>;
  close(): Promise<void>;
}

export async function startCluster(workers = 2, env: Record<string, string> = {}): Promise<ClusterServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'valley-cluster-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VALLEY_WORKERS: String(workers), DATA_DIR: dataDir, DURABILITY: 'os', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters: (() => void)[] = [];
  let rest = '';
  proc.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString('utf8')).split('\n');
    rest = parts.pop()!;
    for (const p of parts) {
      if (!p.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        // The banner and other plain lines.
      }
    }
    for (const w of waiters.splice(0)) w();
  });
  const errors: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => errors.push(d.toString('utf8')));
  const line = async (match: (l: LogLine) => boolean, ms = 60_000, from = 0) => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = lines.slice(from).find(match);
      if (hit) return hit;
      if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}): ${errors.join('')}`);
      if (Date.now() > end) throw new Error(`timed out waiting for a log line; stderr: ${errors.join('')}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  const listening = await line((l) => l.msg === 'Valley is listening', 90_000);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    dataDir,
    proc,
    lines,
    pids: () => {
      const pids: number[] = [];
      for (const l of lines) if (l.msg === 'worker ready' && l.worker !== undefined && l.workerPid !== undefined) pids[l.worker] = l.workerPid;
      return pids;
    },
    line,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(); // already gone (killed, say)
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}
