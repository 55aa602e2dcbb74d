// One live session: its state (rebuilt from the log), the queue that applies one action at a time,
// the scheduler that makes the valley deliver on time, and the bots. The rules come from shared/.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import {
  CODE_ALPHABET,
  decideHost,
  decideJoin,
  SessionFold,
  reduce,
  scenarioOf,
  seatOf,
  type Decision,
  type HostCommand,
  type LogEvent,
  type Refusal,
  type SessionEvent,
  type SessionState,
  type Table,
} from '@valley/shared';
import { ACTION_IDS_KEPT, ERRORS } from '@valley/shared/protocol';
import type { Clock, Timer } from '../clock.ts';
import type { LogStore } from '../store.ts';

export type Result<T = object> = ({ ok: true } & T) | { ok: false; error: Refusal };

export const fail = (rule: string, evidence: Refusal['evidence'] = {}): { ok: false; error: Refusal } => ({ ok: false, error: { rule, evidence } });

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => randomBytes(24).toString('base64url');
/** A code to read off a screen or aloud, in the join codes' alphabet. */
export const randomCode = (length: number): string => Array.from({ length }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

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

export class LiveSession {
  private queue: Promise<unknown> = Promise.resolve();
  private timers = new Map<string, Timer>();
  private botWake = new Map<string, number>();
  /** Player ids by token hash, for the players record it was made from. */
  private tokenIndex: { players: SessionState['players']; byHash: Map<string, string> } | null = null;
  /** Per student, their latest action ids and the answer each got (or is getting). */
  private actionIds = new Map<string, Map<string, { action: string; answer: Promise<Result> }>>();
  private dirty: Change = noChange();
  private flushScheduled = false;
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

  playerByToken(token: string): string | null {
    const h = hashToken(token);
    // Looked up by hash (a hall's 2,000 students resuming at once must not each scan the roster);
    // the hash is of a random 192-bit token, so the lookup's timing tells a guesser nothing.
    if (this.tokenIndex?.players !== this.state.players) {
      const byHash = new Map<string, string>();
      for (const id of this.state.playerOrder) {
        const p = this.state.players[id]!;
        if (!byHash.has(p.tokenHash)) byHash.set(p.tokenHash, p.id);
      }
      this.tokenIndex = { players: this.state.players, byHash };
    }
    const id = this.tokenIndex.byHash.get(h);
    const p = id === undefined ? undefined : this.state.players[id];
    return p && sameHash(h, p.tokenHash) && !p.removed ? p.id : null;
  }

  // --- the three kinds of request -------------------------------------------------------------

  join(name: string): Promise<Result<{ playerId: string; token: string }>> {
    return this.run(async () => {
      const token = newToken();
      const playerId = `P${this.state.playerOrder.length + 1}`;
      const r = decideJoin(this.state, name, playerId, hashToken(token));
      const done = await this.commitDecision(r);
      if (!done.ok) return done;
      return { ok: true, playerId, token };
    });
  }

  host(cmd: HostCommand): Promise<Result> {
    return this.run(async () => this.commitDecision(decideHost(this.state, cmd, this.clock.now())));
  }

  /**
   * The answer already given (or being given) to this student's action with this id, if it is one of
   * their last ACTION_IDS_KEPT; an id sent again with a different action is refused.
   */
  answered(playerId: string, id: string, raw: unknown): Promise<Result> | null {
    const prior = this.actionIds.get(playerId)?.get(id);
    if (!prior) return null;
    if (prior.action !== JSON.stringify(raw)) return Promise.resolve(fail(ERRORS.badMessage, { problem: 'id-reused' }));
    return prior.answer;
  }

  act(playerId: string, action: unknown, key?: { id: string; raw: unknown }): Promise<Result> {
    const answer = this.decideAct(playerId, action);
    if (key) {
      let ids = this.actionIds.get(playerId);
      if (!ids) this.actionIds.set(playerId, (ids = new Map()));
      ids.set(key.id, { action: JSON.stringify(key.raw), answer });
      // Forget the oldest beyond the last ACTION_IDS_KEPT (a Map iterates in insertion order).
      if (ids.size > ACTION_IDS_KEPT) ids.delete(ids.keys().next().value!);
    }
    return answer;
  }

  private decideAct(playerId: string, action: unknown): Promise<Result> {
    return this.run(async () => {
      const at = seatOf(this.state, playerId);
      if (!at) return fail(ERRORS.notSeated);
      const table = this.state.tables[at.table]!;
      if (!table.game) return fail(ERRORS.noGame);
      const sc = scenarioOf(table.game.scenario);
      const r = sc.decide(table.game.state, at.seat, action, this.clock.now());
      if (!r.ok) return { ok: false, error: r.refusal };
      return this.commitGame(at.table, r.events);
    });
  }

  // --- committing: write first, then apply, then let the valley and the bots move --------------

  private async commitDecision(r: Decision<SessionEvent>): Promise<Result> {
    if (!r.ok) return { ok: false, error: r.refusal };
    try {
      await this.commit(r.events);
    } catch {
      return fail(ERRORS.storage);
    }
    return { ok: true };
  }

  private async commitGame(table: string, events: unknown[]): Promise<Result> {
    const game = this.state.tables[table]!.game!.index;
    return this.commitDecision({ ok: true, events: events.map((event) => ({ type: 'game', table, game, event })) });
  }

  private async commit(events: SessionEvent[]) {
    const lines = await this.write(events);
    await this.afterChange(new Set(lines.flatMap((l) => ('table' in l ? [l.table] : []))));
  }

  /** Write events to the log, and only then apply them: the state never runs ahead of the log. */
  private async write(events: SessionEvent[]): Promise<LogEvent[]> {
    if (events.length === 0) return [];
    const at = Math.max(this.clock.now(), this.state.lastAt);
    const lines: LogEvent[] = events.map((e, i) => ({ seq: this.state.seq + 1 + i, at, ...e }) as LogEvent);
    const { next, place } = this.project(lines);
    try {
      await this.store.append(this.id, lines);
    } catch (err) {
      this.storageError = (err as Error).message;
      this.log.error({ session: this.id, err: (err as Error).message }, 'log write failed');
      this.markAll();
      throw err;
    }
    if (this.storageError !== null) {
      // Writing works again: the host's screen drops the warning.
      this.storageError = null;
      this.dirty.session = true;
    }
    const before = this.state;
    place?.();
    this.state = next;
    this.track(before, lines);
    return lines;
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
        const table = this.state.tables[l.table]!;
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
        for (const o of Object.values(this.state.tables[l.table]!.seats)) if (o?.type === 'player') this.dirty.players.add(o.playerId);
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
    setImmediate(() => {
      this.flushScheduled = false;
      const change = this.dirty;
      this.dirty = noChange();
      this.notify(this, change);
    });
  }

  /** Bots answer, then each touched table's timer is set to its next due moment. */
  private async afterChange(tables: Set<string>) {
    for (const t of tables) await this.runBots(t);
    for (const t of tables) this.reschedule(t);
  }

  private async runBots(tableId: string) {
    for (let round = 0; round < MAX_BOT_ROUNDS; round++) {
      const table = this.state.tables[tableId];
      if (!table?.game) return;
      const sc = scenarioOf(table.game.scenario);
      if (sc.ended(table.game.state)) return;
      let acted = false;
      for (const [seat, o] of Object.entries(table.seats)) {
        if (o?.type !== 'bot') continue;
        const now = this.clock.now();
        const step = sc.bot(sc.view(this.state.tables[tableId]!.game!.state, seat), now);
        if (step.wakeAt !== null) this.botWake.set(`${tableId}/${seat}`, step.wakeAt);
        else this.botWake.delete(`${tableId}/${seat}`);
        for (const action of step.actions) {
          const g = this.state.tables[tableId]!.game!;
          const r = sc.decide(g.state, seat, action, now);
          if (!r.ok) {
            this.log.warn({ session: this.id, table: tableId, seat, rule: r.refusal.rule }, 'bot action refused');
            continue;
          }
          await this.writeGame(tableId, g.index, r.events);
          acted = true;
        }
      }
      if (!acted) return;
    }
  }

  /** Game events from the valley or a bot, written without re-entering afterChange (the caller is in it). */
  private async writeGame(table: string, game: number, events: unknown[]) {
    await this.write(events.map((event) => ({ type: 'game' as const, table, game, event })));
  }

  private reschedule(tableId: string) {
    const old = this.timers.get(tableId);
    if (old) this.clock.clearTimer(old);
    this.timers.delete(tableId);
    const table = this.state.tables[tableId];
    if (!table?.game) return;
    const sc = scenarioOf(table.game.scenario);
    if (sc.ended(table.game.state)) return;
    let at = sc.due(table.game.state) ?? Infinity;
    if (table.game.state && (table.game.state as { status?: string }).status === 'running') {
      for (const seat of Object.keys(table.seats)) {
        const w = this.botWake.get(`${tableId}/${seat}`);
        if (w !== undefined && table.seats[seat]?.type === 'bot') at = Math.min(at, w);
      }
    }
    if (!Number.isFinite(at)) return;
    this.timers.set(tableId, this.clock.setTimer(at, () => void this.run(() => this.fire(tableId)).catch(() => {})));
  }

  private async fire(tableId: string) {
    this.timers.delete(tableId);
    const table = this.state.tables[tableId];
    if (!table?.game) return;
    const sc = scenarioOf(table.game.scenario);
    const events = sc.tick(table.game.state, this.clock.now());
    try {
      if (events.length > 0) await this.writeGame(tableId, table.game.index, events);
      await this.afterChange(new Set([tableId]));
    } catch (err) {
      this.log.error({ session: this.id, table: tableId, err: (err as Error).message }, 'valley tick failed');
      // Try again shortly: nothing was applied, so nothing is lost.
      this.timers.set(tableId, this.clock.setTimer(this.clock.now() + 1000, () => void this.run(() => this.fire(tableId)).catch(() => {})));
    }
  }

  /**
   * After recovery from the log: pick up every running game's valley and bots where they were. The valley
   * goes first: what came due while the server was down arrives before a bot looks at its screen again.
   */
  resumeAll() {
    void this.run(async () => {
      for (const t of this.state.tableOrder) await this.fire(t);
    });
  }

  stop() {
    for (const t of this.timers.values()) this.clock.clearTimer(t);
    this.timers.clear();
  }
}
