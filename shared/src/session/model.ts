// A classroom session: who joined, the tables and their seats, and each table's current game.
// Everything here is rebuilt from the log by reduce(); nothing else is the truth.

export const LOG_FORMAT = 'valley-log';
export const LOG_VERSION = 1;

export interface SessionHeader {
  type: 'header';
  format: typeof LOG_FORMAT;
  version: typeof LOG_VERSION;
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
  | { type: 'seatChanged'; table: string; seat: string; occupant: Occupant | null }
  | { type: 'settingsChanged'; scenario: string; settings: unknown }
  | { type: 'gameStarted'; table: string; game: number; scenario: string; seed: number; config: unknown }
  | { type: 'game'; table: string; game: number; event: unknown };

export type LogEvent = SessionEvent & { seq: number; at: number };

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
  settings: Settings;
  gamesStarted: number;
  results: GameResult[];
}
