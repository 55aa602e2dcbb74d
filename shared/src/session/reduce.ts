// reduce(state, event): the one function that turns the log into a session, on the server, in tests
// and in the replay. Game events are handed to their scenario's apply().
import { assertNever } from '../assert.ts';
import { isScenarioId, scenarios } from '../scenarios/index.ts';
import type { AnyScenario, GameStatus } from '../scenario.ts';
import type { Game, LogEvent, Occupant, SessionHeader, SessionState, Table } from './model.ts';

export function initialSession(header: SessionHeader): SessionState {
  return {
    header,
    seq: 0,
    lastAt: header.createdAt,
    players: {},
    playerOrder: [],
    tables: {},
    tableOrder: [],
    tablesCreated: 0,
    settings: Object.fromEntries(Object.values(scenarios).map((sc) => [sc.id, sc.defaultConfig])),
    gamesStarted: 0,
    results: [],
    resultsCleared: 0,
  };
}

/** How a reduction puts a changed table into the state: a fresh copy of the tables, or (in a fold) its own. */
type Put = (s: SessionState, id: string, t: Table) => SessionState;
const copyPut: Put = (s, id, t) => ({ ...s, tables: { ...s.tables, [id]: t } });

function withTable(s: SessionState, id: string, f: (t: Table) => Table, put: Put): SessionState {
  const t = s.tables[id];
  if (!t) throw new Error(`log names unknown table ${id}`);
  return put(s, id, f(t));
}

export function scenarioOf(id: string): AnyScenario {
  if (!isScenarioId(id)) throw new Error(`unknown scenario ${id}`);
  return scenarios[id];
}

/** Names at a table, for the results table: seat → player name or "bot". */
function seatNames(s: SessionState, t: Table): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [seat, o] of Object.entries(t.seats)) out[seat] = occupantName(s, o);
  return out;
}

export function occupantName(s: SessionState, o: Occupant | null): string {
  if (!o) return '';
  return o.type === 'bot' ? 'bot' : (s.players[o.playerId]?.name ?? '?');
}

export function reduce(s: SessionState, e: LogEvent): SessionState {
  if (e.seq !== s.seq + 1) throw new Error(`event ${e.seq} out of order after ${s.seq}`);
  const next = reduceEvent(s, e, copyPut);
  return { ...next, seq: e.seq, lastAt: e.at };
}

/**
 * A copy of the table record made key by key: V8 keeps such a record in dictionary mode, where
 * changing one table in place costs the same whatever the number of tables.
 */
function copyRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r)) out[k] = r[k]!;
  return out;
}

/**
 * reduce() over many events, with the same result, for reading a whole log. reduce() copies the
 * session's table record for every game event (a hall has hundreds of tables); a fold copies it once
 * and then changes its own copy, which no one else can see until `state` hands it out.
 */
export class SessionFold {
  private cur: SessionState;
  /** The table record only this fold holds, if any: safe to change in place. */
  private mine: Record<string, Table> | null = null;
  constructor(start: SessionState) {
    this.cur = start;
  }
  private put: Put = (s, id, t) => {
    // A seat change always gets a new record: seatOf() keeps an index per table record.
    const seatsKept = this.mine?.[id]?.seats === t.seats;
    if (this.mine === null || s.tables !== this.mine || !seatsKept) this.mine = copyRecord(s.tables);
    this.mine[id] = t;
    return s.tables === this.mine ? s : { ...s, tables: this.mine };
  };
  /** Apply one event; throws as reduce() does (the fold is then unusable). */
  push(e: LogEvent) {
    if (e.seq !== this.cur.seq + 1) throw new Error(`event ${e.seq} out of order after ${this.cur.seq}`);
    const next = reduceEvent(this.cur, e, this.put);
    if (next === this.cur && this.ownsTop) {
      next.seq = e.seq;
      next.lastAt = e.at;
    } else {
      this.cur = { ...next, seq: e.seq, lastAt: e.at };
      this.ownsTop = true;
    }
  }
  /** Whether the state object itself is this fold's own (made by it and not yet handed out). */
  private ownsTop = false;
  /** The state so far, for keeps: later events do not change it. */
  get state(): SessionState {
    this.mine = null;
    this.ownsTop = false;
    return this.cur;
  }
  /** The state so far, to read at once: valid only until the next push(). */
  peek(): SessionState {
    return this.cur;
  }
}

function reduceEvent(s: SessionState, e: LogEvent, put: Put): SessionState {
  switch (e.type) {
    case 'playerJoined':
      return {
        ...s,
        players: { ...s.players, [e.playerId]: { id: e.playerId, name: e.name, tokenHash: e.tokenHash, joinedAt: e.at, removed: false } },
        playerOrder: [...s.playerOrder, e.playerId],
      };
    case 'playerRemoved': {
      const p = s.players[e.playerId];
      if (!p) throw new Error(`log names unknown player ${e.playerId}`);
      return { ...s, players: { ...s.players, [e.playerId]: { ...p, removed: true } } };
    }
    case 'tableCreated': {
      scenarioOf(e.scenario);
      const seats = Object.fromEntries(e.seats.map((seat) => [seat, null]));
      if (s.tables[e.table]) throw new Error(`log creates table ${e.table} a second time`);
      return put({ ...s, tableOrder: [...s.tableOrder, e.table], tablesCreated: s.tablesCreated + 1 }, e.table, {
        id: e.table,
        scenario: e.scenario,
        seats,
        game: null,
      });
    }
    case 'tableRemoved': {
      const t = s.tables[e.table];
      if (!t) throw new Error(`log names unknown table ${e.table}`);
      if (Object.values(t.seats).some((o) => o)) throw new Error(`log removes table ${e.table} while someone sits there`);
      const tables = copyRecord(s.tables);
      delete tables[e.table];
      return { ...s, tables, tableOrder: s.tableOrder.filter((id) => id !== e.table) };
    }
    case 'resultsCleared':
      if (e.count < s.resultsCleared || e.count > s.results.length) throw new Error(`log clears ${e.count} results of ${s.results.length}`);
      return { ...s, resultsCleared: e.count };
    case 'seatChanged':
      return withTable(s, e.table, (t) => ({ ...t, seats: { ...t.seats, [e.seat]: e.occupant } }), put);
    case 'settingsChanged':
      return { ...s, settings: { ...s.settings, [e.scenario]: e.settings } };
    case 'gameStarted': {
      const sc = scenarioOf(e.scenario);
      const game: Game = { index: e.game, scenario: e.scenario, seed: e.seed, state: sc.init(e.config, e.seed, e.at) };
      return { ...withTable(s, e.table, (t) => ({ ...t, game }), put), gamesStarted: Math.max(s.gamesStarted, e.game) };
    }
    case 'game': {
      const t = s.tables[e.table];
      if (!t?.game || t.game.index !== e.game) throw new Error(`log names game ${e.game} not running at ${e.table}`);
      const sc = scenarioOf(t.game.scenario);
      const state = sc.apply(t.game.state, e.event, e.at);
      let next = withTable(s, e.table, (tt) => ({ ...tt, game: { ...t.game!, state } }), put);
      if (!sc.ended(t.game.state) && sc.ended(state)) {
        next = {
          ...next,
          results: [
            ...next.results,
            {
              table: t.id,
              game: t.game.index,
              scenario: t.game.scenario,
              startedAt: (state as GameStatus).startedAt,
              endedAt: e.at,
              verdict: sc.verdict(state),
              players: seatNames(s, t),
            },
          ],
        };
      }
      return next;
    }
    default:
      return assertNever(e);
  }
}
