// One live session: its state (rebuilt from the log), the queue that applies one action at a time,
// the scheduler that makes the valley deliver on time, and the bots. The rules come from shared/.
import type { Logger } from 'pino';
import {
  BotDriver,
  decideHost,
  loggedCommand,
  decideJoin,
  reportHost,
  SessionFold,
  reduce,
  scenarioOf,
  seatOf,
  type BotPlayer,
  type Cause,
  type Decision,
  type HostCommand,
  type HostReport,
  type LogEvent,
  type Refusal,
  type SessionEvent,
  type SessionState,
  type Table,
} from '@valley/shared';
import { ERRORS } from '@valley/shared/protocol';
import type { Clock, Timer } from '../clock.ts';
import { StorageError, type LogStore } from '../store.ts';
import { ActionIds } from './retries.ts';
import { TokenIndex, hashToken, newToken, sameHash } from './tokens.ts';

export type Result<T = object> = ({ ok: true } & T) | { ok: false; error: Refusal };

export const fail = (rule: string, evidence: Refusal['evidence'] = {}): { ok: false; error: Refusal } => ({ ok: false, error: { rule, evidence } });

/** What changed in one flush: whose screens need redrawing. */
export interface Change {
  players: Set<string>;
  removed: Set<string>;
  /** Tables whose game moved: the host gets just those. */
  tables: Set<string>;
  /** Something beyond a game moved (roster, seats, settings): the host gets the whole session. */
  session: boolean;
}

const noChange = (): Change => ({ players: new Set(), removed: new Set(), tables: new Set(), session: false });

export type Notify = (session: LiveSession, change: Change) => void;

const MAX_BOT_ROUNDS = 50;
/** How long the session waits before trying again work the disk refused. */
export const RETRY_MS = 1000;

/** An answer, and when the lines behind it are durable (no promise: nothing was written). */
type Pending<T = object> = { result: Result<T>; durable?: Promise<void> };
type Written = { lines: LogEvent[]; durable: Promise<void> };
const settled: Promise<void> = Promise.resolve();

export class LiveSession {
  private queue: Promise<unknown> = Promise.resolve();
  private timers = new Map<string, Timer>();
  private tokens = new TokenIndex();
  private actionIds = new ActionIds();
  private dirty: Change = noChange();
  private flushScheduled = false;
  /** Tables whose own work (a bot's move, a delivery, a deadline) the disk refused: retried on a timer. */
  private stalled = new Set<string>();
  private probeTimer: Timer | null = null;
  private stopped = false;
  /** How many storage failures so far: a recovery seen only after a later failure does not count. */
  private failures = 0;
  /** The flush of the latest write: screens wait for it (see sendWhenDurable). */
  private lastDurable: Promise<void> = settled;
  /** The system's code (ENOSPC, EIO, EACCES, …) while the log cannot be written; null when it can. */
  storageError: string | null = null;

  constructor(
    public state: SessionState,
    private store: LogStore,
    private clock: Clock,
    private log: Logger,
    private notify: Notify,
  ) {}

  get id() {
    return this.state.header.sessionId;
  }
  get code() {
    return this.state.header.code;
  }

  /** One action at a time: the next is decided only after the last one's log write has finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => {});
    return p;
  }

  idle(): Promise<void> {
    return this.queue.then(() => {});
  }

  checkHost(token: string): boolean {
    return sameHash(hashToken(token), this.state.header.hostTokenHash);
  }

  /** The seat-holding student whose token this is, or null (a removed student's token opens nothing). */
  playerByToken(token: string): string | null {
    const p = this.tokens.find(this.state, token);
    return p && !p.removed ? p.id : null;
  }

  /** Whether this token was a student's whom the teacher removed (their own key: telling them so leaks nothing). */
  removedByToken(token: string): boolean {
    return this.tokens.find(this.state, token)?.removed === true;
  }

  // --- the three kinds of request -------------------------------------------------------------
  // Each is decided and written inside the session's queue; its answer waits, outside the queue, for
  // the write to be durable (at once, or after the group's fdatasync), so sessions keep moving.

  join(name: string): Promise<Result<{ playerId: string; token: string }>> {
    return this.acknowledge(
      this.run(async (): Promise<Pending<{ playerId: string; token: string }>> => {
        const token = newToken();
        const playerId = `P${this.state.playerOrder.length + 1}`;
        const done = this.commitDecision(decideJoin(this.state, name, playerId, hashToken(token)), { type: 'join' }, this.now());
        if (!done.result.ok) return { result: done.result };
        return { result: { ok: true, playerId, token }, durable: done.durable };
      }),
    );
  }

  /** A host command; the answer says what it did when words help (see reportHost). */
  host(cmd: HostCommand): Promise<Result<{ report?: HostReport }>> {
    return this.acknowledge(
      this.run(async (): Promise<Pending<{ report?: HostReport }>> => {
        const at = this.now();
        const before = this.state;
        const decision = decideHost(before, cmd, at);
        const done = this.commitDecision(decision, { type: 'host', command: loggedCommand(cmd, decision) }, at);
        const report = decision.ok && done.result.ok ? reportHost(before, cmd, decision.events) : null;
        return report ? { result: { ok: true, report }, durable: done.durable } : done;
      }),
    );
  }

  /**
   * The answer already given (or being given) to this student's action with this id, if it is one of
   * their last ACTION_IDS_KEPT (kept in the log, so this holds across a restart); an id sent again
   * with a different action is refused.
   */
  answered(playerId: string, id: string, raw: unknown): Promise<Result> | null {
    return this.actionIds.answered(playerId, id, raw);
  }

  act(playerId: string, action: unknown, key?: { id: string; raw: unknown }): Promise<Result> {
    const pending = this.run(async () => this.decideAct(playerId, action, key?.id));
    const answer = this.acknowledge(pending);
    if (key) {
      this.actionIds.remember(playerId, key.id, key.raw, answer);
      void pending
        .then(async (p) => {
          const r = await answer;
          if (r.ok || r.error.rule !== ERRORS.storage) return;
          // An action the disk did not take never happened: a retry with its id is tried afresh.
          if (!p.durable) this.actionIds.forget(playerId, key.id, answer);
          // One that was written but whose flush to the disk failed is in the log: a retry must not
          // apply it again, only flush again, and is answered by how that goes.
          else
            this.actionIds.reanswer(playerId, key.id, answer, () =>
              this.store.flush(this.id).then(
                (): Result => ({ ok: true }),
                (err: unknown) => this.storageFailed(err),
              ),
            );
        })
        // A bug in deciding is the answer's own (server/internal at the gateway), never a crash here.
        .catch(() => {});
    }
    return answer;
  }

  /** After recovery: the action ids the log kept, each answered as it was (it was applied). */
  rememberActions(events: readonly LogEvent[]) {
    this.actionIds.rememberFromLog(events);
  }

  private decideAct(playerId: string, action: unknown, id: string | undefined): Pending {
    const at = seatOf(this.state, playerId);
    if (!at) return { result: fail(ERRORS.notSeated) };
    const table = this.state.tables[at.table]!;
    if (!table.game) return { result: fail(ERRORS.noGame) };
    const sc = scenarioOf(table.game.scenario);
    const now = this.now();
    const r = sc.decide(table.game.state, at.seat, action, now);
    if (!r.ok) return { result: { ok: false, error: r.refusal } };
    const game = table.game.index;
    const events = r.events.map((event): SessionEvent => ({ type: 'game', table: at.table, game, event }));
    return this.commitDecision({ ok: true, events }, { type: 'act', player: playerId, action, ...(id === undefined ? {} : { id }) }, now);
  }

  /** The time a commit is stamped with (and decided at): the clock's, never before the log's last line. */
  private now(): number {
    return Math.max(this.clock.now(), this.state.lastAt);
  }

  private async acknowledge<T>(pending: Promise<Pending<T>>): Promise<Result<T>> {
    const { result, durable } = await pending;
    if (durable) {
      try {
        await durable;
      } catch (err) {
        return this.storageFailed(err);
      }
    }
    return result;
  }

  // --- committing: write first, then apply, then let the valley and the bots move --------------

  private commitDecision(r: Decision<SessionEvent>, cause: Cause, at: number): Pending {
    if (!r.ok) return { result: { ok: false, error: r.refusal } };
    let done: Written;
    try {
      done = this.write(r.events, cause, at);
    } catch (err) {
      // Only the disk's refusal is an answer; anything else is a bug, answered server/internal.
      if (!(err instanceof StorageError)) throw err;
      return { result: this.storageFailed(err) };
    }
    // What follows (bots answering, the valley's timers) is the session's own work: if the disk
    // refuses it, it is tried again later, and this command stands, since it was written.
    this.afterChange(new Set(done.lines.flatMap((l) => ('table' in l ? [l.table] : []))));
    return { result: { ok: true }, durable: done.durable };
  }

  /**
   * Write events to the log as one unit, and only then apply them: the state never runs ahead of the
   * log. Throws (and applies nothing) when the unit could not be written whole.
   */
  private write(events: SessionEvent[], cause: Cause, at: number): Written {
    if (events.length === 0) return { lines: [], durable: settled };
    const lines: LogEvent[] = events.map((e, i) => ({ seq: this.state.seq + 1 + i, at, ...e }) as LogEvent);
    lines[0] = { ...lines[0]!, unit: { lines: lines.length, cause } };
    const { next, place } = this.project(lines);
    const durable = this.store.append(this.id, lines);
    if (durable !== settled) this.lastDurable = durable.catch(() => {});
    if (this.storageError !== null) {
      // Writing works again — once what was written is as durable as promised, and nothing failed since.
      const failures = this.failures;
      const recovered = () => {
        if (this.failures === failures && this.storageError !== null) this.storageRecovered();
      };
      if (durable === settled) recovered();
      else void durable.then(recovered, () => {});
    }
    const before = this.state;
    place?.();
    this.state = next;
    this.track(before, lines);
    return { lines, durable };
  }

  private storageFailed(err: unknown): { ok: false; error: Refusal } {
    this.failures++;
    const code = err instanceof StorageError ? err.code : 'EIO';
    if (!(err instanceof StorageError)) this.log.error({ session: this.id, err: (err as Error)?.message }, 'unexpected error while writing');
    if (this.storageError !== code) {
      this.log.error({ session: this.id, code, err: (err as Error)?.message }, 'log write failed');
      this.storageError = code;
      this.markAll();
    }
    this.scheduleProbe();
    return fail(ERRORS.storage, { code });
  }

  /** Writing works again: the host's screen drops the warning. */
  private storageRecovered() {
    this.log.info({ session: this.id }, 'log writes work again');
    this.storageError = null;
    this.dirty.session = true;
    this.scheduleFlush();
    if (this.probeTimer) this.clock.clearTimer(this.probeTimer);
    this.probeTimer = null;
  }

  /**
   * While the disk refuses, look again every so often: a table whose own work is waiting retries it
   * (its timer), and with nothing waiting a scratch write tells when the warning may go.
   */
  private scheduleProbe() {
    if (this.probeTimer || this.stopped) return;
    this.probeTimer = this.clock.setTimer(this.clock.now() + RETRY_MS, () => {
      this.probeTimer = null;
      void this.run(async () => {
        if (this.storageError === null) return;
        if (this.stalled.size === 0 && (await this.store.probe())) this.storageRecovered();
        else this.scheduleProbe();
      }).catch(() => {});
    });
  }

  /**
   * The state after `lines`, computed before they are written (a bad event is never written).
   * A hall has hundreds of tables, and reduce() copies the table record per event: when every line
   * moves the game at one table (nearly every commit), that table alone is reduced, and `place`
   * puts it into the session's own table record once the log has the lines. The record is this
   * session's: older states share it, so nothing keeps one to compare with later.
   */
  private project(lines: LogEvent[]): { next: SessionState; place: (() => void) | null } {
    const first = lines[0]!;
    const id = first.type === 'game' || first.type === 'gameStarted' ? first.table : null;
    if (id !== null && lines.every((l) => (l.type === 'game' || l.type === 'gameStarted') && l.table === id)) {
      const tables = this.state.tables;
      let one: SessionState = { ...this.state, tables: { [id]: tables[id]! } };
      for (const line of lines) one = reduce(one, line);
      const table = one.tables[id]!;
      return { next: { ...one, tables }, place: () => void ((tables as Record<string, Table>)[id] = table) };
    }
    // One fold per commit: the table record is copied once, not once per event.
    const fold = new SessionFold(this.state);
    for (const line of lines) fold.push(line);
    return { next: fold.state, place: null };
  }

  private track(before: SessionState, lines: LogEvent[]) {
    for (const l of lines) {
      // A game starting or moving changes one table on the host's screen; anything else (roster,
      // seats, settings) redraws the whole session there.
      if (l.type === 'game' || l.type === 'gameStarted') this.dirty.tables.add(l.table);
      else this.dirty.session = true;
      if (l.type === 'game') {
        // Only the screens this event can change (a messenger reaching one acceptor changes one of seven).
        // A table removed in the same commit (its game ended first) has nobody left to redraw.
        const table = this.state.tables[l.table];
        if (!table) continue;
        const game = table.game;
        const seats = game ? (scenarioOf(game.scenario).audience?.(game.state, l.event) ?? null) : null;
        if (seats === null) {
          for (const o of Object.values(table.seats)) if (o?.type === 'player') this.dirty.players.add(o.playerId);
        } else {
          for (const seat of seats) {
            const o = table.seats[seat];
            if (o?.type === 'player') this.dirty.players.add(o.playerId);
          }
        }
      } else if (l.type === 'playerRemoved') {
        this.dirty.removed.add(l.playerId);
      } else if (l.type === 'seatChanged') {
        const old = before.tables[l.table]?.seats[l.seat];
        if (old?.type === 'player') this.dirty.players.add(old.playerId);
        if (l.occupant?.type === 'player') this.dirty.players.add(l.occupant.playerId);
        for (const o of Object.values(this.state.tables[l.table]?.seats ?? {})) if (o?.type === 'player') this.dirty.players.add(o.playerId);
      } else if (l.type === 'playerJoined') {
        this.dirty.players.add(l.playerId);
      } else if (l.type === 'gameStarted') {
        for (const o of Object.values(this.state.tables[l.table]!.seats)) if (o?.type === 'player') this.dirty.players.add(o.playerId);
      }
    }
    this.scheduleFlush();
  }

  private markAll() {
    this.dirty.session = true;
    for (const id of this.state.playerOrder) this.dirty.players.add(id);
    this.scheduleFlush();
  }

  private scheduleFlush() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Coalesce: one redraw per viewer per turn of the event loop, however many events landed.
    setImmediate(() => void this.sendWhenDurable(0));
  }

  /**
   * Screens are drawn from the current state, so they wait until everything written so far is
   * durable — the flush pending now, and again for what was written while it ran (a few rounds at
   * most: under a steady stream of writes a screen is at worst that many flushes behind, never
   * held back for ever). Then a turn later, so the answers waiting on the same flush go out first.
   */
  private async sendWhenDurable(round: number): Promise<void> {
    const durable = this.lastDurable;
    if (durable !== settled) {
      await durable;
      if (this.lastDurable !== durable && round < 3) return this.sendWhenDurable(round + 1);
      await new Promise((r) => setImmediate(r));
    }
    this.flushScheduled = false;
    const change = this.dirty;
    this.dirty = noChange();
    this.notify(this, change);
  }

  /** Bots answer, then each touched table's timer is set to its next due moment. */
  private afterChange(tables: Iterable<string>) {
    const list = [...tables];
    for (const t of list) {
      try {
        this.runBots(t);
      } catch (err) {
        if (err instanceof StorageError) this.stall(t, err);
        // A bug in a bot or a scenario: said once in the server's log, not shown as a disk error.
        else this.log.error({ session: this.id, table: t, err: (err as Error)?.message }, 'bots failed');
      }
    }
    for (const t of list) this.reschedule(t);
  }

  /** A table's own work (a bot's move, a delivery, the deadline) was not written: try it again soon. */
  private stall(tableId: string, err: unknown) {
    this.stalled.add(tableId);
    this.storageFailed(err);
  }

  /** Each table's bot driver, for the game it drives (a new game gets a new one). */
  private drivers = new Map<string, { game: number; driver: BotDriver }>();

  private driverOf(tableId: string, game: { index: number; scenario: string }): BotDriver {
    const d = this.drivers.get(tableId);
    if (d?.game === game.index) return d.driver;
    const driver = new BotDriver(scenarioOf(game.scenario));
    this.drivers.set(tableId, { game: game.index, driver });
    return driver;
  }

  /** The bots at a table move, through shared's one bot driver; each move is written before the next is decided. */
  private runBots(tableId: string) {
    const table = this.state.tables[tableId];
    if (!table?.game) return;
    const sc = scenarioOf(table.game.scenario);
    if (sc.ended(table.game.state)) return;
    const driver = this.driverOf(tableId, table.game);
    const players = Object.entries(table.seats).flatMap(([seat, o]): [string, BotPlayer][] => (o?.type === 'bot' ? [[seat, sc.bot]] : []));
    if (players.length === 0) return;
    const now = this.now();
    const game = () => this.state.tables[tableId]!.game!;
    const take = (seat: string, action: unknown) => {
      const g = game();
      const r = sc.decide(g.state, seat, action, now);
      if (!r.ok) {
        this.log.warn({ session: this.id, table: tableId, seat, rule: r.refusal.rule }, 'bot action refused');
        return false;
      }
      try {
        this.writeGame(tableId, g.index, r.events, { type: 'bot', table: tableId, seat, action }, now);
      } catch (err) {
        // Not written: the bot is asked again when the table's work is retried.
        driver.forget(seat);
        throw err;
      }
      return true;
    };
    driver.play(
      () => game().state,
      players,
      now,
      take,
      () => this.state.seq,
      MAX_BOT_ROUNDS,
    );
  }

  /** Game events from the valley or a bot, written without re-entering afterChange (the caller is in it). */
  private writeGame(table: string, game: number, events: unknown[], cause: Cause, at: number) {
    const { durable } = this.write(
      events.map((event) => ({ type: 'game' as const, table, game, event })),
      cause,
      at,
    );
    // Nobody waits for these: a failed flush is the host's warning.
    if (durable !== settled) durable.catch((err) => this.storageFailed(err));
  }

  private reschedule(tableId: string) {
    const old = this.timers.get(tableId);
    if (old) this.clock.clearTimer(old);
    this.timers.delete(tableId);
    if (this.stopped) return;
    const table = this.state.tables[tableId];
    const sc = table?.game ? scenarioOf(table.game.scenario) : null;
    if (!table) this.drivers.delete(tableId);
    if (!table?.game || !sc || sc.ended(table.game.state)) {
      // Nothing is left to do at this table: nothing of it waits for the disk either.
      this.stalled.delete(tableId);
      return;
    }
    let at = sc.due(table.game.state) ?? Infinity;
    if (table.game.state && (table.game.state as { status?: string }).status === 'running') {
      const driver = this.drivers.get(tableId);
      for (const seat of Object.keys(table.seats)) {
        const w = driver?.game === table.game.index ? driver.driver.wakeOf(seat) : undefined;
        if (w !== undefined && table.seats[seat]?.type === 'bot') at = Math.min(at, w);
      }
    }
    // Work the disk refused is tried again after a pause, not in a tight loop.
    if (this.stalled.has(tableId)) at = this.clock.now() + RETRY_MS;
    if (!Number.isFinite(at)) return;
    this.timers.set(
      tableId,
      this.clock.setTimer(at, () => void this.run(async () => this.fire(tableId)).catch(() => {})),
    );
  }

  private fire(tableId: string) {
    this.timers.delete(tableId);
    this.stalled.delete(tableId);
    const table = this.state.tables[tableId];
    if (!table?.game) return;
    const sc = scenarioOf(table.game.scenario);
    const at = this.now();
    const events = sc.tick(table.game.state, at);
    try {
      if (events.length > 0) this.writeGame(tableId, table.game.index, events, { type: 'tick', table: tableId }, at);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      // Nothing was applied, so nothing is lost: the same moment is tried again.
      this.stall(tableId, err);
      this.reschedule(tableId);
      return;
    }
    this.afterChange([tableId]);
  }

  /**
   * After recovery from the log: pick up every running game's valley and bots where they were. The valley
   * goes first: what came due while the server was down arrives before a bot looks at its screen again.
   */
  resumeAll() {
    void this.run(async () => {
      for (const t of this.state.tableOrder) this.fire(t);
    });
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimer(t);
    this.timers.clear();
    if (this.probeTimer) this.clock.clearTimer(this.probeTimer);
    this.probeTimer = null;
  }
}
