// Storage faults on a real file system, not the test seam: a tiny tmpfs this test mounts (as root)
// fills up during a game and is freed; the server is then killed with SIGKILL and started again. And
// the server run as an unprivileged user on a folder it may not write. Every acknowledged action is
// in the log, the log has no hole and verifies, the session is back. Without root (a developer's
// laptop) these are skipped with a notice; under CI=true they must run.
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLog, tg, verifyLog } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { startServer as startChild, type ServerChild } from '../../scripts/bench/procs.ts';
import { Client, createSession, hostClient, playerClient } from '../support/server.ts';
import { root } from '../support/paths.ts';

const isRoot = process.getuid?.() === 0;
let mountDir: string | null = null;
let mountError: string | null = null;
if (isRoot) {
  const dir = mkdtempSync(join(tmpdir(), 'valley-tmpfs-'));
  try {
    // 1 MiB: room for a session's log and little else, so a filler file fills it at once.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', dir]);
    mountDir = dir;
  } catch (err) {
    mountError = (err as Error).message;
  }
}
const canRun = mountDir !== null;
if (!canRun) {
  const why = isRoot ? `mounting a tmpfs failed (${mountError})` : 'not running as root';
  if (process.env.CI === 'true') throw new Error(`real-disk storage tests cannot run under CI: ${why}`);
  console.warn(`\n  NOTICE: real-disk storage tests skipped: ${why}.\n`);
}

const children: ServerChild[] = [];
const clients: Client[] = [];
const track = <T extends Client>(c: T): T => (clients.push(c), c);
afterAll(async () => {
  for (const c of clients) c.close();
  for (const c of children) await c.kill();
  if (mountDir) {
    try {
      execFileSync('umount', [mountDir]);
    } finally {
      rmSync(mountDir, { recursive: true, force: true });
    }
  }
});
const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;

/** Fill the file system with one file until it takes no more. */
function fillUp(dir: string): string {
  const path = join(dir, 'filler.bin');
  const chunk = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      writeFileSync(path, chunk, { flag: 'a' });
      size += chunk.length;
      if (size > 64 * 1024 * 1024) throw new Error('the disk never filled');
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  return path;
}

describe.skipIf(!canRun)('a real tmpfs that fills up, then a kill -9', () => {
  let server: ServerChild;
  beforeAll(async () => {
    server = await startChild('valley', { dataDir: mountDir!, durability: 'disk' });
    children.push(server);
  });

  it('full → freed → acting again → SIGKILL → restart: every acknowledged note is in a whole log', { timeout: 60_000 }, async () => {
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const a = track(await playerClient(server.url, session.code, 'Ada'));
    const b = track(await playerClient(server.url, session.code, 'Bo'));
    const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 20, delayMaxMs: 20, deadlineMs: 600_000 };
    for (const cmd of [
      { type: 'setSettings', scenario: 'two-generals', settings },
      { type: 'autoSeat', bots: false, scenario: 'two-generals' },
      { type: 'startGames', table: null },
    ])
      expect(await host.call(EVENTS.hostCommand, cmd)).toMatchObject({ ok: true });
    await a.until(() => gameView(a)?.status === 'running');
    const acked: string[] = [];
    let refused = 0;
    const say = async (text: string) => {
      const r = await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text } } });
      if (r.ok) acked.push(text);
      else {
        expect(r).toMatchObject({ ok: false, error: { rule: ERRORS.storage, evidence: { code: 'ENOSPC' } } });
        refused++;
      }
      return r.ok;
    };
    for (let i = 0; i < 5; i++) expect(await say(`before ${i}`)).toBe(true);

    // The disk fills: the log's last page may still take a few lines, then every write is refused.
    const filler = fillUp(mountDir!);
    let i = 0;
    while (refused === 0 && i < 500) await say(`filling ${i++}`);
    expect(refused).toBe(1);
    for (let k = 0; k < 3; k++) await say(`while full ${k}`);
    expect(refused).toBe(4);

    // Freed: acting works again.
    rmSync(filler);
    for (let k = 0; k < 5; k++) {
      // The first write after space returns must land right after the last whole line.
      expect(await say(`after ${k}`)).toBe(true);
    }
    await b.until(() => (gameView(b)?.received.length ?? 0) >= 5);

    // SIGKILL, then the server again on the same folder.
    await server.kill();
    const text = await readFile(join(mountDir!, `${session.sessionId}.ndjson`), 'utf8');
    expect(text.includes('\u0000')).toBe(false);
    const parsed = parseLog(text);
    if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.reason}`);
    const notes = parsed.events.flatMap((e) => {
      const ev = e.type === 'game' ? (e.event as tg.Event) : null;
      return ev?.type === 'messengerSent' && ev.payload.type === 'note' ? [ev.payload.text] : [];
    });
    expect(notes).toEqual(acked);
    expect(verifyLog(text)).toMatchObject({ ok: true, problems: [] });

    const again = await startChild('valley', { dataDir: mountDir!, durability: 'disk' });
    children.push(again);
    expect(again.ready).toMatchObject({ sessions: 1, broken: [] });
    const ada = track(new Client(again.url));
    const r = await ada.call<{ playerId: string }>(EVENTS.playerResume, { code: session.code, token: a.token });
    expect(r).toMatchObject({ ok: true, playerId: a.playerId });
    expect(await ada.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text: 'back' } } })).toEqual({ ok: true });
    expect((await readdir(mountDir!)).filter((n) => n.endsWith('.ndjson'))).toEqual([`${session.sessionId}.ndjson`]);
  });
});

describe.skipIf(!canRun)('the server run as an unprivileged user', () => {
  it('on a folder it may not write: creating a session answers a clear storage error', { timeout: 60_000 }, async () => {
    const dir = join(mountDir!, 'not-yours');
    execFileSync('mkdir', ['-p', dir]);
    chmodSync(dir, 0o755);
    // The server itself, as user nobody: it may read the folder (and so start) but not write in it.
    const proc = fork(join(root, 'scripts/bench/valley-server.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: root,
      uid: 65534,
      gid: 65534,
      env: { ...process.env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', STATS_MS: '60000', HOME: '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const output: string[] = [];
    proc.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        proc.on('message', (m: { type: string; port?: number }) => m.type === 'ready' && resolve(m.port!));
        proc.once('exit', (code) => reject(new Error(`exited ${code}: ${output.join('')}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/sessions`, { method: 'POST' });
      expect(res.status).toBe(507);
      expect(await res.json()).toEqual({ error: { rule: ERRORS.storage, evidence: { code: 'EACCES' } } });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
