// What the host and joining students may do to a session: each command becomes events or a refusal.
// The server supplies ids and token hashes; every rule lives here.
import { assertNever } from '../assert.ts';
import { refuse, type Decision, type GameControl } from '../scenario.ts';
import { deriveSeed } from '../valley.ts';
import type { Occupant, SessionEvent, SessionState, Table } from './model.ts';
import { checkName, nameKey } from './names.ts';
import { isScenarioId } from '../scenarios/index.ts';
import { scenarioOf } from './reduce.ts';

export const SESSION_RULES = {
  nameEmpty: 'name/empty',
  nameTooLong: 'name/too-long',
  nameInvisible: 'name/invisible',
  nameOnlyMarks: 'name/only-marks',
  nameTaken: 'name/taken',
  unknownPlayer: 'session/unknown-player',
  unknownTable: 'session/unknown-table',
  unknownSeat: 'session/unknown-seat',
  unknownScenario: 'session/unknown-scenario',
  gameRunning: 'session/game-running',
  seatEmpty: 'session/seat-empty',
  noGame: 'session/no-game',
  nothingToStart: 'session/nothing-to-start',
  tooManyTables: 'session/too-many-tables',
  noNextLevel: 'session/no-next-level',
  noShowcase: 'session/no-showcase',
  gameNotEnded: 'session/game-not-ended',
  noStudents: 'session/no-students',
  nobodyToSeat: 'session/nobody-to-seat',
  noResults: 'session/no-results',
} as const;

/** What a host command did, in words the console shows (a catalogue key `report.<said>` and its parameters). */
export interface HostReport {
  said: string;
  evidence: Record<string, string | number>;
}

export const HOST_REPORTS = {
  seated: 'session/seated',
  tableRemoved: 'session/table-removed',
  resultsCleared: 'session/results-cleared',
} as const;

/** Tables at once in a session. */
export const MAX_TABLES = 500;
/** Table ids ever given in a session (removed tables' ids are never given again): T1 … T5000. */
export const MAX_TABLE_IDS = 10 * MAX_TABLES;

export type HostCommand =
  | { type: 'createTable'; scenario: string }
  | { type: 'setSeat'; table: string; seat: string; occupant: Occupant | null }
  | { type: 'autoSeat'; bots: boolean; scenario: string }
  | { type: 'removePlayer'; playerId: string }
  | { type: 'setSettings'; scenario: string; settings: unknown }
  | { type: 'startGames'; table: string | null }
  | { type: 'controlGame'; table: string; control: GameControl }
  | { type: 'nextLevel'; table: string }
  /**
   * `seed` is never sent by a host (the wire schema has no such field): the log records the seed the
   * search chose (loggedCommand), so the checker replays the command without searching again. A log
   * written before it has none, and the search is run again.
   */
  | { type: 'showFailure'; scenario: string; seed?: number }
  | { type: 'sameValleyNext'; table: string }
  | { type: 'removeTable'; table: string }
  | { type: 'clearResults' };

const running = (t: Table): boolean => !!t.game && !scenarioOf(t.game.scenario).ended(t.game.state);

/**
 * Where each player sits, for one table record. A table record is never changed once made (reduce()
 * copies it; a SessionFold changes its own copy in place only when no seat changes), so the index
 * made for it stays right. A game event makes a new record with the same seats: the index is carried
 * over after checking each table's seats are the very same objects.
 */
interface SeatIndex {
  seats: Table['seats'][];
  byPlayer: Map<string, { table: string; seat: string }>;
}
const seatIndexes = new WeakMap<SessionState['tables'], SeatIndex>();
const lastIndex = new WeakMap<string[], SeatIndex>();

function seatIndex(s: SessionState): SeatIndex {
  const known = seatIndexes.get(s.tables);
  if (known) return known;
  const prev = lastIndex.get(s.tableOrder);
  let idx: SeatIndex;
  if (prev && prev.seats.length === s.tableOrder.length && prev.seats.every((seats, i) => s.tables[s.tableOrder[i]!]?.seats === seats)) {
    idx = prev;
  } else {
    idx = { seats: [], byPlayer: new Map() };
    for (const id of s.tableOrder) {
      const t = s.tables[id]!;
      idx.seats.push(t.seats);
      for (const [seat, o] of Object.entries(t.seats)) {
        // The first seat in table order wins, as a scan would find it.
        if (o?.type === 'player' && !idx.byPlayer.has(o.playerId)) idx.byPlayer.set(o.playerId, { table: id, seat });
      }
    }
  }
  seatIndexes.set(s.tables, idx);
  lastIndex.set(s.tableOrder, idx);
  return idx;
}

export function seatOf(s: SessionState, playerId: string): { table: string; seat: string } | null {
  const at = seatIndex(s).byPlayer.get(playerId);
  return at ? { table: at.table, seat: at.seat } : null;
}

export function decideJoin(s: SessionState, rawName: string, playerId: string, tokenHash: string): Decision<SessionEvent> {
  const check = checkName(rawName);
  if (!check.ok) {
    const rule = {
      empty: SESSION_RULES.nameEmpty,
      'too-long': SESSION_RULES.nameTooLong,
      invisible: SESSION_RULES.nameInvisible,
      'only-marks': SESSION_RULES.nameOnlyMarks,
    }[check.reason];
    return refuse(rule, { max: 24 });
  }
  const key = nameKey(check.name);
  if (Object.values(s.players).some((p) => !p.removed && nameKey(p.name) === key)) {
    return refuse(SESSION_RULES.nameTaken, { name: check.name });
  }
  return { ok: true, events: [{ type: 'playerJoined', playerId, name: check.name, tokenHash }] };
}

// Ids go on from the number of tables ever created: a removed table's id is never given again.
const nextTableId = (s: SessionState, k = 0) => `T${s.tablesCreated + 1 + k}`;
/** Whether `n` more tables fit: at most MAX_TABLES at once, and ids up to MAX_TABLE_IDS. */
const roomFor = (s: SessionState, n = 1) => s.tableOrder.length + n <= MAX_TABLES && s.tablesCreated + n <= MAX_TABLE_IDS;

/** Free a player's current seat, and refuse if that would pull them out of a game in progress. */
function unseat(s: SessionState, playerId: string): Decision<SessionEvent> {
  const at = seatOf(s, playerId);
  if (!at) return { ok: true, events: [] };
  const t = s.tables[at.table]!;
  if (running(t)) return refuse(SESSION_RULES.gameRunning, { table: t.id });
  return { ok: true, events: [{ type: 'seatChanged', table: at.table, seat: at.seat, occupant: null }] };
}

export function decideHost(s: SessionState, cmd: HostCommand, at: number): Decision<SessionEvent> {
  switch (cmd.type) {
    case 'createTable': {
      if (!isScenarioId(cmd.scenario)) return refuse(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
      if (!roomFor(s)) return refuse(SESSION_RULES.tooManyTables, { max: MAX_TABLES });
      return { ok: true, events: [newTable(s, nextTableId(s), cmd.scenario)] };
    }
    case 'setSeat': {
      const t = s.tables[cmd.table];
      if (!t) return refuse(SESSION_RULES.unknownTable, { table: cmd.table });
      if (!(cmd.seat in t.seats)) return refuse(SESSION_RULES.unknownSeat, { seat: cmd.seat });
      // A seat of a running game may change hands (a student who left is replaced by a bot or by
      // another student, who takes over the seat with all it has seen); only pulling a student out of
      // a different running game is refused, below.
      const events: SessionEvent[] = [];
      const o = cmd.occupant;
      if (o?.type === 'player') {
        const p = s.players[o.playerId];
        if (!p || p.removed) return refuse(SESSION_RULES.unknownPlayer, { player: o.playerId });
        const freed = unseat(s, o.playerId);
        if (!freed.ok) return freed;
        events.push(...freed.events);
      }
      events.push({ type: 'seatChanged', table: t.id, seat: cmd.seat, occupant: o });
      return { ok: true, events };
    }
    case 'autoSeat': {
      if (!isScenarioId(cmd.scenario)) return refuse(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
      const students = s.playerOrder.filter((id) => !s.players[id]!.removed);
      if (students.length === 0) return refuse(SESSION_RULES.noStudents);
      const events = autoSeat(s, cmd.bots, cmd.scenario);
      const created = events.filter((e) => e.type === 'tableCreated').length;
      if (!roomFor(s, created)) return refuse(SESSION_RULES.tooManyTables, { max: MAX_TABLES });
      if (events.length === 0) {
        // Never silently nothing: say where everyone is.
        const playing = students.filter((id) => running(s.tables[seatOf(s, id)?.table ?? '']!)).length;
        return refuse(SESSION_RULES.nobodyToSeat, { playing, there: students.length - playing, scenario: `@scenario.${cmd.scenario}` });
      }
      return { ok: true, events };
    }
    case 'removePlayer': {
      const p = s.players[cmd.playerId];
      if (!p || p.removed) return refuse(SESSION_RULES.unknownPlayer, { player: cmd.playerId });
      const events: SessionEvent[] = [{ type: 'playerRemoved', playerId: p.id }];
      // A removed student's seat empties at once, even mid-game: the other general plays on alone.
      const seat = seatOf(s, p.id);
      if (seat) events.unshift({ type: 'seatChanged', table: seat.table, seat: seat.seat, occupant: null });
      return { ok: true, events };
    }
    case 'setSettings':
      if (!isScenarioId(cmd.scenario)) return refuse(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
      return { ok: true, events: [{ type: 'settingsChanged', scenario: cmd.scenario, settings: cmd.settings }] };
    case 'startGames': {
      const ids = cmd.table ? [cmd.table] : s.tableOrder;
      const events: SessionEvent[] = [];
      let game = s.gamesStarted;
      for (const id of ids) {
        const t = s.tables[id];
        if (!t) return refuse(SESSION_RULES.unknownTable, { table: id });
        if (running(t)) {
          if (cmd.table) return refuse(SESSION_RULES.gameRunning, { table: id });
          continue;
        }
        const empty = Object.entries(t.seats).find(([, o]) => !o);
        if (empty) {
          if (cmd.table) return refuse(SESSION_RULES.seatEmpty, { table: id, seat: empty[0] });
          continue;
        }
        game += 1;
        const sc = scenarioOf(t.scenario);
        const config = sc.fitConfig(s.settings[t.scenario] ?? sc.defaultConfig, Object.keys(t.seats));
        events.push({ type: 'gameStarted', table: id, game, scenario: t.scenario, seed: deriveSeed(s.header.seed, game), config });
      }
      if (events.length === 0) return refuse(SESSION_RULES.nothingToStart);
      return { ok: true, events };
    }
    case 'controlGame': {
      const t = s.tables[cmd.table];
      if (!t) return refuse(SESSION_RULES.unknownTable, { table: cmd.table });
      if (!t.game) return refuse(SESSION_RULES.noGame, { table: t.id });
      const r = scenarioOf(t.game.scenario).control(t.game.state, cmd.control, at);
      if (!r.ok) return r;
      const g = t.game.index;
      return { ok: true, events: r.events.map((event) => ({ type: 'game' as const, table: t.id, game: g, event })) };
    }
    case 'nextLevel': {
      const t = s.tables[cmd.table];
      if (!t) return refuse(SESSION_RULES.unknownTable, { table: cmd.table });
      if (running(t)) return refuse(SESSION_RULES.gameRunning, { table: t.id });
      const next = scenarioOf(t.scenario).next;
      if (next === undefined || !isScenarioId(next)) return refuse(SESSION_RULES.noNextLevel, { scenario: t.scenario });
      if (!roomFor(s)) return refuse(SESSION_RULES.tooManyTables, { max: MAX_TABLES });
      return { ok: true, events: nextLevel(s, t, next) };
    }
    case 'showFailure': {
      if (!isScenarioId(cmd.scenario)) return refuse(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
      const sc = scenarioOf(cmd.scenario);
      if (!roomFor(s)) return refuse(SESSION_RULES.tooManyTables, { max: MAX_TABLES });
      const game = s.gamesStarted + 1;
      // Seeds of their own for a showcase, from the session's seed and the game's number: the search replays exactly.
      const found = sc.showcase?.(s.settings[cmd.scenario] ?? sc.defaultConfig, (k) => deriveSeed(s.header.seed, game * 1000 + k), cmd.seed) ?? null;
      if (!found) return refuse(SESSION_RULES.noShowcase, { scenario: cmd.scenario });
      return { ok: true, events: botGame(s, cmd.scenario, found.config, found.seed) };
    }
    case 'sameValleyNext': {
      // The same valley (its seed and settings) under the next level's rules: the fix against the same attack.
      const t = s.tables[cmd.table];
      if (!t) return refuse(SESSION_RULES.unknownTable, { table: cmd.table });
      if (!t.game || running(t)) return refuse(SESSION_RULES.gameNotEnded, { table: t.id });
      const next = scenarioOf(t.game.scenario).next;
      if (next === undefined || !isScenarioId(next)) return refuse(SESSION_RULES.noNextLevel, { scenario: t.game.scenario });
      if (!roomFor(s)) return refuse(SESSION_RULES.tooManyTables, { max: MAX_TABLES });
      const valley = scenarioOf(t.game.scenario).facts.valley(t.game.state).settings;
      const nsc = scenarioOf(next);
      const config = {
        ...((s.settings[next] ?? nsc.defaultConfig) as object),
        captureRate: valley.captureRate,
        delayMinMs: valley.delayMinMs,
        delayMaxMs: valley.delayMaxMs,
      };
      return { ok: true, events: botGame(s, next, config, t.game.seed) };
    }
    case 'removeTable': {
      const t = s.tables[cmd.table];
      if (!t) return refuse(SESSION_RULES.unknownTable, { table: cmd.table });
      const events: SessionEvent[] = [];
      if (running(t)) {
        // A game still being played ends first (the host's own "end"), so its result is kept like any other.
        const r = scenarioOf(t.game!.scenario).control(t.game!.state, { type: 'end' }, at);
        if (!r.ok) return r;
        events.push(...r.events.map((event): SessionEvent => ({ type: 'game', table: t.id, game: t.game!.index, event })));
      }
      // Its students go back to the lobby, unseated; its bots leave with it.
      for (const [seat, o] of Object.entries(t.seats)) if (o) events.push({ type: 'seatChanged', table: t.id, seat, occupant: null });
      events.push({ type: 'tableRemoved', table: t.id });
      return { ok: true, events };
    }
    case 'clearResults':
      if (s.resultsCleared >= s.results.length) return refuse(SESSION_RULES.noResults);
      return { ok: true, events: [{ type: 'resultsCleared', count: s.results.length }] };
    default:
      return assertNever(cmd);
  }
}

/**
 * The command as the log records it: what decideHost chose that a replay of the log need not choose
 * again is written into it (the showcase's seed, read back from the game it started).
 */
export function loggedCommand(cmd: HostCommand, d: Decision<SessionEvent>): HostCommand {
  if (cmd.type !== 'showFailure' || !d.ok) return cmd;
  const started = d.events.find((e) => e.type === 'gameStarted');
  return started ? { ...cmd, seed: started.seed } : cmd;
}

/** What an allowed host command did, for the console to say (null: the screen shows it well enough). */
export function reportHost(before: SessionState, cmd: HostCommand, events: readonly SessionEvent[]): HostReport | null {
  switch (cmd.type) {
    case 'autoSeat': {
      const placed = events.filter((e) => e.type === 'seatChanged' && e.occupant?.type === 'player');
      const moved = placed.filter((e) => e.type === 'seatChanged' && e.occupant?.type === 'player' && seatOf(before, e.occupant.playerId)).length;
      const students = before.playerOrder.filter((id) => !before.players[id]!.removed);
      const playing = students.filter((id) => {
        const at = seatOf(before, id);
        return at ? running(before.tables[at.table]!) : false;
      }).length;
      return {
        said: HOST_REPORTS.seated,
        evidence: {
          placed: placed.length,
          moved,
          tables: events.filter((e) => e.type === 'tableCreated').length,
          playing,
          scenario: `@scenario.${cmd.scenario}`,
        },
      };
    }
    case 'removeTable': {
      const t = before.tables[cmd.table];
      const students = t ? Object.values(t.seats).filter((o) => o?.type === 'player').length : 0;
      return { said: HOST_REPORTS.tableRemoved, evidence: { table: cmd.table, students, ended: events.some((e) => e.type === 'game') ? 1 : 0 } };
    }
    case 'clearResults':
      return { said: HOST_REPORTS.resultsCleared, evidence: { n: before.results.length - before.resultsCleared } };
    case 'createTable':
    case 'setSeat':
    case 'removePlayer':
    case 'setSettings':
    case 'startGames':
    case 'controlGame':
    case 'nextLevel':
    case 'showFailure':
    case 'sameValleyNext':
      return null;
    default:
      return assertNever(cmd);
  }
}

/** A new table of bots playing one game at once, with these settings and this seed. */
function botGame(s: SessionState, scenario: string, config: unknown, seed: number): SessionEvent[] {
  const table = nextTableId(s);
  const seats = scenarioOf(scenario).seatsFor(config);
  return [
    { type: 'tableCreated', table, scenario, seats },
    ...seats.map((seat): SessionEvent => ({ type: 'seatChanged', table, seat, occupant: { type: 'bot' } })),
    { type: 'gameStarted', table, game: s.gamesStarted + 1, scenario, seed, config },
  ];
}

/**
 * A table's students move together to a new table of the next level: each keeps its seat where the
 * new table has it (C1 stays C1, the valley stays the valley), the others take the seats meant for
 * students in order, then any seat left; bots fill the rest.
 */
function nextLevel(s: SessionState, t: Table, scenario: string): SessionEvent[] {
  const created = newTable(s, nextTableId(s), scenario);
  if (created.type !== 'tableCreated') return [created];
  const sc = scenarioOf(scenario);
  const forBots = new Set(sc.botSeats?.(s.settings[scenario] ?? sc.defaultConfig) ?? []);
  const playersOf = (x: Table) => Object.entries(x.seats).flatMap(([seat, o]) => (o?.type === 'player' ? [{ table: x.id, seat, playerId: o.playerId }] : []));
  const players = playersOf(t);
  // A later level has more seats for students: the students of other idle tables of the same level
  // join, a whole table at a time while it fits, so groups grow but are not split when they can help it.
  const room = created.seats.filter((x) => !forBots.has(x)).length;
  const others = s.tableOrder.map((id) => s.tables[id]!).filter((x) => x.id !== t.id && x.scenario === t.scenario && !running(x));
  for (const fits of [true, false])
    for (const x of others) {
      const theirs = playersOf(x).filter((p) => !players.some((q) => q.playerId === p.playerId));
      if (theirs.length === 0 || players.length >= room) continue;
      if (fits && players.length + theirs.length > room) continue;
      players.push(...theirs.slice(0, room - players.length));
    }
  const free = created.seats.slice();
  const placed = new Map<string, string>();
  const take = (seat: string, playerId: string) => {
    placed.set(seat, playerId);
    free.splice(free.indexOf(seat), 1);
  };
  const waiting = players.filter((p) => {
    if (!free.includes(p.seat) || forBots.has(p.seat)) return true;
    take(p.seat, p.playerId);
    return false;
  });
  for (const pass of [(seat: string) => !forBots.has(seat), () => true])
    for (const seat of free.filter(pass)) {
      const p = waiting.shift();
      if (p) take(seat, p.playerId);
    }
  const events: SessionEvent[] = [created];
  for (const p of players) events.push({ type: 'seatChanged', table: p.table, seat: p.seat, occupant: null });
  for (const seat of created.seats) {
    const playerId = placed.get(seat);
    events.push({ type: 'seatChanged', table: created.table, seat, occupant: playerId ? { type: 'player', playerId } : { type: 'bot' } });
  }
  return events;
}

/** A new table of a scenario, with the seats the current settings give it. */
function newTable(s: SessionState, table: string, scenario: string): SessionEvent {
  const sc = scenarioOf(scenario);
  return { type: 'tableCreated', table, scenario, seats: sc.seatsFor(s.settings[scenario] ?? sc.defaultConfig) };
}

/**
 * Seat the class at the chosen scenario's tables: every unseated student, and every student at a table
 * of another scenario whose game is over or never started (the class moves on together, tablemates
 * in a row so they stay together where they fit). Students in a game still being played stay, and so
 * do those already at an idle table of the chosen scenario. Empty seats at idle tables of the chosen
 * scenario are filled first, then new tables are opened; bots fill the rest when asked.
 */
function autoSeat(s: SessionState, bots: boolean, scenario: string): SessionEvent[] {
  const events: SessionEvent[] = [];
  const place = (table: string, seat: string, occupant: Occupant) => events.push({ type: 'seatChanged', table, seat, occupant });
  const leaving = s.tableOrder.map((id) => s.tables[id]!).filter((t) => t.scenario !== scenario && !running(t));
  const movers = leaving.flatMap((t) => Object.values(t.seats).flatMap((o) => (o?.type === 'player' && !s.players[o.playerId]!.removed ? [o.playerId] : [])));
  const waiting = [...movers, ...s.playerOrder.filter((id) => !s.players[id]!.removed && !seatOf(s, id))];
  // Students leave their old tables first; the bots there stay, and the host may remove those tables.
  for (const t of leaving)
    for (const [seat, o] of Object.entries(t.seats))
      if (o?.type === 'player' && movers.includes(o.playerId)) events.push({ type: 'seatChanged', table: t.id, seat, occupant: null });
  const staying = s.tableOrder.map((id) => s.tables[id]!).filter((t) => t.scenario === scenario && !running(t));
  for (const t of staying) {
    for (const [seat, o] of Object.entries(t.seats)) {
      if (!o && waiting.length > 0) place(t.id, seat, { type: 'player', playerId: waiting.shift()! });
    }
  }
  let k = 0;
  const sc = scenarioOf(scenario);
  // With bots, the seats a scenario gives bots (a level's servers) are theirs; students take the others.
  const forBots = new Set(bots ? (sc.botSeats?.(s.settings[scenario] ?? sc.defaultConfig) ?? []) : []);
  while (waiting.length > 0) {
    const table = nextTableId(s, k++);
    const created = newTable(s, table, scenario);
    events.push(created);
    const seats = created.type === 'tableCreated' ? created.seats : [];
    for (const seat of seats.filter((x) => !forBots.has(x))) {
      const id = waiting.shift();
      if (id) place(table, seat, { type: 'player', playerId: id });
      else if (bots) place(table, seat, { type: 'bot' });
    }
    for (const seat of seats.filter((x) => forBots.has(x))) place(table, seat, { type: 'bot' });
  }
  if (bots) {
    // Tables of the chosen scenario that were already there and still miss someone get a bot too.
    const filled = new Set(events.map((e) => (e.type === 'seatChanged' ? `${e.table}/${e.seat}` : '')));
    for (const t of staying) {
      const seated = Object.values(t.seats).some((o) => o) || events.some((e) => e.type === 'seatChanged' && e.table === t.id);
      for (const [seat, o] of Object.entries(t.seats)) {
        if (!o && seated && !filled.has(`${t.id}/${seat}`)) place(t.id, seat, { type: 'bot' });
      }
    }
  }
  return events;
}
