// A session driven through the rules without a server, for unit tests: every allowed decision is
// applied as the server applies it, and kept as the unit the server would write, so a test can also
// hand the session's log to the checker.
import {
  LOG_FORMAT,
  LOG_VERSION,
  decideHost,
  decideJoin,
  initialSession,
  loggedCommand,
  reduce,
  reportHost,
  type Cause,
  type Decision,
  type HostCommand,
  type LogEvent,
  type SessionEvent,
  type SessionHeader,
  type SessionState,
} from '@valley/shared';
import { encodeLog, type MadeUnit } from '../../scripts/session-log.ts';

/** A session's header for a test (no host key: the rules never ask for it). */
export const testHeader = (sessionId: string, code: string, seed: number): SessionHeader => ({
  type: 'header',
  format: LOG_FORMAT,
  version: LOG_VERSION,
  sessionId,
  code,
  createdAt: 1_000,
  seed,
  hostTokenHash: '',
});

/** A refusal as decideHost and decideJoin give it. */
export const refusal = (rule: string, evidence: Record<string, string | number> = {}) => ({ ok: false, refusal: { rule, evidence } });

export class SessionDriver {
  state: SessionState;
  now: number;
  /** Every unit applied, with its cause, as the server writes them. */
  units: MadeUnit[] = [];

  constructor(readonly header: SessionHeader) {
    this.state = initialSession(header);
    this.now = header.createdAt;
  }

  /** These events, applied now as one unit with this cause. */
  apply(events: SessionEvent[], cause: Cause) {
    for (const e of events) this.state = reduce(this.state, { seq: this.state.seq + 1, at: this.now, ...e } as LogEvent);
    this.units.push({ at: this.now, cause, events });
  }
  decideJoin(name: string): Decision<SessionEvent> {
    return decideJoin(this.state, name, `P${this.state.playerOrder.length + 1}`, `hash-${name}`);
  }
  /** A student joins; fails the test if refused. Returns their player id. */
  join(name: string): string {
    const r = this.decideJoin(name);
    if (!r.ok) throw new Error(`join ${name} refused: ${JSON.stringify(r.refusal)}`);
    this.apply(r.events, { type: 'join' });
    return `P${this.state.playerOrder.length}`;
  }
  /** Several students join, in order. */
  joinAll(...names: string[]): string[] {
    return names.map((name) => this.join(name));
  }
  decide(cmd: HostCommand): Decision<SessionEvent> {
    return decideHost(this.state, cmd, this.now);
  }
  /** A host command that must be allowed: its events are applied and returned. */
  host(cmd: HostCommand): SessionEvent[] {
    const r = this.decide(cmd);
    if (!r.ok) throw new Error(`${cmd.type} refused: ${JSON.stringify(r.refusal)}`);
    this.apply(r.events, { type: 'host', command: loggedCommand(cmd, r) });
    return r.events;
  }
  /** The host command, with what the console would be told. */
  report(cmd: HostCommand) {
    const before = this.state;
    return reportHost(before, cmd, this.host(cmd));
  }
  /** The host ends the game at this table. */
  end(table: string) {
    this.host({ type: 'controlGame', table, control: { type: 'end' } });
  }
  seats(table: string) {
    return this.state.tables[table]!.seats;
  }
  /** The session's log as the server would have written it. */
  log(): string {
    return encodeLog(this.header, this.units);
  }
}
