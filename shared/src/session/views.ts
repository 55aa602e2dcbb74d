// What each viewer of a session receives: a student sees their own seat's view; the host sees all.
import type { SessionState, Occupant } from './model.ts';
import { occupantName, scenarioOf } from './reduce.ts';
import { seatOf } from './commands.ts';
import type { GameStatus } from '../scenario.ts';
import type { ValleySettings } from '../valley.ts';

export interface PlayerView {
  code: string;
  player: { id: string; name: string };
  seat: { table: string; seat: string; scenario: string } | null;
  /** Who sits in the other seats of the table, by name. */
  tablemates: Record<string, string>;
  game: { index: number; view: unknown } | null;
}

export function playerView(s: SessionState, playerId: string): PlayerView | null {
  const p = s.players[playerId];
  if (!p || p.removed) return null;
  const at = seatOf(s, playerId);
  const t = at ? s.tables[at.table] : undefined;
  const tablemates: Record<string, string> = {};
  if (t) for (const [seat, o] of Object.entries(t.seats)) if (seat !== at!.seat) tablemates[seat] = occupantName(s, o);
  return {
    code: s.header.code,
    player: { id: p.id, name: p.name },
    seat: at && t ? { ...at, scenario: t.scenario } : null,
    tablemates,
    game: at && t?.game ? { index: t.game.index, view: scenarioOf(t.game.scenario).view(t.game.state, at.seat) } : null,
  };
}

/**
 * What a student's view is made from: the same values (by identity: states are never changed in
 * place) give the same view, so a screen drawn from them need not be drawn again.
 */
export function playerViewInputs(s: SessionState, playerId: string): unknown[] {
  const at = seatOf(s, playerId);
  const t = at ? s.tables[at.table] : undefined;
  return [s.players, at?.table, at?.seat, t?.seats, t?.game?.state];
}

export interface HostSeat {
  occupant: Occupant | null;
  name: string;
}

export interface HostTable {
  id: string;
  scenario: string;
  seats: Record<string, HostSeat>;
  /**
   * The game: its status and verdict always; its whole state (every messenger, for the live diagram
   * and the table's controls) only for the tables a host screen shows — a hall has hundreds.
   */
  game: ({ index: number; seed: number; verdict: unknown; state: unknown | null; valley: ValleySettings } & GameStatus) | null;
}

export interface HostView {
  sessionId: string;
  code: string;
  settings: SessionState['settings'];
  players: { id: string; name: string; seat: { table: string; seat: string } | null }[];
  tables: HostTable[];
  /** The results on the screen: those after the ones the host cleared (the log keeps every one). */
  results: SessionState['results'];
  /** The index in the session's results of the first one in `results` (how many were cleared). */
  resultsFrom: number;
}

/** One table for the host; `detail`: with the game's whole state. */
export function hostTable(s: SessionState, id: string, detail = true): HostTable {
  const t = s.tables[id]!;
  const seats: Record<string, HostSeat> = {};
  for (const [seat, o] of Object.entries(t.seats)) seats[seat] = { occupant: o, name: occupantName(s, o) };
  const g = t.game;
  if (!g) return { id, scenario: t.scenario, seats, game: null };
  const st = g.state as GameStatus;
  return {
    id,
    scenario: t.scenario,
    seats,
    game: {
      index: g.index,
      seed: g.seed,
      status: st.status,
      startedAt: st.startedAt,
      deadlineAt: st.deadlineAt,
      pausedAt: st.pausedAt,
      endedAt: st.endedAt,
      verdict: scenarioOf(g.scenario).verdict(g.state),
      state: detail ? g.state : null,
      // The valley this game crosses (slow motion, stop-each): what the card says under its title.
      valley: scenarioOf(g.scenario).facts.valley(g.state).settings,
    },
  };
}

/** The whole session for the host; `detail(table)`: whether that table comes with its game's state. */
export function hostView(s: SessionState, detail: (table: string) => boolean = () => true): HostView {
  return {
    sessionId: s.header.sessionId,
    code: s.header.code,
    settings: s.settings,
    players: s.playerOrder
      .map((id) => s.players[id]!)
      .filter((p) => !p.removed)
      .map((p) => ({ id: p.id, name: p.name, seat: seatOf(s, p.id) })),
    tables: s.tableOrder.map((id) => hostTable(s, id, detail(id))),
    results: s.results.slice(s.resultsCleared),
    resultsFrom: s.resultsCleared,
  };
}

/**
 * The results on a host screen after new ones came: `from` is their index in the session's list (the
 * server sends only the new ones), the screen's own list starts at `view.resultsFrom`.
 */
export function withNewResults(v: HostView, from: number, results: HostView['results']): HostView {
  const keep = v.results.slice(0, Math.max(0, from - v.resultsFrom));
  const fresh = results.slice(Math.max(0, v.resultsFrom - from));
  return { ...v, results: [...keep, ...fresh] };
}
