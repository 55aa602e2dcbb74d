// The realtime gateway: checks every inbound message's shape and who sent it, hands it to the session,
// and sends each viewer only what it may see. The sender of an action is the connection's seat,
// never a field of the message.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import {
  SESSION_RULES,
  diffScreen,
  hostTable,
  hostView,
  isScenarioId,
  normaliseCode,
  playerView,
  playerViewInputs,
  scenarioOf,
  seatOf,
  type HostTable,
  type PlayerView,
  type ScenarioId,
  type ScreenPatch,
} from '@valley/shared';
import { ERRORS, EVENTS, hostAttach, hostCommand, hostWatch, playerAct, playerJoin, playerResume, scenarioSchemas } from '@valley/shared/protocol';
import type { Clock } from './clock.ts';
import { TokenBucket, WindowCounter, type Limits } from './limits.ts';
import type { Registry } from './sessions/registry.ts';
import { fail, type Change, type LiveSession, type Result } from './sessions/session.ts';

type Role = { role: 'none' } | { role: 'host'; sessionId: string } | { role: 'player'; sessionId: string; playerId: string };

const KNOWN = new Set<string>([EVENTS.hostAttach, EVENTS.hostCommand, EVENTS.hostWatch, EVENTS.playerJoin, EVENTS.playerResume, EVENTS.playerAct]);

const hostRoom = (sessionId: string) => `host:${sessionId}`;
/** How often at most a host screen is sent the tables that moved. */
const HOST_FLUSH_MS = 250;
/** In a hall, how often at most the tables off the host's screen (status and counts only) are sent. */
const SUMMARY_MS = 1000;
/** How much goes to a host in one turn of the event loop: a table in detail costs DETAIL, its status 1. */
const HOST_SLICE = 96;
const DETAIL = 4;
/** How many students' screens are brought up to date in one turn of the event loop. */
const REDRAW_SLICE = 200;
/** Sessions larger than this (players or tables) have their host screens redrawn at that pace. */
const HALL_PLAYERS = 100;
const HALL_TABLES = 40;
const playerRoom = (sessionId: string, playerId: string) => `player:${sessionId}:${playerId}`;

/** A schema violation, told back with where it is and what kind (never the offending value). */
function badMessage(error: z.ZodError, under: string[] = []) {
  const issue = error.issues[0];
  return fail(ERRORS.badMessage, { path: [...under, ...(issue?.path ?? [])].join('.').slice(0, 80), problem: issue?.code ?? '' });
}

type Ack = (r: Result<Record<string, unknown>>) => void;

/** What a session's host screens still need, and when they were last sent anything. */
interface HostScreens {
  full: boolean;
  tables: Set<string>;
  /** performance.now() of the last flush. */
  last: number;
  timer: NodeJS.Timeout | null;
  timerAt: number;
  /** When the last round of off-screen tables began, and whether it is still going. */
  summariesAt: number;
  inRound: boolean;
}

const isLarge = (s: LiveSession) => s.state.playerOrder.length > HALL_PLAYERS || s.state.tableOrder.length > HALL_TABLES;

export class Gateway {
  private joinsByAddress: WindowCounter;
  private connections = new Map<string, number>();

  constructor(
    private io: Server,
    private registry: Registry,
    private clock: Clock,
    private limits: Limits,
    private log: Logger,
  ) {
    this.joinsByAddress = new WindowCounter(limits.joinsPerAddress, 60_000);
    io.on('connection', (socket) => this.connect(socket));
  }

  /** How many of each session's results the host room has been sent. */
  private resultsSent = new WeakMap<LiveSession, number>();
  /** Per session, what its host screens still need, and when they were last sent anything. */
  private hosts = new WeakMap<LiveSession, HostScreens>();

  /**
   * Send a session's hosts what changed — in a hall, at most every HOST_FLUSH_MS (a change after a
   * quiet spell goes at once): the whole session when the roster, seats or settings changed (500 students joining
   * in a burst), else the tables that moved (a hall has hundreds, each moving several times a second:
   * a projector needs a few frames a second, not one per messenger), and only the results that are
   * new (a long lesson has thousands: never all of them per move).
   */
  private toHost(s: LiveSession, change: Change) {
    if (!change.session && change.tables.size === 0) return;
    let h = this.hosts.get(s);
    if (!h)
      this.hosts.set(s, (h = { full: false, tables: new Set(), last: -Infinity, timer: null, timerAt: Infinity, summariesAt: -Infinity, inRound: false }));
    if (change.session) h.full = true;
    for (const id of change.tables) h.tables.add(id);
    // A class-sized session is redrawn at once; a hall's at most every HOST_FLUSH_MS.
    this.scheduleHost(s, h, isLarge(s) ? h.last + HOST_FLUSH_MS : 0, true);
  }

  /**
   * Flush the host screens at `at` (performance.now() time), unless a flush is due sooner already;
   * `now`: at once if it is due (else on a later turn of the event loop).
   */
  private scheduleHost(s: LiveSession, h: HostScreens, at: number, now = false) {
    if (h.timer && h.timerAt <= at) return;
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    const wait = at - performance.now();
    if (wait <= 0 && now) return this.flushHost(s);
    h.timerAt = at;
    h.timer = setTimeout(() => this.flushHost(s), Math.max(0, wait));
    h.timer.unref();
  }

  /** Per session, each host socket's watched tables (null: all). */
  private watchers = new WeakMap<LiveSession, Map<string, Set<string> | null>>();

  private watch(s: LiveSession, socketId: string, tables: string[] | null | undefined) {
    let w = this.watchers.get(s);
    if (!w) this.watchers.set(s, (w = new Map()));
    w.set(socketId, tables == null ? null : new Set(tables));
  }

  /** Whether a table goes to the session's hosts in detail: some host screen shows it. */
  private detail(s: LiveSession): (table: string) => boolean {
    const w = this.watchers.get(s);
    if (!w || w.size === 0) return () => true;
    const shown = new Set<string>();
    for (const set of w.values()) {
      if (set === null) return () => true;
      for (const id of set) shown.add(id);
    }
    return (id) => shown.has(id);
  }

  private flushHost(s: LiveSession) {
    const h = this.hosts.get(s)!;
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    h.timerAt = Infinity;
    h.last = performance.now();
    const now = this.clock.now();
    const room = this.io.to(hostRoom(s.id));
    const results = s.state.results;
    const detail = this.detail(s);
    if (h.full) {
      room.emit(EVENTS.hostView, { now, view: hostView(s.state, detail), storageError: s.storageError });
      h.full = false;
      h.tables.clear();
    } else {
      // Every table that moved in one message; the ones shown in detail a few dozen at a time, the
      // rest on the next turn: hundreds at once would hold the students' messengers up behind them.
      // In a hall, the tables off screen (their counts) go once a second, not four times.
      const large = isLarge(s);
      if (large && !h.inRound && h.last - h.summariesAt >= SUMMARY_MS) {
        h.inRound = true;
        h.summariesAt = h.last;
      }
      const summaries = !large || h.inRound;
      const tables: HostTable[] = [];
      let cost = 0;
      let waiting = 0;
      for (const id of h.tables) {
        if (cost >= HOST_SLICE) break;
        if (!s.state.tables[id]) {
          h.tables.delete(id);
          continue;
        }
        const d = detail(id);
        if (!d && !summaries) {
          waiting++;
          continue;
        }
        h.tables.delete(id);
        cost += d ? DETAIL : 1;
        tables.push(hostTable(s.state, id, d));
      }
      if (tables.length > 0) room.emit(EVENTS.hostTable, { now, tables });
      const from = Math.min(this.resultsSent.get(s) ?? 0, results.length);
      if (from < results.length) room.emit(EVENTS.hostResults, { now, from, results: results.slice(from) });
      // The round of summaries is over once none is left; what is left waits for its turn.
      if (cost < HOST_SLICE) h.inRound = false;
      if (h.tables.size > waiting) this.scheduleHost(s, h, 0);
      else if (h.tables.size > 0) this.scheduleHost(s, h, h.summariesAt + SUMMARY_MS);
    }
    this.resultsSent.set(s, results.length);
  }
  /** Per session, the last screen each student's screens were brought to, and its version. */
  private screens = new WeakMap<LiveSession, Map<string, { view: PlayerView; v: number; from?: unknown[] }>>();

  private screensOf(s: LiveSession) {
    let m = this.screens.get(s);
    if (!m) this.screens.set(s, (m = new Map()));
    return m;
  }

  /**
   * Bring a student's screen up to date: the patch from the last version sent to now, or null when
   * nothing they can see changed (or nobody holds a screen of theirs yet).
   */
  private advance(s: LiveSession, playerId: string): ScreenPatch | null {
    const last = this.screensOf(s).get(playerId);
    if (!last) return null;
    // Drawn from the very same state already (the answer to a student's action carried it, and the
    // redraw that follows finds nothing new at their table): nothing to compute.
    const from = playerViewInputs(s.state, playerId);
    if (last.from?.every((x, i) => x === from[i])) return null;
    const view = playerView(s.state, playerId);
    if (!view) return null;
    const ops = diffScreen(last.view, view);
    if (!ops) {
      last.from = from;
      return null;
    }
    this.screensOf(s).set(playerId, { view, v: last.v + 1, from });
    return { from: last.v, to: last.v + 1, ops };
  }

  /** Redraw the screens a change touched. Called by sessions, coalesced per turn of the event loop. */
  notify = (s: LiveSession, change: Change) => {
    this.toHost(s, change);
    for (const id of change.removed) {
      this.screensOf(s).delete(id);
      this.redraw.get(s)?.delete(id);
      this.io.to(playerRoom(s.id, id)).emit(EVENTS.playerRemoved);
      this.io.in(playerRoom(s.id, id)).disconnectSockets(true);
    }
    let todo = this.redraw.get(s);
    if (!todo) this.redraw.set(s, (todo = new Set()));
    const idle = todo.size === 0;
    for (const id of change.players) if (!change.removed.has(id)) todo.add(id);
    if (idle) this.redrawSome(s);
  };

  /** Per session, the students whose screens are still to be brought up to date. */
  private redraw = new WeakMap<LiveSession, Set<string>>();

  /**
   * A student is sent only what changed on their screen, and nothing when nothing did: at a table of
   * seven, a messenger reaching one acceptor changes a few lines of one screen. A few hundred screens
   * per turn of the event loop, the rest on the next: a hall's burst never holds everything else up
   * for long, and a screen left for the next turn is drawn from the state as it is then.
   */
  private redrawSome(s: LiveSession) {
    const todo = this.redraw.get(s)!;
    const now = this.clock.now();
    let k = 0;
    for (const id of todo) {
      if (k++ >= REDRAW_SLICE) break;
      todo.delete(id);
      const patch = this.advance(s, id);
      if (patch) this.io.to(playerRoom(s.id, id)).emit(EVENTS.playerView, { now, patch });
    }
    if (todo.size > 0) setImmediate(() => this.redrawSome(s));
  }

  private connect(socket: Socket) {
    const address = socket.handshake.address;
    const open = (this.connections.get(address) ?? 0) + 1;
    this.connections.set(address, open);
    socket.on('disconnect', () => {
      const n = (this.connections.get(address) ?? 1) - 1;
      if (n <= 0) this.connections.delete(address);
      else this.connections.set(address, n);
    });
    if (open > this.limits.connectionsPerAddress) {
      socket.emit('valley:error', { rule: ERRORS.rateLimited, evidence: {} });
      socket.disconnect(true);
      return;
    }

    let role: Role = { role: 'none' };
    const bucket = new TokenBucket(this.limits.socketRate, this.limits.socketBurst);
    const joins = new WindowCounter(this.limits.joinsPerSocket, 60_000);
    // Refused messages are counted per minute, so a long lesson's honest mistakes never add up to a kick.
    const strikes = new WindowCounter(this.limits.socketStrikes, 60_000);
    // A connection that never joins or attaches costs memory for nothing: close it.
    const authTimer = setTimeout(() => {
      if (role.role === 'none') socket.disconnect(true);
    }, this.limits.authTimeoutMs);
    authTimer.unref();
    socket.on('disconnect', () => clearTimeout(authTimer));

    const strike = () => {
      if (!strikes.hit('x')) {
        this.log.warn({ address }, 'socket disconnected after too many refused messages');
        socket.disconnect(true);
      }
    };

    socket.use(([event, ...args], next) => {
      const ack = args.at(-1);
      const reply = (rule: string) => {
        strike();
        if (typeof ack === 'function') (ack as Ack)(fail(rule));
        else socket.emit('valley:error', { rule, evidence: { event: String(event).slice(0, 40) } });
      };
      if (!bucket.take()) return reply(ERRORS.rateLimited);
      if (!KNOWN.has(event)) return reply(ERRORS.unknownEvent);
      if (typeof ack !== 'function' || args.length !== 2) return reply(ERRORS.badMessage);
      next();
    });

    const handle = <S extends z.ZodType>(event: string, schema: S, fn: (msg: z.infer<S>) => Promise<Result<Record<string, unknown>>>) => {
      socket.on(event, async (payload: unknown, ack: Ack) => {
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          strike();
          return ack(badMessage(parsed.error));
        }
        try {
          const r = await fn(parsed.data);
          if (!r.ok) strike();
          ack(r);
        } catch (err) {
          this.log.error({ err: (err as Error).message, event }, 'handler failed');
          ack(fail(ERRORS.internal));
        }
      });
    };

    const session = (id: string) => this.registry.byId.get(id);

    handle(EVENTS.hostAttach, hostAttach, async (m) => {
      const s = session(m.sessionId);
      if (!s || !s.checkHost(m.hostToken)) return fail(ERRORS.badToken);
      if (role.role === 'host' && role.sessionId !== s.id) this.watchers.get(session(role.sessionId)!)?.delete(socket.id);
      role = { role: 'host', sessionId: s.id };
      this.watch(s, socket.id, m.watch);
      await socket.join(hostRoom(s.id));
      const shown = m.watch == null ? () => true : (id: string) => m.watch!.includes(id);
      return { ok: true, now: this.clock.now(), view: hostView(s.state, shown), storageError: s.storageError };
    });

    // A host screen says which tables it shows (those on screen): only they come with every messenger.
    handle(EVENTS.hostWatch, hostWatch, async (m) => {
      if (role.role !== 'host') return fail(ERRORS.notHost);
      const s = session(role.sessionId)!;
      this.watch(s, socket.id, m.tables);
      const ids = (m.tables ?? s.state.tableOrder).filter((id) => s.state.tables[id]);
      return { ok: true, now: this.clock.now(), tables: ids.map((id) => hostTable(s.state, id, true)) };
    });
    socket.on('disconnect', () => {
      if (role.role === 'host') this.watchers.get(session(role.sessionId)!)?.delete(socket.id);
    });

    handle(EVENTS.hostCommand, hostCommand, async (cmd) => {
      if (role.role !== 'host') return fail(ERRORS.notHost);
      if (cmd.type === 'setSettings') {
        const schema = isScenarioId(cmd.scenario) ? scenarioSchemas[cmd.scenario].settings : undefined;
        if (!schema) return fail(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
        const parsed = schema.safeParse(cmd.settings);
        if (!parsed.success) return badMessage(parsed.error, ['settings']);
      }
      const s = session(role.sessionId)!;
      return s.host(cmd);
    });

    const tooManyJoins = () => !joins.hit('x') || !this.joinsByAddress.hit(address);
    // Unknown, ended and full sessions all get the same answer: a guess learns nothing.
    const byCode = (raw: string) => this.registry.byCode.get(normaliseCode(raw));

    /** Seat this connection as the student: their whole screen and its version, which patches follow. */
    const enter = async (s: LiveSession, playerId: string) => {
      role = { role: 'player', sessionId: s.id, playerId };
      // Screens of theirs already open (another tab) get what changed first; this one starts from now.
      const room = playerRoom(s.id, playerId);
      const patch = this.advance(s, playerId);
      if (patch) this.io.to(room).emit(EVENTS.playerView, { now: this.clock.now(), patch });
      await socket.join(room);
      const screens = this.screensOf(s);
      let screen = screens.get(playerId);
      if (!screen) {
        const view = playerView(s.state, playerId);
        if (!view) return { now: this.clock.now(), view: null, v: 0 };
        screens.set(playerId, (screen = { view, v: 0 }));
      }
      return { now: this.clock.now(), view: screen.view, v: screen.v };
    };

    handle(EVENTS.playerJoin, playerJoin, async (m) => {
      if (tooManyJoins()) return fail(ERRORS.tooManyAttempts);
      if (role.role !== 'none') return fail(ERRORS.badMessage, { problem: 'already-joined' });
      const s = byCode(m.code);
      if (!s) return fail(ERRORS.unknownCode);
      const r = await s.join(m.name);
      if (!r.ok) return r;
      this.log.info({ session: s.id, player: r.playerId }, 'player joined');
      return { ok: true, token: r.token, playerId: r.playerId, ...(await enter(s, r.playerId)) };
    });

    handle(EVENTS.playerResume, playerResume, async (m) => {
      if (tooManyJoins()) return fail(ERRORS.tooManyAttempts);
      // A wrong code and a wrong token get the same answer: a resume never tells a live code from a guess.
      const s = byCode(m.code);
      const playerId = s?.playerByToken(m.token);
      // A student removed while their laptop was closed learns it when they come back.
      if (s && !playerId && s.removedByToken(m.token)) return fail(ERRORS.removed);
      if (!s || !playerId) return fail(ERRORS.badToken);
      // Resuming the seat this connection already holds is harmless; any other switch is refused.
      const same = role.role === 'player' && role.sessionId === s.id && role.playerId === playerId;
      if (role.role !== 'none' && !same) return fail(ERRORS.badMessage, { problem: 'already-joined' });
      return { ok: true, playerId, ...(await enter(s, playerId)) };
    });

    handle(EVENTS.playerAct, playerAct, async (m) => {
      if (role.role !== 'player') return fail(ERRORS.notJoined);
      const s = session(role.sessionId)!;
      // A retry of an action already taken gets the first answer again, whatever has happened since.
      if (m.id !== undefined) {
        const prior = s.answered(role.playerId, m.id, m.action);
        if (prior) return prior;
      }
      const at = seatOf(s.state, role.playerId);
      if (!at) return fail(ERRORS.notSeated);
      const table = s.state.tables[at.table]!;
      if (!table.game) return fail(ERRORS.noGame);
      // Each scenario's actions have their own schema: the registry is typed so that every scenario has one.
      const schema = scenarioSchemas[scenarioOf(table.game.scenario).id as ScenarioId].action;
      const parsed = schema.safeParse(m.action);
      if (!parsed.success) return badMessage(parsed.error);
      const r = await s.act(role.playerId, parsed.data, m.id === undefined ? undefined : { id: m.id, raw: m.action });
      if (!r.ok || !m.view) return r;
      // What the action changed on the student's screen rides on the answer (their other tabs get it
      // as usual); the redraw that follows finds nothing more to send.
      const patch = this.advance(s, role.playerId);
      if (patch) socket.to(playerRoom(s.id, role.playerId)).emit(EVENTS.playerView, { now: this.clock.now(), patch });
      return { ...r, now: this.clock.now(), patch };
    });
  }
}
