// Fault drills: the real server in a child process, students playing real games over socket.io, and
// the server killed with SIGKILL at random moments and started again on the same data directory;
// with storage faults, that directory is on a small tmpfs the drill fills up (ENOSPC) now and then.
// After each kill the log on disk is checked against every action the students had been told was
// done; at the end every game has finished and every log passes the checker. Used by the short
// drill in `npm test` (test/integration/drill.test.ts) and the long one, `npm run drill`.
import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, open, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { parseLog, paxos, px, tg, twoGenerals, verifyLog, Screen, type LogEvent, type PlayerView, type ScreenPatch } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { Host } from '../../scripts/bench/host.ts';
import { startServer, type ServerChild } from '../../scripts/bench/procs.ts';

export interface DrillOptions {
  /** SIGKILLs, each at a random moment of play. */
  kills: number;
  tgTables: number;
  paxosTables: number;
  /** Play this long (ms, at random in the range) between one restart and the next kill. */
  playMs: [number, number];
  /** After a kill, append half a line to a log (a crash mid-write) with this probability. */
  tornProbability: number;
  /** Games that must have finished by the end (the host starts new ones until then). */
  minGames: number;
  /** The valley's capture rate (default 0.2): lower ends games sooner. */
  captureRate?: number;
  /**
   * Times the disk fills up (default 0). The data directory is then on a tmpfs of `diskMiB` the drill
   * mounts (root only: otherwise a notice and no storage faults, except under CI=true, which fails).
   */
  storageFaults?: number;
  /** Play (ms, at random in the range) before each fill. */
  storageGapMs?: [number, number];
  /** How long (ms, at random in the range) the disk stays full before the filler is deleted. */
  fullMs?: [number, number];
  /** The tmpfs's size (default 32 MiB): room for the games, and quick to fill. */
  diskMiB?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface DrillReport {
  kills: number;
  torn: number;
  tornWarnings: number;
  actionsAcked: number;
  actionsChecked: number;
  missing: string[];
  /** Refusals by the rules (a bot acting on a screen a step behind), not by the disk. */
  refused: number;
  /** Why the storage faults asked for were not injected (not root), or null. */
  storageSkipped: string | null;
  storageFaults: number;
  killsWhileFull: number;
  /** Actions answered ok:false with rule 'server/storage' while the disk was full: refused, not lost. */
  refusedByStorage: number;
  /** The codes the students' refusals and the host console gave (ENOSPC expected). */
  storageCodes: string[];
  /** Storage faults in which some action was refused by storage (one may pass while the server is down). */
  storageFaultsFelt: number;
  /** Storage faults during which the host console showed the storage error. */
  hostSawStorageError: number;
  /** Faults in which students were refused by storage but the host console never showed it. */
  hostMissedStorageError: number;
  /** The host console's storage error, as last shown (null: gone once the disk had room). */
  hostStorageError: string | null;
  resumeMs: number[];
  gamesFinished: number;
  verify: { ok: boolean; games: number; problems: unknown[] };
  unfinished: string[];
  broken: unknown[];
  problems: string[];
}

/** A small seeded generator, so a drill's kill points can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

export interface Acked {
  table: string;
  game: number;
  seat: string;
  action: Record<string, unknown>;
  at: number;
}

class Student {
  socket!: Socket;
  token = '';
  view: PlayerView | null = null;
  seat: { table: string; seat: string } | null = null;
  acked: Acked[] = [];
  refused = 0;
  /** Actions the disk did not take: when each was sent and answered, with the evidence's code. */
  storageRefusals: { sentAt: number; at: number; code: string }[] = [];
  resumedAt: number | null = null;
  private busy = false;
  private screen = new Screen<PlayerView>(true);
  private k = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    readonly name: string,
    readonly code: string,
  ) {}

  async join(url: string) {
    this.socket = connect(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    this.socket.on(EVENTS.playerView, (m: { patch: ScreenPatch }) => {
      const r = this.screen.apply(m.patch);
      if (r === 'applied') this.see(this.screen.view!);
      else if (r === 'gap') void this.resume();
    });
    const r = (await this.socket.timeout(10_000).emitWithAck(EVENTS.playerJoin, { code: this.code, name: this.name })) as
      { ok: true; token: string; view: PlayerView; v: number } | { ok: false; error: unknown };
    if (!r.ok) throw new Error(`join ${this.name}: ${JSON.stringify(r.error)}`);
    this.token = r.token;
    this.screen.reset(r.view, r.v);
    this.see(r.view);
    // Back after a restart: the seat is taken again with the token.
    this.socket.io.on('reconnect', () => void this.resume());
  }

  private async resume() {
    const r = (await this.socket
      .timeout(10_000)
      .emitWithAck(EVENTS.playerResume, { code: this.code, token: this.token })
      .catch(() => null)) as { ok: true; view: PlayerView; v: number } | { ok: false } | null;
    if (!r?.ok) return;
    const before = this.seat;
    this.screen.reset(r.view, r.v);
    this.see(r.view);
    if (before && this.seat && before.table === this.seat.table && before.seat === this.seat.seat) this.resumedAt = Date.now();
  }

  private see(v: PlayerView) {
    this.view = v;
    if (v.seat) this.seat = { table: v.seat.table, seat: v.seat.seat };
  }

  play() {
    this.timer = setInterval(() => this.step(), 60);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The scenario's own bot decides from this student's screen; the action goes over the wire with an id. */
  private step() {
    const v = this.view;
    const g = v?.game;
    if (this.busy || !v?.seat || !g || !this.socket.connected) return;
    const gv = g.view as tg.TGView | px.PaxosView;
    if (gv.status !== 'running') return;
    const step = gv.scenario === 'two-generals' ? twoGenerals.bot(gv, Date.now()) : paxos.bot(gv, Date.now());
    const action = step.actions[0] as Record<string, unknown> | undefined;
    if (!action) return;
    this.busy = true;
    const sent = { table: v.seat.table, game: g.index, seat: v.seat.seat, action };
    const sentAt = Date.now();
    type Answer = { ok: boolean; error?: { rule?: string; evidence?: { code?: unknown } } };
    this.socket.timeout(3000).emit(EVENTS.playerAct, { action, id: `${this.name.replace(/\W/g, '')}-${++this.k}` }, (err: Error | null, r: Answer) => {
      this.busy = false;
      if (err) return; // no answer (the server died): it may or may not be in the log, and nobody was told
      if (r.ok) this.acked.push({ ...sent, at: Date.now() });
      else if (r.error?.rule === ERRORS.storage) this.storageRefusals.push({ sentAt, at: Date.now(), code: String(r.error.evidence?.code) });
      else this.refused++;
    });
  }

  close() {
    this.stop();
    this.socket?.close();
  }
}

/**
 * A second host screen on the session, like the teacher's console: the storage error as the attach
 * reply gives it (a restarted server starts without one) and as every host view updates it.
 */
class HostConsole {
  storageError: string | null = null;
  private socket: Socket;
  private constructor(
    url: string,
    private session: { sessionId: string; hostToken: string },
    private onError: (code: string) => void,
  ) {
    this.socket = connect(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    this.socket.on(EVENTS.hostView, (m: { storageError?: string | null }) => this.see(m.storageError ?? null));
    this.socket.io.on('reconnect', () => void this.attach().catch(() => {}));
  }

  static async open(url: string, session: { sessionId: string; hostToken: string }, onError: (code: string) => void): Promise<HostConsole> {
    const c = new HostConsole(url, session, onError);
    await c.attach();
    return c;
  }

  private async attach() {
    // One table watched: the drill's Host already asks for the first dozen in detail.
    const { sessionId, hostToken } = this.session;
    const r = (await this.socket.timeout(20_000).emitWithAck(EVENTS.hostAttach, { sessionId, hostToken, watch: ['T1'] })) as {
      ok: boolean;
      storageError?: string | null;
      error?: unknown;
    };
    if (!r.ok) throw new Error(`console attach: ${JSON.stringify(r.error)}`);
    this.see(r.storageError ?? null);
  }

  private see(code: string | null) {
    this.storageError = code;
    if (code !== null) this.onError(code);
  }

  close() {
    this.socket.close();
  }
}

/** What an acknowledged action must have left in its game's events: keys, each to be found once. */
function footprints(a: Acked): string[] {
  const x = a.action;
  switch (x.type) {
    case 'sendMessenger':
      return [`sent:${a.seat}:${JSON.stringify(x.payload)}`];
    case 'commit':
      return [`committed:${a.seat}:${JSON.stringify(x.decision)}`];
    case 'prepare':
    case 'accept':
      return (x.to as string[]).map((to) => `sent:${a.seat}>${to}:${x.type}:${String(x.round)}${x.type === 'accept' ? `:${String(x.value)}` : ''}`);
    case 'promise':
    case 'refuse':
    case 'acceptProposal':
      return [`answer:${a.seat}:${String(x.n)}`];
    case 'declare':
      return [`declared:${a.seat}:${String(x.value)}`];
    default:
      return [`unknown:${JSON.stringify(x)}`];
  }
}

/** The same keys, read off the log: per game, how many times each occurs. */
function logFootprints(events: LogEvent[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const add = (game: string, key: string) => {
    let m = out.get(game);
    if (!m) out.set(game, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + 1);
  };
  for (const e of events) {
    if (e.type !== 'game') continue;
    const g = `${e.table}/${e.game}`;
    const ev = e.event as { type: string } & Record<string, unknown>;
    if (ev.type === 'messengerSent') {
      const p = ev.payload as { type: string; ballot?: px.Ballot; value?: string };
      if (p.type === 'prepare' || p.type === 'accept')
        add(g, `sent:${String(ev.from)}>${String(ev.to)}:${p.type}:${p.ballot!.round}${p.type === 'accept' ? `:${p.value}` : ''}`);
      else if (ev.answers !== undefined && ev.answers !== null) {
        // An acceptor's answer goes to one or more seats: one answer.
        const key = `answer:${String(ev.from)}:${String(ev.answers)}`;
        if (!out.get(g)?.has(key)) add(g, key);
      } else add(g, `sent:${String(ev.from)}:${JSON.stringify(ev.payload)}`);
    } else if (ev.type === 'committed' && !ev.byDeadline) add(g, `committed:${String(ev.seat)}:${JSON.stringify(ev.decision)}`);
    else if (ev.type === 'declared') add(g, `declared:${String(ev.learner)}:${String(ev.value)}`);
  }
  return out;
}

/** Every action acknowledged before `before` is in these events (as many times as it was acknowledged). */
export function missingActions(acked: Acked[], events: LogEvent[], before = Infinity): { checked: number; missing: string[] } {
  const have = logFootprints(events);
  const need = new Map<string, number>();
  let checked = 0;
  for (const a of acked) {
    if (a.at >= before) continue;
    checked++;
    for (const k of footprints(a)) {
      const key = `${a.table}/${a.game}|${k}`;
      need.set(key, (need.get(key) ?? 0) + 1);
    }
  }
  const missing: string[] = [];
  for (const [key, n] of need) {
    const [game, k] = key.split('|') as [string, string];
    const got = have.get(game)?.get(k) ?? 0;
    if (got < n) missing.push(`${key} acknowledged ${n}×, in the log ${got}×`);
  }
  return { checked, missing };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

const between = (random: () => number, [lo, hi]: [number, number]) => lo + random() * (hi - lo);

const exec = promisify(execFile);

/**
 * A small tmpfs of the drill's own holding the data directory, so that the disk can fill up while the
 * server runs: a filler file written beside the data until the disk refuses (ENOSPC), then deleted.
 * The log's last page may still have a little room, as on a real full disk.
 */
class SmallDisk {
  /** From the start of a fill to the filler's deletion. */
  full = false;
  private constructor(
    readonly mountPoint: string,
    readonly dataDir: string,
  ) {}

  static async mount(mib: number): Promise<SmallDisk> {
    const dir = await mkdtemp(join(tmpdir(), 'valley-drill-disk-'));
    try {
      await exec('mount', ['-t', 'tmpfs', '-o', `size=${mib}m`, 'tmpfs', dir]);
    } catch (err) {
      await rmdir(dir).catch(() => {});
      throw new Error(`could not mount a ${mib} MiB tmpfs on ${dir}: ${(err as Error).message}`, { cause: err });
    }
    const disk = new SmallDisk(dir, join(dir, 'data'));
    await mkdir(disk.dataDir);
    return disk;
  }

  private get filler() {
    return join(this.mountPoint, 'filler');
  }

  /** Writes the filler until the disk refuses; resolves with its size in bytes. */
  async fill(): Promise<number> {
    this.full = true;
    const f = await open(this.filler, 'a');
    const chunk = Buffer.alloc(1 << 20, 0x2e);
    let bytes = 0;
    try {
      // Megabytes, then pages: a short write fills what is left of a page, and the next one is refused.
      for (const size of [chunk.length, 4096]) {
        for (;;) {
          try {
            const { bytesWritten } = await f.write(chunk, 0, size);
            if (bytesWritten === 0) break;
            bytes += bytesWritten;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw err;
          }
        }
      }
    } finally {
      await f.close();
    }
    return bytes;
  }

  async free() {
    await rm(this.filler, { force: true });
    this.full = false;
  }

  /** After the server is gone; a lazy unmount if something still holds a file open. */
  async unmount() {
    try {
      await exec('umount', [this.mountPoint]);
    } catch {
      await exec('umount', ['-l', this.mountPoint]);
    }
    await rmdir(this.mountPoint);
  }
}

/** Mounts the drill's small disk, or says why storage faults are skipped (throws under CI=true). */
async function smallDisk(mib: number): Promise<{ disk: SmallDisk } | { skipped: string }> {
  if (process.getuid?.() === 0) return { disk: await SmallDisk.mount(mib) };
  const why = 'storage faults need root (to mount a tmpfs the drill can fill up)';
  // CI runs as root: there a drill without its storage faults is a failure, not a notice.
  if (!['', '0', 'false'].includes(process.env.CI ?? '')) throw new Error(`${why}; CI=${process.env.CI}, so the drill fails rather than skip them`);
  console.warn(`NOTICE: ${why}; not running as root, so this drill injects none`);
  return { skipped: why };
}

interface FullWindow {
  from: number;
  to: number;
  hostSaw: boolean;
  kills: number;
}

const LIMITS = { socketRate: 10_000, socketBurst: 10_000 };

export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const say = o.log ?? (() => {});
  const seed = o.seed ?? Date.now();
  const random = rng(seed);
  // The disk's own stream: the kill points of a seed stay the same with or without storage faults.
  const storageRandom = rng(seed ^ 0x5bd1e995);
  const report: DrillReport = {
    kills: 0,
    torn: 0,
    tornWarnings: 0,
    actionsAcked: 0,
    actionsChecked: 0,
    missing: [],
    refused: 0,
    storageSkipped: null,
    storageFaults: 0,
    killsWhileFull: 0,
    refusedByStorage: 0,
    storageCodes: [],
    storageFaultsFelt: 0,
    hostSawStorageError: 0,
    hostMissedStorageError: 0,
    hostStorageError: null,
    resumeMs: [],
    gamesFinished: 0,
    verify: { ok: false, games: 0, problems: [] },
    unfinished: [],
    broken: [],
    problems: [],
  };
  const wantFaults = o.storageFaults ?? 0;
  let disk: SmallDisk | null = null;
  if (wantFaults > 0) {
    const d = await smallDisk(o.diskMiB ?? 32);
    if ('disk' in d) disk = d.disk;
    else report.storageSkipped = d.skipped;
  }
  const windows: FullWindow[] = [];
  const codes = new Set<string>();
  let server: ServerChild | null = null;
  let dataDir = disk?.dataDir ?? null;
  const students: Student[] = [];
  let host: Host | null = null;
  let hostConsole: HostConsole | null = null;
  let stopFaults = false;
  let faults: Promise<unknown> = Promise.resolve();
  try {
    dataDir ??= await mkdtemp(join(tmpdir(), 'valley-drill-'));
    server = await startServer('valley', { dataDir, limits: LIMITS, logLevel: 'warn' });
    host = await Host.open(server.url);
    hostConsole = await HostConsole.open(server.url, host.session, (code) => {
      codes.add(code);
      const w = windows.at(-1);
      if (w) w.hostSaw = true;
      else report.problems.push(`the host console showed a storage error (${code}) before the disk was ever full`);
    });
    const valley = { captureRate: o.captureRate ?? 0.2, delayMinMs: 50, delayMaxMs: 250 };
    await host.must({ type: 'setSettings', scenario: 'two-generals', settings: { ...valley, deadlineMs: 10_000, botBudget: 6 } });
    await host.must({
      type: 'setSettings',
      scenario: 'paxos',
      settings: { ...valley, proposers: 2, acceptors: 3, learners: 1, mode: 'strict', deadlineMs: 20_000, valley: false },
    });
    for (const [scenario, tables, size] of [
      ['two-generals', o.tgTables, 2],
      ['paxos', o.paxosTables, 6],
    ] as const) {
      for (let i = 0; i < tables * size; i++) {
        const s = new Student(`${scenario === 'paxos' ? 'Px' : 'Tg'} ${students.length + 1}`, host.code);
        await s.join(server.url);
        students.push(s);
      }
      if (tables > 0) await host.must({ type: 'autoSeat', bots: false, scenario });
    }
    await host.must({ type: 'startGames', table: null });
    host.restartAfterMs = 300;
    for (const s of students) s.play();
    const sessionId = host.session.sessionId;
    const logFile = join(dataDir, `${sessionId}.ndjson`);
    const refusedDuring = (w: FullWindow) => students.reduce((n, s) => n + s.storageRefusals.filter((r) => r.at >= w.from && r.sentAt <= w.to).length, 0);

    // The disk fills up now and then, alongside the kills (and so sometimes across one).
    if (disk) {
      const d = disk;
      faults = (async () => {
        for (let i = 0; i < wantFaults && !stopFaults; i++) {
          await sleep(between(storageRandom, o.storageGapMs ?? [1000, 5000]));
          if (stopFaults) break;
          const w: FullWindow = { from: Date.now(), to: Infinity, hostSaw: false, kills: 0 };
          windows.push(w);
          const bytes = await d.fill();
          report.storageFaults++;
          await sleep(between(storageRandom, o.fullMs ?? [1000, 5000]));
          // A kill may take most of the window: until a student's action has met the full disk and the
          // host console has shown it (a console that re-attached after a kill learns of the full disk
          // only from the next write that fails), it stays full a little longer (10 s at most).
          for (const until = Date.now() + 10_000; (refusedDuring(w) === 0 || !w.hostSaw) && Date.now() < until && !stopFaults;) await sleep(100);
          await d.free();
          w.to = Date.now();
          say(
            `storage fault ${i + 1}/${wantFaults}: disk full (${(bytes / 2 ** 20).toFixed(1)} MiB of filler) for ${w.to - w.from} ms; ` +
              `${refusedDuring(w)} actions refused by storage, host console ${w.hostSaw ? 'showed' : 'did not show'} the error${w.kills ? `, ${w.kills} kill(s) meanwhile` : ''}`,
          );
        }
      })().catch((err: unknown) => {
        report.problems.push(`storage faults: ${(err as Error).message}`);
      });
    }

    for (let k = 0; k < o.kills; k++) {
      await sleep(o.playMs[0] + random() * (o.playMs[1] - o.playMs[0]));
      const killedAt = Date.now();
      await server.kill();
      report.kills++;
      const whileFull = disk?.full === true;
      if (whileFull) {
        report.killsWhileFull++;
        windows.at(-1)!.kills++;
      }
      // What survived on disk holds every action a student was told was done.
      const text = await readFile(logFile, 'utf8');
      const parsed = parseLog(text);
      if (!parsed.ok) {
        report.problems.push(`kill ${k + 1}: log unreadable after the kill: ${JSON.stringify(parsed.error)}`);
        break;
      }
      // A unit is written after the last whole line, all of it or none: no hole (NUL bytes) before
      // it, and nothing torn at the end, even when the kill came while the disk was refusing.
      if (text.includes('\0')) report.problems.push(`kill ${k + 1}: NUL bytes in the log`);
      for (const w of parsed.warnings) report.problems.push(`kill ${k + 1}: the server left line ${w.line} damaged: ${w.reason}`);
      const acked = students.flatMap((s) => s.acked);
      const check = missingActions(acked, parsed.events, killedAt);
      report.actionsChecked = check.checked;
      report.missing.push(...check.missing.map((m) => `kill ${k + 1}: ${m}`));
      let torn = false;
      if (random() < o.tornProbability) {
        // The crash came mid-write: half an event, no newline. On a full disk there may be no room for it.
        try {
          await appendFile(logFile, `{"seq":${parsed.state.seq + 1},"at":${Date.now()},"type":"game","table":"T1","ga`);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        }
        torn = (await stat(logFile)).size > Buffer.byteLength(text);
        if (torn) report.torn++;
      }
      for (const s of students) s.resumedAt = null;
      server = await startServer('valley', { dataDir, port: server.port, limits: LIMITS, logLevel: 'warn' });
      report.broken.push(...(server.ready.broken ?? []));
      if (torn) {
        const restarted = server;
        const warned = await waitFor(() => restarted.output.some((l) => l.includes('torn last line dropped')), 2000);
        if (warned) report.tornWarnings++;
        else report.problems.push(`kill ${k + 1}: no warning for the torn last line`);
        // Cut off, not skipped: what came before is intact, and what the resumed games have written
        // since follows it as whole lines (the fragment left in the middle would not parse).
        const after = await readFile(logFile, 'utf8');
        if (!after.startsWith(text) || !parseLog(after).ok) report.problems.push(`kill ${k + 1}: the torn line was not cut off`);
      }
      const back = await waitFor(() => students.every((s) => s.resumedAt !== null), 20_000);
      if (!back) report.problems.push(`kill ${k + 1}: ${students.filter((s) => s.resumedAt === null).length} students not back in their seats`);
      report.resumeMs.push(Math.max(...students.map((s) => (s.resumedAt ?? Date.now()) - killedAt)));
      say(
        `kill ${k + 1}/${o.kills}${whileFull ? ' (disk full)' : ''}: ${check.checked} acknowledged actions checked, ${check.missing.length} missing${torn ? ', torn line cut' : ''}; all back in ${report.resumeMs.at(-1)} ms`,
      );
    }
    // The faults asked for all happen (they may outlast the kills), unless the drill has already failed.
    if (report.problems.length > 0) stopFaults = true;
    await faults;

    // Play on until enough games have finished, then let the last ones end.
    const results = async () => {
      const p = parseLog(await readFile(logFile, 'utf8'));
      return p.ok ? p.state.results.length : 0;
    };
    const deadline = Date.now() + 60_000;
    while ((await results()) < o.minGames && Date.now() < deadline) await sleep(250);
    host.restartAfterMs = null;
    await sleep(500);
    const allEnded = () => [...host!.tables.values()].every((t) => !t.game || t.game.status === 'ended');
    if (!(await waitFor(allEnded, 40_000))) report.problems.push('games still running at the end');
    for (const s of students) s.stop();
    await sleep(200);
    report.hostStorageError = hostConsole.storageError;
    await server.shutdown();

    const text = await readFile(logFile, 'utf8');
    const parsed = parseLog(text);
    if (!parsed.ok) throw new Error(`final log: ${JSON.stringify(parsed.error)}`);
    if (text.includes('\0')) report.problems.push('NUL bytes in the final log');
    // Every torn tail was cut at a restart: the final log parses with nothing dropped.
    for (const w of parsed.warnings) report.problems.push(`final log: line ${w.line}: ${w.reason}`);
    const acked = students.flatMap((s) => s.acked);
    report.actionsAcked = acked.length;
    const final = missingActions(acked, parsed.events);
    report.missing.push(...final.missing.map((m) => `at the end: ${m}`));
    report.refused = students.reduce((a, s) => a + s.refused, 0);
    // Refused by storage: only while the disk was full (an action sent before the filler was deleted).
    for (const r of students.flatMap((s) => s.storageRefusals)) {
      codes.add(r.code);
      if (windows.some((w) => r.at >= w.from && r.sentAt <= w.to)) report.refusedByStorage++;
      else report.problems.push(`an action refused by storage (${r.code}) with room on the disk, at ${new Date(r.at).toISOString()}`);
    }
    report.storageCodes = [...codes].sort();
    report.hostSawStorageError = windows.filter((w) => w.hostSaw).length;
    const felt = windows.filter((w) => refusedDuring(w) > 0);
    report.storageFaultsFelt = felt.length;
    report.hostMissedStorageError = felt.filter((w) => !w.hostSaw).length;
    report.gamesFinished = parsed.state.results.length;
    report.unfinished = parsed.state.tableOrder.filter((t) => {
      const g = parsed.state.tables[t]!.game;
      return g && (g.state as { status: string }).status !== 'ended';
    });
    const v = verifyLog(text);
    report.verify = { ok: v.ok, games: v.games, problems: v.problems };
    return report;
  } finally {
    stopFaults = true;
    await faults;
    for (const s of students) s.close();
    host?.close();
    hostConsole?.close();
    await server?.kill();
    if (disk) {
      // Left mounted, it would hold a tmpfs (and memory) after the drill: a failure of the drill.
      await disk.unmount().catch((err: unknown) => {
        report.problems.push(`could not unmount ${disk!.mountPoint}: ${(err as Error).message}`);
        console.error(`drill: could not unmount ${disk!.mountPoint}: ${(err as Error).message}`);
      });
    } else if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
