// A session log made without a server, for the recorded examples and the bench's large log: a table
// of bots opened, and events numbered into the log's text (what parseLog reads back).
import { LOG_FORMAT, LOG_VERSION, encodeLine, type AnyScenario, type LogEvent, type SessionEvent, type SessionHeader } from '@valley/shared';

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

/** A table of this scenario with a bot in every seat. */
export const botTable = (table: string, sc: AnyScenario, seats: string[]): SessionEvent[] => [
  { type: 'tableCreated', table, scenario: sc.id, seats },
  ...seats.map((seat): SessionEvent => ({ type: 'seatChanged', table, seat, occupant: { type: 'bot' } })),
];

/** The log's text: the header, then the events numbered from 1 in the order given. */
export function encodeLog(header: SessionHeader, events: { at: number; e: SessionEvent }[]): string {
  return encodeLine(header) + events.map(({ at, e }, i) => encodeLine({ seq: i + 1, at, ...e } as LogEvent)).join('');
}
