// reduce(state, event): the one function that turns the log into a session, on the server, in tests
// and in the replay. Game events are handed to their scenario's apply().
import { assertNever } from '../assert.ts';
import { scenarios } from '../scenarios/index.ts';
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
    settings: Object.fromEntries(Object.values(scenarios).map((sc) => [sc.id, sc.defaultConfig])),
    gamesStarted: 0,
    results: [],
  };
}

function withTable(s: SessionState, id: string, f: (t: Table) => Table): SessionState {
  const t = s.tables[id];
  if (!t) throw new Error(`log names unknown table ${id}`);
  return { ...s, tables: { ...s.tables, [id]: f(t) } };
}

export function scenarioOf(id: string) {
  const sc = scenarios[id];
  if (!sc) throw new Error(`unknown scenario ${id}`);
  return sc;
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
  const next = reduceEvent(s, e);
  return { ...next, seq: e.seq, lastAt: e.at };
}

function reduceEvent(s: SessionState, e: LogEvent): SessionState {
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
      return { ...s, tables: { ...s.tables, [e.table]: { id: e.table, scenario: e.scenario, seats, game: null } }, tableOrder: [...s.tableOrder, e.table] };
    }
    case 'seatChanged':
      return withTable(s, e.table, (t) => ({ ...t, seats: { ...t.seats, [e.seat]: e.occupant } }));
    case 'settingsChanged':
      return { ...s, settings: { ...s.settings, [e.scenario]: e.settings } };
    case 'gameStarted': {
      const sc = scenarioOf(e.scenario);
      const game: Game = { index: e.game, scenario: e.scenario, seed: e.seed, state: sc.init(e.config, e.seed, e.at) };
      return { ...withTable(s, e.table, (t) => ({ ...t, game })), gamesStarted: Math.max(s.gamesStarted, e.game) };
    }
    case 'game': {
      const t = s.tables[e.table];
      if (!t?.game || t.game.index !== e.game) throw new Error(`log names game ${e.game} not running at ${e.table}`);
      const sc = scenarioOf(t.game.scenario);
      const state = sc.apply(t.game.state, e.event, e.at);
      let next = withTable(s, e.table, (tt) => ({ ...tt, game: { ...t.game!, state } }));
      if (!sc.ended(t.game.state) && sc.ended(state)) {
        next = {
          ...next,
          results: [
            ...next.results,
            { table: t.id, game: t.game.index, scenario: t.game.scenario, endedAt: e.at, verdict: sc.verdict(state), players: seatNames(s, t) },
          ],
        };
      }
      return next;
    }
    default:
      return assertNever(e);
  }
}
