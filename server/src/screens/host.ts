// What the host consoles of each session are sent: the whole session when the roster, seats or
// settings changed, else the tables that moved (in detail only those some console shows), and the
// results that are new — in a hall, at most a few times a second.
import type { Server } from 'socket.io';
import { hostTable, hostView, type HostTable } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import type { Clock } from '../clock.ts';
import type { Change, LiveSession } from '../sessions/session.ts';
import { isLarge } from './hall.ts';

export const hostRoom = (sessionId: string) => `host:${sessionId}`;

/** A hall's host screens are redrawn at most this often (a class's at once). */
const HOST_FLUSH_MS = 250;
/** In a hall, tables off every host's screen are sent this often. */
const SUMMARY_MS = 1000;
/** At most this much of tables per host message: a detailed table costs DETAIL, a summary 1. */
const HOST_SLICE = 96;
const DETAIL = 4;

/** Per session: what its host screens still need, and when they were last sent anything. */
interface Pending {
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

export class HostScreens {
  constructor(
    private io: Server,
    private clock: Clock,
  ) {}

  /** How many of each session's results the host room has been sent. */
  private resultsSent = new WeakMap<LiveSession, number>();
  /** Per session, what its host screens still need, and when they were last sent anything. */
  private hosts = new WeakMap<LiveSession, Pending>();

  /**
   * Send a session's hosts what changed — in a hall, at most every HOST_FLUSH_MS (a change after a
   * quiet spell goes at once): the whole session when the roster, seats or settings changed (500 students joining
   * in a burst), else the tables that moved (a hall has hundreds, each moving several times a second:
   * a projector needs a few frames a second, not one per messenger), and only the results that are
   * new (a long lesson has thousands: never all of them per move).
   */
  changed(s: LiveSession, change: Change) {
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
  private scheduleHost(s: LiveSession, h: Pending, at: number, now = false) {
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

  watch(s: LiveSession, socketId: string, tables: string[] | null | undefined) {
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

  /** A host socket left: it no longer shows any table. */
  unwatch(s: LiveSession | undefined, socketId: string) {
    if (s) this.watchers.get(s)?.delete(socketId);
  }
}
