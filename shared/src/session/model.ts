// A classroom session: who joined, the tables and their seats, and each table's current game.
// Everything here is rebuilt from the log by reduce(); nothing else is the truth.

export const LOG_FORMAT = 'valley-log';
/**
 * 2: every write is a *unit* (one action's, one host command's, one valley tick's events) whose first
 * line says how many lines it has and what caused it. 1: one event a line, no causes (still read).
 */
export const LOG_VERSION = 2;
export const LOG_VERSIONS = [1, 2] as const;
export type LogVersion = (typeof LOG_VERSIONS)[number];

export interface SessionHeader {
  type: 'header';
  format: typeof LOG_FORMAT;
  version: LogVersion;
  sessionId: string;
  code: string;
  createdAt: number;
  /** The session's seed: every game's seed is derived from it. */
  seed: number;
  /** sha-256 of the host token, never the token itself. */
  hostTokenHash: string;
}

export type Occupant = { type: 'player'; playerId: string } | { type: 'bot' };

/** Class-wide settings for new games, per scenario (the valley, the clock, a Paxos table's shape). */
export type Settings = Record<string, unknown>;

export type SessionEvent =
  | { type: 'playerJoined'; playerId: string; name: string; tokenHash: string }
  | { type: 'playerRemoved'; playerId: string }
  | { type: 'tableCreated'; table: string; scenario: string; seats: string[] }
  /** The host removed a table; its seats were emptied by the events just before. */
  | { type: 'tableRemoved'; table: string }
  | { type: 'seatChanged'; table: string; seat: string; occupant: Occupant | null }
  | { type: 'settingsChanged'; scenario: string; settings: unknown }
  | { type: 'gameStarted'; table: string; game: number; scenario: string; seed: number; config: unknown }
  | { type: 'game'; table: string; game: number; event: unknown }
  /** The host cleared the class results from the screen: the log (and so the CSV and the replay) keeps them. */
  | { type: 'resultsCleared'; count: number };

/**
 * What made a unit of events: the primary input the checker replays through the rules. A student's
 * action (with the id their client sent, so a retry after a restart gets the first answer), a bot's,
 * a host command, the valley's clock at a table, or a student joining.
 */
export type Cause =
  | { type: 'act'; player: string; action: unknown; id?: string }
  | { type: 'bot'; table: string; seat: string; action: unknown }
  | { type: 'host'; command: unknown }
  | { type: 'tick'; table: string }
  | { type: 'join' };

/** On the first line of a unit: how many lines the unit has (all or none of them count) and its cause. */
export interface Unit {
  lines: number;
  cause: Cause;
}

export type LogEvent = SessionEvent & { seq: number; at: number; unit?: Unit };

export interface Player {
  id: string;
  name: string;
  tokenHash: string;
  joinedAt: number;
  removed: boolean;
}

export interface Game {
  index: number;
  scenario: string;
  seed: number;
  state: unknown;
}

export interface Table {
  id: string;
  scenario: string;
  seats: Record<string, Occupant | null>;
  game: Game | null;
}

export interface GameResult {
  table: string;
  game: number;
  scenario: string;
  /** When the game started (its state's startedAt). */
  startedAt: number;
  endedAt: number;
  verdict: unknown;
  players: Record<string, string>;
}

export interface SessionState {
  header: SessionHeader;
  seq: number;
  lastAt: number;
  players: Record<string, Player>;
  playerOrder: string[];
  tables: Record<string, Table>;
  tableOrder: string[];
  /** How many tables were ever created: a new table's id is the next number, never a removed table's. */
  tablesCreated: number;
  settings: Settings;
  gamesStarted: number;
  /** Every finished game of the session, in order, even those cleared from the screen. */
  results: GameResult[];
  /** How many of `results` the host cleared from the screen (the first ones): the console shows the rest. */
  resultsCleared: number;
}
