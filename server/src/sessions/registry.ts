// All sessions on this server, by id and by join code; creating them, and rebuilding them from their
// logs at start-up. Sessions are independent: none reads another's state.
import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { CODE_LENGTH, LOG_FORMAT, LOG_VERSION, initialSession, type ParsedLog, type SessionHeader } from '@valley/shared';
import type { Clock } from '../clock.ts';
import type { LogStore } from '../store.ts';
import { LiveSession, type Notify } from './session.ts';
import { hashToken, newToken, randomCode } from './tokens.ts';

export class Registry {
  readonly byId = new Map<string, LiveSession>();
  readonly byCode = new Map<string, LiveSession>();
  /** Logs that could not be recovered, with the reason: shown to an operator, never skipped silently. */
  readonly broken: { sessionId: string; line: number; reason: string }[] = [];

  constructor(
    private store: LogStore,
    private clock: Clock,
    private log: Logger,
    private notify: Notify,
    /**
     * The sessions this registry may hold, by id and by join code (a worker's part, see
     * cluster/partition.ts); every session when alone. New ids and codes are drawn until they are its own.
     */
    private owns: (key: string) => boolean = () => true,
    /**
     * Past one machine (nodes/): a new session's id and code are claimed in the directory shared by
     * every node before its log is made; false means another node has the code, and both are drawn again.
     */
    private claim: ((sessionId: string, code: string) => Promise<boolean>) | null = null,
  ) {}

  private newCode(): string {
    for (;;) {
      const code = randomCode(CODE_LENGTH);
      if (!this.byCode.has(code) && this.owns(code)) return code;
    }
  }

  private newId(): string {
    for (;;) {
      const id = randomBytes(12).toString('base64url');
      if (this.owns(id)) return id;
    }
  }

  async create(): Promise<{ session: LiveSession; hostToken: string }> {
    const hostToken = newToken();
    let sessionId = this.newId();
    let code = this.newCode();
    while (this.claim && !(await this.claim(sessionId, code))) {
      sessionId = this.newId();
      code = this.newCode();
    }
    const header: SessionHeader = {
      type: 'header',
      format: LOG_FORMAT,
      version: LOG_VERSION,
      sessionId,
      code,
      createdAt: this.clock.now(),
      seed: randomInt(0x7fffffff),
      hostTokenHash: hashToken(hostToken),
    };
    await this.store.create(header);
    const session = this.add(new LiveSession(initialSession(header), this.store, this.clock, this.log, this.notify));
    this.log.info({ session: header.sessionId }, 'session created');
    return { session, hostToken };
  }

  private add(s: LiveSession): LiveSession {
    this.byId.set(s.id, s);
    this.byCode.set(s.code, s);
    return s;
  }

  /**
   * Rebuild every session it holds from its log (those `mine` names, by default its own part), and set
   * its valley and bots going again.
   */
  async recover(mine: (sessionId: string) => boolean = this.owns) {
    for (const { sessionId, parsed } of await this.store.loadAll(mine)) this.revive(sessionId, parsed);
    if (this.byId.size > 0) this.log.info({ sessions: this.byId.size }, 'sessions recovered from logs');
  }

  /**
   * Rebuild one session from its log, as recover() does, when another node that held it is gone (see
   * nodes/): the session, or null if there is no such log or it is damaged (then listed in `broken`).
   */
  async recoverOne(sessionId: string): Promise<LiveSession | null> {
    const held = this.byId.get(sessionId);
    if (held) return held;
    for (const { parsed } of await this.store.loadAll((id) => id === sessionId)) this.revive(sessionId, parsed);
    return this.byId.get(sessionId) ?? null;
  }

  private revive(sessionId: string, parsed: ParsedLog) {
    if (!parsed.ok) {
      this.broken.push({ sessionId, ...parsed.error });
      this.log.error({ session: sessionId, line: parsed.error.line, reason: parsed.error.reason }, 'session log is damaged; not recovered');
      return;
    }
    for (const w of parsed.warnings) this.log.warn({ session: sessionId, line: w.line }, w.reason);
    const s = this.add(new LiveSession(parsed.state, this.store, this.clock, this.log, this.notify));
    s.rememberActions(parsed.events);
    s.resumeAll();
  }

  async idle() {
    await Promise.all([...this.byId.values()].map((s) => s.idle()));
  }

  stop() {
    for (const s of this.byId.values()) s.stop();
  }
}
