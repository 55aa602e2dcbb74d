// A session log made without a server, for the recorded examples and the bench's large log: a table
// of bots opened, games played through shared's simulate(), and its steps written as the log's units
// (each with its cause, as the server writes them), numbered into the log's text.
import {
  LOG_FORMAT,
  LOG_VERSION,
  deriveSeed,
  encodeLine,
  type AnyScenario,
  type Cause,
  type LogEvent,
  type SessionEvent,
  type SessionHeader,
  type SimResult,
} from '@valley/shared';

/** One unit of a made log: its events, their moment and their cause. */
export interface MadeUnit {
  at: number;
  cause: Cause;
  events: SessionEvent[];
}

/** A header for a made-up session (no host key: nobody steers it). */
export const madeHeader = (sessionId: string, code: string, createdAt: number, seed: number): SessionHeader => ({
  type: 'header',
  format: LOG_FORMAT,
  version: LOG_VERSION,
  sessionId,
  code,
  createdAt,
  seed,
  hostTokenHash: '',
});

/** A table of this scenario with a bot in every seat, opened and seated by the host. */
export const botTable = (at: number, table: string, sc: AnyScenario, seats: string[]): MadeUnit[] => [
  { at, cause: { type: 'host', command: { type: 'createTable', scenario: sc.id } }, events: [{ type: 'tableCreated', table, scenario: sc.id, seats }] },
  ...seats.map((seat): MadeUnit => ({
    at,
    cause: { type: 'host', command: { type: 'setSeat', table, seat, occupant: { type: 'bot' } } },
    events: [{ type: 'seatChanged', table, seat, occupant: { type: 'bot' } }],
  })),
];

/** The host sets a scenario's settings for new games (what a started game's config follows from). */
export const settingsUnit = (at: number, sc: AnyScenario, settings: unknown): MadeUnit => ({
  at,
  cause: { type: 'host', command: { type: 'setSettings', scenario: sc.id, settings } },
  events: [{ type: 'settingsChanged', scenario: sc.id, settings }],
});

/**
 * The seed and config the host's startGames gives the session's game number `game` at a table of
 * these seats (decideHost: the session's seed, derived; the scenario's settings, fitted): a made log
 * must start its games as the server would, or the checker refuses it.
 */
export const startedGame = (sessionSeed: number, game: number, sc: AnyScenario, settings: unknown, seats: string[]) => ({
  seed: deriveSeed(sessionSeed, game),
  config: sc.fitConfig(settings, seats),
});

/**
 * A game started by the host at `table`, then every step simulate() played, as the server logs them.
 * `seed` and `config` must be startedGame()'s for this game (the game was simulated with them).
 */
export function gameUnits(table: string, game: number, start: number, sc: AnyScenario, seed: number, config: unknown, sim: SimResult): MadeUnit[] {
  const started: MadeUnit = {
    at: start,
    cause: { type: 'host', command: { type: 'startGames', table } },
    events: [{ type: 'gameStarted', table, game, scenario: sc.id, seed, config }],
  };
  return [
    started,
    ...sim.steps.map((step): MadeUnit => {
      const cause: Cause =
        step.cause.type === 'seat'
          ? { type: 'bot', table, seat: step.cause.seat, action: step.cause.action }
          : step.cause.type === 'control'
            ? { type: 'host', command: { type: 'controlGame', table, control: step.cause.control } }
            : { type: 'tick', table };
      return { at: step.at, cause, events: step.events.map((event): SessionEvent => ({ type: 'game', table, game, event })) };
    }),
  ];
}

/** The log's text: the header, then each unit's events numbered from 1, its first line carrying the unit. */
export function encodeLog(header: SessionHeader, units: MadeUnit[]): string {
  let seq = 0;
  let text = encodeLine(header);
  for (const u of units) {
    u.events.forEach((e, i) => {
      const line = { seq: ++seq, at: u.at, ...e, ...(i === 0 ? { unit: { lines: u.events.length, cause: u.cause } } : {}) } as LogEvent;
      text += encodeLine(line);
    });
  }
  return text;
}
