// Valley past one machine, on loopback: a real redis-server and a real haproxy (the Debian packages),
// each in a temporary folder on a free port, for the two-node test and the bench's `two-nodes`. Both
// must be installed: a missing one fails loudly, never skips.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig } from '@valley/server/nodes/haproxy';

/** Fails, with what to install, if redis-server or haproxy is missing. */
export function requireEngines() {
  const missing = ['redis-server', 'haproxy'].filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} not found: Valley's two-node test and bench need them (apt-get install redis-server haproxy; .ci/run installs them)`,
    );
  }
}

/** A port free on 127.0.0.1 now (for the processes that cannot be told to take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until(what: string, ok: () => Promise<boolean>, proc: ChildProcess, output: () => string, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return;
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}): ${output()}`);
    if (Date.now() > end) throw new Error(`${what} did not start in time: ${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

export interface Engine {
  proc: ChildProcess;
  port: number;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

function stopper(proc: ChildProcess) {
  return () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
}

function spawnLogged(cmd: string, args: string[], cwd: string) {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  proc.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  return { proc, output: () => out };
}

/** redis-server on loopback, nothing saved (no RDB, no AOF), in its own temporary folder. */
export async function startRedis(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'valley-redis-'));
  const port = await freePort();
  const { proc, output } = spawnLogged('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], dir);
  await until('redis-server', () => accepts(port), proc, output);
  return { proc, port, url: `redis://127.0.0.1:${port}`, dir, stop: stopper(proc) };
}

/** haproxy in the foreground with Valley's configuration for these nodes, on a free loopback port. */
export async function startHaproxy(nodes: { name: string; address: string }[], maxconn = 1000): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'valley-haproxy-'));
  const port = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(cfg, haproxyConfig({ bind: `127.0.0.1:${port}`, nodes, checkMs: 500, maxconn }));
  const { proc, output } = spawnLogged('haproxy', ['-db', '-f', cfg], dir);
  await until('haproxy', () => accepts(port), proc, output);
  return { proc, port, url: `http://127.0.0.1:${port}`, dir, stop: stopper(proc) };
}
