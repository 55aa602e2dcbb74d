// The realtime gateway: checks every inbound message's shape and who sent it, hands it to the session,
// and sends each viewer only what it may see. The sender of an action is the connection's seat,
// never a field of the message.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { SESSION_RULES, hostTable, hostView, normaliseCode, playerView, scenarioOf, seatOf } from '@valley/shared';
import { ERRORS, EVENTS, actionSchemas, hostAttach, hostCommand, playerAct, playerJoin, playerResume, settingsSchemas } from '@valley/shared/protocol';
import type { Clock } from './clock.ts';
import { TokenBucket, WindowCounter, type Limits } from './limits.ts';
import type { Registry } from './sessions/registry.ts';
import { fail, type Change, type LiveSession, type Result } from './sessions/session.ts';

type Role = { role: 'none' } | { role: 'host'; sessionId: string } | { role: 'player'; sessionId: string; playerId: string };

const KNOWN = new Set<string>([EVENTS.hostAttach, EVENTS.hostCommand, EVENTS.playerJoin, EVENTS.playerResume, EVENTS.playerAct]);

const hostRoom = (sessionId: string) => `host:${sessionId}`;
const playerRoom = (sessionId: string, playerId: string) => `player:${sessionId}:${playerId}`;

/** A schema violation, told back with where it is and what kind (never the offending value). */
function badMessage(error: z.ZodError, under: string[] = []) {
  const issue = error.issues[0];
  return fail(ERRORS.badMessage, { path: [...under, ...(issue?.path ?? [])].join('.').slice(0, 80), problem: issue?.code ?? '' });
}

type Ack = (r: Result<Record<string, unknown>>) => void;

export class Gateway {
  private joinsByAddress: WindowCounter;
  private connections = new Map<string, number>();

  constructor(
    private io: Server,
    private registry: Registry,
    private clock: Clock,
    private limits: Limits,
    private log: Logger,
  ) {
    this.joinsByAddress = new WindowCounter(limits.joinsPerAddress, 60_000);
    io.on('connection', (socket) => this.connect(socket));
  }

  /** Redraw the screens a change touched. Called by sessions, coalesced per turn of the event loop. */
  notify = (s: LiveSession, change: Change) => {
    const now = this.clock.now();
    if (change.session) {
      this.io.to(hostRoom(s.id)).emit(EVENTS.hostView, { now, view: hostView(s.state), storageError: s.storageError });
    } else {
      // Only a game moved: send the host just the tables that changed (a hall has hundreds).
      for (const id of change.tables) this.io.to(hostRoom(s.id)).emit(EVENTS.hostTable, { now, table: hostTable(s.state, id), results: s.state.results });
    }
    for (const id of change.players) {
      if (change.removed.has(id)) continue;
      const view = playerView(s.state, id);
      if (view) this.io.to(playerRoom(s.id, id)).emit(EVENTS.playerView, { now, view });
    }
    for (const id of change.removed) {
      this.io.to(playerRoom(s.id, id)).emit(EVENTS.playerRemoved);
      this.io.in(playerRoom(s.id, id)).disconnectSockets(true);
    }
  };

  private connect(socket: Socket) {
    const address = socket.handshake.address;
    const open = (this.connections.get(address) ?? 0) + 1;
    this.connections.set(address, open);
    socket.on('disconnect', () => {
      const n = (this.connections.get(address) ?? 1) - 1;
      if (n <= 0) this.connections.delete(address);
      else this.connections.set(address, n);
    });
    if (open > this.limits.connectionsPerAddress) {
      socket.emit('valley:error', { rule: ERRORS.rateLimited, evidence: {} });
      socket.disconnect(true);
      return;
    }

    let role: Role = { role: 'none' };
    const bucket = new TokenBucket(this.limits.socketRate, this.limits.socketBurst);
    const joins = new WindowCounter(this.limits.joinsPerSocket, 60_000);
    // Refused messages are counted per minute, so a long lesson's honest mistakes never add up to a kick.
    const strikes = new WindowCounter(this.limits.socketStrikes, 60_000);
    // A connection that never joins or attaches costs memory for nothing: close it.
    const authTimer = setTimeout(() => {
      if (role.role === 'none') socket.disconnect(true);
    }, this.limits.authTimeoutMs);
    authTimer.unref();
    socket.on('disconnect', () => clearTimeout(authTimer));

    const strike = () => {
      if (!strikes.hit('x')) {
        this.log.warn({ address }, 'socket disconnected after too many refused messages');
        socket.disconnect(true);
      }
    };

    socket.use(([event, ...args], next) => {
      const ack = args.at(-1);
      const reply = (rule: string) => {
        strike();
        if (typeof ack === 'function') (ack as Ack)(fail(rule));
        else socket.emit('valley:error', { rule, evidence: { event: String(event).slice(0, 40) } });
      };
      if (!bucket.take()) return reply(ERRORS.rateLimited);
      if (!KNOWN.has(event)) return reply(ERRORS.unknownEvent);
      if (typeof ack !== 'function' || args.length !== 2) return reply(ERRORS.badMessage);
      next();
    });

    const handle = <S extends z.ZodType>(event: string, schema: S, fn: (msg: z.infer<S>) => Promise<Result<Record<string, unknown>>>) => {
      socket.on(event, async (payload: unknown, ack: Ack) => {
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          strike();
          return ack(badMessage(parsed.error));
        }
        try {
          const r = await fn(parsed.data);
          if (!r.ok) strike();
          ack(r);
        } catch (err) {
          this.log.error({ err: (err as Error).message, event }, 'handler failed');
          ack(fail(ERRORS.internal));
        }
      });
    };

    const session = (id: string) => this.registry.byId.get(id);

    handle(EVENTS.hostAttach, hostAttach, async (m) => {
      const s = session(m.sessionId);
      if (!s || !s.checkHost(m.hostToken)) return fail(ERRORS.badToken);
      role = { role: 'host', sessionId: s.id };
      await socket.join(hostRoom(s.id));
      return { ok: true, now: this.clock.now(), view: hostView(s.state), storageError: s.storageError };
    });

    handle(EVENTS.hostCommand, hostCommand, async (cmd) => {
      if (role.role !== 'host') return fail(ERRORS.notHost);
      if (cmd.type === 'setSettings') {
        const schema = settingsSchemas[cmd.scenario];
        if (!schema) return fail(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
        const parsed = schema.safeParse(cmd.settings);
        if (!parsed.success) return badMessage(parsed.error, ['settings']);
      }
      const s = session(role.sessionId)!;
      return s.host(cmd);
    });

    const tooManyJoins = () => !joins.hit('x') || !this.joinsByAddress.hit(address);
    // Unknown, ended and full sessions all get the same answer: a guess learns nothing.
    const byCode = (raw: string) => this.registry.byCode.get(normaliseCode(raw));

    const enter = async (s: LiveSession, playerId: string) => {
      role = { role: 'player', sessionId: s.id, playerId };
      await socket.join(playerRoom(s.id, playerId));
      return { now: this.clock.now(), view: playerView(s.state, playerId) };
    };

    handle(EVENTS.playerJoin, playerJoin, async (m) => {
      if (tooManyJoins()) return fail(ERRORS.tooManyAttempts);
      if (role.role !== 'none') return fail(ERRORS.badMessage, { problem: 'already-joined' });
      const s = byCode(m.code);
      if (!s) return fail(ERRORS.unknownCode);
      const r = await s.join(m.name);
      if (!r.ok) return r;
      this.log.info({ session: s.id, player: r.playerId }, 'player joined');
      return { ok: true, token: r.token, playerId: r.playerId, ...(await enter(s, r.playerId)) };
    });

    handle(EVENTS.playerResume, playerResume, async (m) => {
      if (tooManyJoins()) return fail(ERRORS.tooManyAttempts);
      const s = byCode(m.code);
      if (!s) return fail(ERRORS.unknownCode);
      const playerId = s.playerByToken(m.token);
      if (!playerId) return fail(ERRORS.badToken);
      // Resuming the seat this connection already holds is harmless; any other switch is refused.
      const same = role.role === 'player' && role.sessionId === s.id && role.playerId === playerId;
      if (role.role !== 'none' && !same) return fail(ERRORS.badMessage, { problem: 'already-joined' });
      return { ok: true, playerId, ...(await enter(s, playerId)) };
    });

    handle(EVENTS.playerAct, playerAct, async (m) => {
      if (role.role !== 'player') return fail(ERRORS.notJoined);
      const s = session(role.sessionId)!;
      const at = seatOf(s.state, role.playerId);
      if (!at) return fail(ERRORS.notSeated);
      const table = s.state.tables[at.table]!;
      if (!table.game) return fail(ERRORS.noGame);
      // Each scenario's actions have their own schema; a scenario id always has one.
      const schema = actionSchemas[scenarioOf(table.game.scenario).id]!;
      const parsed = schema.safeParse(m.action);
      if (!parsed.success) return badMessage(parsed.error);
      return s.act(role.playerId, parsed.data);
    });
  }
}
