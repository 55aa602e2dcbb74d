// The realtime gateway: admits connections (limits per address and per socket), checks every inbound
// message's shape and who sent it, and hands it to the session. The sender of an action is the
// connection's seat, never a field of the message. What each viewer is then sent: screens/.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { SESSION_RULES, hostTable, hostView, isScenarioId, normaliseCode, playerView, scenarioOf, seatOf, type ScenarioId } from '@valley/shared';
import { ERRORS, EVENTS, hostAttach, hostCommand, hostWatch, playerAct, playerJoin, playerResume, scenarioSchemas } from '@valley/shared/protocol';
import type { Clock } from './clock.ts';
import { TokenBucket, WindowCounter, type Limits } from './limits.ts';
import type { Registry } from './sessions/registry.ts';
import { HostScreens, hostRoom } from './screens/host.ts';
import { PlayerScreens, playerRoom } from './screens/players.ts';
import { emitToRoom } from './wire.ts';
import { fail, type Change, type LiveSession, type Result } from './sessions/session.ts';

type Role = { role: 'none' } | { role: 'host'; sessionId: string } | { role: 'player'; sessionId: string; playerId: string };

const KNOWN = new Set<string>([EVENTS.hostAttach, EVENTS.hostCommand, EVENTS.hostWatch, EVENTS.playerJoin, EVENTS.playerResume, EVENTS.playerAct]);

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
    this.hostScreens = new HostScreens(io, clock);
    this.playerScreens = new PlayerScreens(io, clock);
    io.on('connection', (socket) => this.connect(socket));
  }

  private hostScreens: HostScreens;
  private playerScreens: PlayerScreens;

  /** Redraw what a change touched, on the hosts' and the students' screens. Called by sessions. */
  notify = (s: LiveSession, change: Change) => {
    this.hostScreens.changed(s, change);
    this.playerScreens.changed(s, change);
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
      if (role.role === 'host' && role.sessionId !== s.id) this.hostScreens.unwatch(session(role.sessionId), socket.id);
      role = { role: 'host', sessionId: s.id };
      this.hostScreens.watch(s, socket.id, m.watch);
      await socket.join(hostRoom(s.id));
      const shown = m.watch == null ? () => true : (id: string) => m.watch!.includes(id);
      return { ok: true, now: this.clock.now(), view: hostView(s.state, shown), storageError: s.storageError };
    });

    // A host screen says which tables it shows (those on screen): only they come with every messenger.
    handle(EVENTS.hostWatch, hostWatch, async (m) => {
      if (role.role !== 'host') return fail(ERRORS.notHost);
      const s = session(role.sessionId)!;
      this.hostScreens.watch(s, socket.id, m.tables);
      const ids = (m.tables ?? s.state.tableOrder).filter((id) => s.state.tables[id]);
      return { ok: true, now: this.clock.now(), tables: ids.map((id) => hostTable(s.state, id, true)) };
    });
    socket.on('disconnect', () => {
      if (role.role === 'host') this.hostScreens.unwatch(session(role.sessionId), socket.id);
    });

    handle(EVENTS.hostCommand, hostCommand, async (cmd) => {
      if (role.role !== 'host') return fail(ERRORS.notHost);
      if (cmd.type === 'setSettings') {
        const schema = isScenarioId(cmd.scenario) ? scenarioSchemas[cmd.scenario].settings : undefined;
        if (!schema) return fail(SESSION_RULES.unknownScenario, { scenario: cmd.scenario });
        const parsed = schema.safeParse(cmd.settings);
        if (!parsed.success) return badMessage(parsed.error, ['settings']);
      }
      const s = session(role.sessionId)!;
      if (cmd.type === 'controlGame') {
        // A control the table's scenario does not have is refused here, with the rule every game shares.
        const game = s.state.tables[cmd.table]?.game;
        const controls: readonly string[] = game ? scenarioSchemas[game.scenario as ScenarioId].controls : [];
        if (game && !controls.includes(cmd.control.type)) {
          return fail('game/unsupported-control', { control: cmd.control.type });
        }
      }
      return s.host(cmd);
    });

    const tooManyJoins = () => !joins.hit('x') || !this.joinsByAddress.hit(address);
    // Unknown, ended and full sessions all get the same answer: a guess learns nothing.
    const byCode = (raw: string) => this.registry.byCode.get(normaliseCode(raw));

    /** Seat this connection as the student: their whole screen and its version, which patches follow. */
    const enter = async (s: LiveSession, playerId: string) => {
      role = { role: 'player', sessionId: s.id, playerId };
      // Screens of theirs already open (another tab) get what changed first; this one starts from now.
      const room = playerRoom(s.id, playerId);
      const patch = this.playerScreens.advance(s, playerId);
      if (patch) emitToRoom(this.io, room, EVENTS.playerView, { now: this.clock.now(), patch });
      await socket.join(room);
      const screens = this.playerScreens.screensOf(s);
      let screen = screens.get(playerId);
      if (!screen) {
        const view = playerView(s.state, playerId);
        if (!view) return { now: this.clock.now(), view: null, v: 0 };
        screens.set(playerId, (screen = { view, v: 0 }));
      }
      return { now: this.clock.now(), view: screen.view, v: screen.v };
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
      // A wrong code and a wrong token get the same answer: a resume never tells a live code from a guess.
      const s = byCode(m.code);
      const playerId = s?.playerByToken(m.token);
      // A student removed while their laptop was closed learns it when they come back.
      if (s && !playerId && s.removedByToken(m.token)) return fail(ERRORS.removed);
      if (!s || !playerId) return fail(ERRORS.badToken);
      // Resuming the seat this connection already holds is harmless; any other switch is refused.
      const same = role.role === 'player' && role.sessionId === s.id && role.playerId === playerId;
      if (role.role !== 'none' && !same) return fail(ERRORS.badMessage, { problem: 'already-joined' });
      return { ok: true, playerId, ...(await enter(s, playerId)) };
    });

    handle(EVENTS.playerAct, playerAct, async (m) => {
      if (role.role !== 'player') return fail(ERRORS.notJoined);
      const s = session(role.sessionId)!;
      // A retry of an action already taken gets the first answer again, whatever has happened since.
      if (m.id !== undefined) {
        const prior = s.answered(role.playerId, m.id, m.action);
        if (prior) return prior;
      }
      const at = seatOf(s.state, role.playerId);
      if (!at) return fail(ERRORS.notSeated);
      const table = s.state.tables[at.table]!;
      if (!table.game) return fail(ERRORS.noGame);
      // Each scenario's actions have their own schema: the registry is typed so that every scenario has one.
      const schema = scenarioSchemas[scenarioOf(table.game.scenario).id as ScenarioId].action;
      const parsed = schema.safeParse(m.action);
      if (!parsed.success) return badMessage(parsed.error);
      const r = await s.act(role.playerId, parsed.data, m.id === undefined ? undefined : { id: m.id, raw: m.action });
      if (!r.ok || !m.view) return r;
      // What the action changed on the student's screen rides on the answer (their other tabs get it
      // as usual); the redraw that follows finds nothing more to send.
      const patch = this.playerScreens.advance(s, role.playerId);
      if (patch) emitToRoom(this.io, playerRoom(s.id, role.playerId), EVENTS.playerView, { now: this.clock.now(), patch }, socket.id);
      return { ...r, now: this.clock.now(), patch };
    });
  }
}
