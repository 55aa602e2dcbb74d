// What each viewer of a session receives: a student sees their own seat's view; the host sees all.
import type { SessionState, Occupant } from './model.ts';
import { occupantName, scenarioOf } from './reduce.ts';
import { seatOf } from './commands.ts';

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

export interface HostSeat {
  occupant: Occupant | null;
  name: string;
}

export interface HostTable {
  id: string;
  scenario: string;
  seats: Record<string, HostSeat>;
  game: { index: number; seed: number; state: unknown; verdict: unknown } | null;
}

export interface HostView {
  sessionId: string;
  code: string;
  settings: SessionState['settings'];
  players: { id: string; name: string; seat: { table: string; seat: string } | null }[];
  tables: HostTable[];
  results: SessionState['results'];
}

export function hostTable(s: SessionState, id: string): HostTable {
  const t = s.tables[id]!;
  const seats: Record<string, HostSeat> = {};
  for (const [seat, o] of Object.entries(t.seats)) seats[seat] = { occupant: o, name: occupantName(s, o) };
  const g = t.game;
  const sc = g ? scenarioOf(g.scenario) : null;
  return {
    id,
    scenario: t.scenario,
    seats,
    game: g && sc ? { index: g.index, seed: g.seed, state: g.state, verdict: sc.verdict(g.state) } : null,
  };
}

export function hostView(s: SessionState): HostView {
  return {
    sessionId: s.header.sessionId,
    code: s.header.code,
    settings: s.settings,
    players: s.playerOrder
      .map((id) => s.players[id]!)
      .filter((p) => !p.removed)
      .map((p) => ({ id: p.id, name: p.name, seat: seatOf(s, p.id) })),
    tables: s.tableOrder.map((id) => hostTable(s, id)),
    results: s.results,
  };
}
