// A road level as a Scenario: the engine every level shares. It owns the valley (crossings, the valley
// seat's hands, the host's crash and restart), the servers' x and executed lists, what clients are done
// with, and the game's end; the level's protocol decides its seats' own actions.
import { assertNever } from '../assert.ts';
import { label, type Diagram, type Label } from '../diagram.ts';
import { clockControl, messengerFact, messengerIndex, resumeClock, withMessenger } from '../valley.ts';
import { crossing, heldPatch, isHand, nextCrossing, releasedPatch, releasesDue, stopEach, valleyHand } from '../valley-hands.ts';
import { refuse, type Decision, type Facts, type GameControl, type Scenario } from '../scenario.ts';
import { Ctx } from './ctx.ts';
import { allDone, failuresOf } from './failures.ts';
import { simulate } from '../sim.ts';
import type { Protocol } from './protocol.ts';
import {
  type CoreEvent,
  type Messenger,
  type Role,
  type RoadConfig,
  type RoadState,
  type LessonAction,
  type ValleyAction,
  REFLECTION_MAX,
  VALLEY,
  clientIds,
  run,
  serverIds,
  showOp,
} from './model.ts';
import { type RoadVerdict, type RoadView, board, seatView, summaryOf, verdictOf } from './view.ts';

/** The rules every level shares: the game's clock, seats, the valley's hands. */
export const CORE_RULES = {
  notRunning: 'game/not-running',
  notASeat: 'game/not-a-seat',
  notPaused: 'game/not-paused',
  unsupported: 'game/unsupported-control',
  seatCrashed: 'road/seat-crashed',
  wrongRole: 'road/wrong-role',
  notInFlight: 'road/not-in-flight',
  notACrashableSeat: 'road/not-a-crashable-seat',
  badCaptureRate: 'road/bad-capture-rate',
  unknownMessenger: 'road/unknown-messenger',
  alreadyHandled: 'road/already-handled',
  predictedAlready: 'road/predicted-already',
  reflectedAlready: 'road/reflected-already',
  reflectionTooEarly: 'road/reflection-too-early',
  badReflection: 'road/bad-reflection',
} as const;

export type RoadScenario<C extends RoadConfig, P, M, A, X> = Scenario<
  C,
  RoadState<C, P, M>,
  A | ValleyAction | LessonAction,
  CoreEvent<P, M> | X,
  RoadView<P, M, A | ValleyAction>,
  RoadVerdict
> & {
  readonly protocol: Protocol<C, P & { type: string }, M, A & { type: string }, X & { type: string }>;
  /** Every seat's role at a table with these settings. */
  roles(config: C): Record<string, Role>;
  /** What the host's card and the replay show: every server side by side, clients, what crosses, failures. */
  board(state: RoadState<C, P, M>): ReturnType<typeof board>;
};

/** A showcase game lasts a minute at most, and the first of this many seeds that shows the failure is taken. */
export const SHOWCASE_MS = 60_000;
const SHOWCASE_TRIES = 200;

export function roadScenario<C extends RoadConfig, P extends { type: string }, M, A extends { type: string }, X extends { type: string } = never>(
  protocol: Protocol<C, P, M, A, X>,
): RoadScenario<C, P, M, A, X> {
  type S = RoadState<C, P, M>;
  type E = CoreEvent<P, M> | X;
  const RULES = { ...CORE_RULES, ...protocol.rules };

  const roles = (config: C): Record<string, Role> => {
    const r: Record<string, Role> = {};
    for (const c of clientIds(config)) r[c] = 'client';
    for (const s of protocol.extraSeats?.(config) ?? []) r[s.seat] = s.role;
    for (const s of serverIds(config)) r[s] = 'server';
    if (config.valley) r[VALLEY] = 'valley';
    return r;
  };
  // Roles are asked for at every view and decision of long games: one record per settings object.
  const rolesCache = new WeakMap<C, Record<string, Role>>();
  const rolesOf = (config: C) => {
    let r = rolesCache.get(config);
    if (!r) rolesCache.set(config, (r = roles(config)));
    return r;
  };
  const ctx = (state: S, at: number) => new Ctx<C, P, M, X>(state, at, protocol.script, rolesOf(state.config));

  function init(config: C, seed: number, at: number): S {
    const r = roles(config);
    return {
      config,
      seed,
      startedAt: at,
      deadlineAt: at + config.deadlineMs,
      status: 'running',
      pausedAt: null,
      endedAt: null,
      messengers: [],
      servers: Object.fromEntries(serverIds(config).map((s) => [s, { x: config.start, executed: [] }])),
      done: {},
      mem: Object.fromEntries(Object.entries(r).map(([seat, role]) => [seat, protocol.initMem(seat, role, config)])),
      handled: {},
      down: {},
      outages: [],
      traffic: {},
      broken: [],
      predictions: {},
      reflections: {},
      revealed: false,
      endReason: null,
    };
  }

  /** The lesson's two questions: a guess while the game runs, a line once a failure has shown (or the game is over). */
  function lesson(state: S, seat: string, action: LessonAction): Decision<E> {
    if (action.type === 'predict') {
      if (state.status !== 'running') return refuse(RULES.notRunning, { status: state.status });
      if (seat in state.predictions) return refuse(RULES.predictedAlready, { seat });
      return { ok: true, events: [{ type: 'predicted', seat, agree: action.agree }] };
    }
    if (seat in state.reflections) return refuse(RULES.reflectedAlready, { seat });
    if (state.status !== 'ended' && failuresOf(state, protocol).length === 0) return refuse(RULES.reflectionTooEarly, {});
    const text = action.text.trim().replace(/\s+/g, ' ');
    const chars = [...text].length;
    if (chars === 0 || chars > REFLECTION_MAX) return refuse(RULES.badReflection, { max: REFLECTION_MAX, chars });
    return { ok: true, events: [{ type: 'reflected', seat, text }] };
  }

  const valley = (state: S, c: ValleyAction): Decision<E> => valleyHand(state.messengers, c, RULES.notInFlight);
  /** A seat's own events, with each messenger they send stopped at the valley when the table says so. */
  const stopped = (state: S, d: Decision<E>, at: number): Decision<E> =>
    d.ok ? { ok: true, events: stopEach(state.config.stopEach && state.config.valley, d.events, at) as E[] } : d;

  function decide(state: S, seat: string, action: A | ValleyAction | LessonAction, at: number): Decision<E> {
    const role = rolesOf(state.config)[seat];
    if (!role) return refuse(RULES.notASeat, { seat });
    if (action.type === 'predict' || action.type === 'reflect') return lesson(state, seat, action as LessonAction);
    if (state.status !== 'running' || at >= state.deadlineAt) return refuse(RULES.notRunning, { status: state.status === 'running' ? 'ended' : state.status });
    if (state.down[seat] !== undefined) return refuse(RULES.seatCrashed, { seat });
    const isValley = isHand(action);
    if (isValley !== (role === 'valley')) return refuse(RULES.wrongRole, { seat, action: action.type });
    if (isValley) return valley(state, action);
    return stopped(state, protocol.decide(ctx(state, at), seat, role, action as A), at);
  }

  function control(state: S, c: GameControl, at: number): Decision<E> {
    // The fix may be shown after the game too: that is when the class talks about it.
    if (c.type === 'reveal') return { ok: true, events: state.revealed ? [] : [{ type: 'fixRevealed' }] };
    if (state.status === 'ended') return refuse(RULES.notRunning, { status: state.status });
    switch (c.type) {
      case 'pause':
      case 'resume':
      case 'end':
        return clockControl<E>(state, c, () => [{ type: 'gameEnded', reason: 'host' }])!;
      case 'crash':
      case 'restart': {
        const role = rolesOf(state.config)[c.seat];
        if (!role || role === 'valley') return refuse(RULES.notACrashableSeat, { seat: c.seat });
        if ((state.down[c.seat] !== undefined) === (c.type === 'crash')) return { ok: true, events: [] };
        return { ok: true, events: [{ type: c.type === 'crash' ? 'crashed' : 'restarted', seat: c.seat }] };
      }
      case 'hold':
      case 'release':
      case 'capture':
        return valley(state, c);
      case 'go': {
        // Every live client takes the step its screen offers first, all at the same moment.
        if (state.status !== 'running') return refuse(RULES.notRunning, { status: state.status });
        let s = state;
        const events: E[] = [];
        for (const [seat, role] of Object.entries(rolesOf(state.config))) {
          if (role !== 'client' || s.down[seat] !== undefined) continue;
          const offer = protocol.offers(ctx(s, at), seat, role).find((o) => o.primary && o.allowed);
          if (!offer) continue;
          const d = stopped(s, protocol.decide(ctx(s, at), seat, role, offer.action), at);
          if (!d.ok) continue;
          for (const e of d.events) {
            s = apply(s, e, at);
            events.push(e);
          }
        }
        return { ok: true, events };
      }
      case 'setCaptureRate':
        if (!(c.captureRate >= 0 && c.captureRate <= 1)) return refuse(RULES.badCaptureRate, { captureRate: c.captureRate });
        return { ok: true, events: [{ type: 'captureRateChanged', captureRate: c.captureRate }] };
      default:
        return assertNever(c);
    }
    void at;
  }

  /** Every client is done, nothing crosses, and no live server (or serializer) has a messenger it has not dealt with. */
  function finished(state: S): boolean {
    if (!allDone(state, protocol)) return false;
    const r = rolesOf(state.config);
    for (const m of state.messengers) {
      if (crossing(m)) return false;
      const role = r[m.to];
      if (
        m.status === 'delivered' &&
        (role === 'server' || role === 'serializer') &&
        state.down[m.to] === undefined &&
        !(state.handled[m.to]?.includes(m.n) ?? false)
      )
        return false;
    }
    return true;
  }

  function due(state: S): number | null {
    if (state.status !== 'running') return null;
    if (finished(state)) return state.startedAt;
    return nextCrossing(state.messengers, state.deadlineAt);
  }

  function tick(state: S, at: number): E[] {
    if (state.status !== 'running') return [];
    const events: E[] = releasesDue(state.messengers, at, state.deadlineAt);
    const arriving = state.messengers
      .filter((m) => m.status === 'inFlight' && m.endsAt <= at && m.endsAt < state.deadlineAt)
      .sort((x, y) => x.endsAt - y.endsAt || x.n - y.n);
    for (const m of arriving) {
      if (m.fate.type === 'captured') events.push({ type: 'messengerCaptured', n: m.n });
      // A crashed seat hears nothing: what reaches it while it is down is lost.
      else if (state.down[m.to] !== undefined) events.push({ type: 'messengerLost', n: m.n });
      else events.push({ type: 'messengerDelivered', n: m.n });
    }
    if (at >= state.deadlineAt) events.push({ type: 'gameEnded', reason: 'deadline' });
    else if (events.length === 0 && finished(state)) events.push({ type: 'gameEnded', reason: 'finished' });
    return events;
  }

  const bump = (t: Record<string, number>, ...seats: string[]) => {
    const out = { ...t };
    for (const s of seats) out[s] = (out[s] ?? 0) + 1;
    return out;
  };

  function patch(state: S, n: number, p: Partial<Messenger<P>>, ...seats: string[]): S {
    return { ...state, messengers: withMessenger(state.messengers, n, p) as Messenger<P>[], traffic: bump(state.traffic, VALLEY, ...seats) };
  }

  function apply(state: S, e: E, at: number): S {
    const core = e as CoreEvent<P, M>;
    switch (core.type) {
      case 'messengerSent': {
        // Stopped at the valley or not, the log says so: a messengerHeld line follows (stop-each).
        const m: Messenger<P> = {
          n: core.n,
          from: core.from,
          to: core.to,
          payload: core.payload,
          sentAt: at,
          fate: core.fate,
          endsAt: at + core.fate.afterMs,
          status: 'inFlight',
          heldUntil: null,
          answers: core.answers,
        };
        return { ...state, messengers: [...state.messengers, m], traffic: bump(state.traffic, core.from, VALLEY) };
      }
      case 'messengerDelivered': {
        const to = state.messengers[messengerIndex(state.messengers, core.n)]?.to ?? '';
        return patch(state, core.n, { status: 'delivered', endsAt: at }, to);
      }
      case 'messengerCaptured':
        return patch(state, core.n, { status: 'captured', endsAt: at, heldUntil: null });
      case 'messengerLost':
        return patch(state, core.n, { status: 'lost', endsAt: at });
      case 'messengerHeld':
        return patch(state, core.n, heldPatch(core.until));
      case 'messengerReleased': {
        // Released messengers go on their way; one whose crossing time has passed arrives at once.
        return patch(state, core.n, releasedPatch(state.messengers[messengerIndex(state.messengers, core.n)], at));
      }
      case 'executed': {
        const s = state.servers[core.server]!;
        const executed = [...s.executed, { client: core.client, pos: core.pos, op: core.op, at, n: core.n }];
        return { ...state, servers: { ...state.servers, [core.server]: { x: run(s.x, core.op), executed } }, traffic: bump(state.traffic, core.server) };
      }
      case 'done': {
        const done = state.done[core.client] ?? [];
        if (done.includes(core.pos)) return state;
        return { ...state, done: { ...state.done, [core.client]: [...done, core.pos] }, traffic: bump(state.traffic, core.client) };
      }
      case 'handled':
        return { ...state, handled: { ...state.handled, [core.seat]: [...(state.handled[core.seat] ?? []), core.n] }, traffic: bump(state.traffic, core.seat) };
      case 'noted':
        return { ...state, mem: { ...state.mem, [core.seat]: { ...state.mem[core.seat]!, ...core.mem } }, traffic: bump(state.traffic, core.seat) };
      case 'fixRevealed':
        return { ...state, revealed: true, traffic: Object.fromEntries(Object.keys(rolesOf(state.config)).map((s) => [s, (state.traffic[s] ?? 0) + 1])) };
      case 'predicted':
        return { ...state, predictions: { ...state.predictions, [core.seat]: core.agree }, traffic: bump(state.traffic, core.seat) };
      case 'reflected':
        return { ...state, reflections: { ...state.reflections, [core.seat]: core.text }, traffic: bump(state.traffic, core.seat) };
      case 'ruleBroken':
        return { ...state, broken: [...state.broken, { seat: core.seat, rule: core.rule, evidence: core.evidence, at }] };
      case 'crashed':
        return {
          ...state,
          down: { ...state.down, [core.seat]: at },
          outages: [...state.outages, { seat: core.seat, from: at, to: null }],
          traffic: bump(state.traffic, core.seat),
        };
      case 'restarted': {
        const { [core.seat]: _, ...down } = state.down;
        const outages = state.outages.map((o) => (o.seat === core.seat && o.to === null ? { ...o, to: at } : o));
        return { ...state, down, outages, traffic: bump(state.traffic, core.seat) };
      }
      case 'captureRateChanged':
        return { ...state, config: { ...state.config, captureRate: core.captureRate } };
      case 'paused':
        return { ...state, status: 'paused', pausedAt: at };
      case 'resumed':
        return resumeClock(state, at);
      case 'gameEnded':
        return { ...state, status: 'ended', endedAt: at, endReason: core.reason };
      default:
        if (!protocol.apply) throw new Error(`unknown event ${(e as { type: string }).type}`);
        return protocol.apply(state, e as X, at);
    }
  }

  function diagram(state: S): Diagram {
    const marks: Diagram['marks'] = [];
    for (const s of serverIds(state.config))
      for (const x of state.servers[s]!.executed)
        marks.push({ seat: s, at: x.at, kind: 'decision', label: label('road.mark.executed', { op: showOp(x.op), command: `${x.client}#${x.pos + 1}` }) });
    for (const b of state.broken) marks.push({ seat: b.seat, at: b.at, kind: 'broken', label: label(`rule.${b.rule}`, b.evidence) });
    for (const o of state.outages) marks.push({ seat: o.seat, at: o.from, kind: 'broken', label: label('road.mark.crashed') });
    if (state.endedAt !== null)
      for (const f of board(state, protocol, rolesOf(state.config)).failures)
        marks.push({ seat: f.seat, at: state.endedAt, kind: 'outcome', label: label(`road.failure.${f.id}`) });
    marks.sort((a, b) => a.at - b.at);
    return {
      lanes: Object.entries(rolesOf(state.config)).map(([seat, role]) => ({ seat, label: label(`road.role.${role}`, { seat }) })),
      messengers: state.messengers.map((m) => ({
        n: m.n,
        from: m.from,
        to: m.to,
        sentAt: m.sentAt,
        endsAt: m.endsAt,
        status: m.status,
        label: protocol.payloadLabel(m.payload),
      })),
      marks,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
    };
  }

  const facts: Facts<S, E> = {
    messenger: messengerFact,
    valley: (state) => ({ seed: state.seed, settings: state.config }),
    broken: (e) =>
      e.type === 'ruleBroken'
        ? { seat: (e as { seat: string }).seat, rule: (e as { rule: string }).rule, evidence: (e as { evidence: Record<string, string | number> }).evidence }
        : null,
    audit(before, e) {
      if (e.type !== 'executed') return [];
      // What a server executed is the command the client's script holds at that place, and a server that exists.
      const x = e as Extract<CoreEvent<P, M>, { type: 'executed' }>;
      const op = protocol.script(before.config, x.client)[x.pos];
      if (!before.servers[x.server]) return [`says ${x.server} executed a command, but there is no such server`];
      return op === x.op ? [] : [`says ${x.server} executed ${x.client}#${x.pos + 1} as ${x.op}, but that command is ${op ?? 'not in the script'}`];
    },
  };

  const scenario: RoadScenario<C, P, M, A, X> = {
    id: protocol.id,
    protocol,
    ...(protocol.next !== undefined && { next: protocol.next }),
    // A failure that needs a crash is shown by the host's own hand: a showcase plays without one.
    showcase: protocol.showcase.crash
      ? undefined
      : (config, seedOf, chosen) => {
          // Bots at every seat and the seeded valley (no valley seat), a minute at most.
          const { failure, config: over } = protocol.showcase;
          const shown = { ...config, ...over, valley: false, stopEach: false, deadlineMs: SHOWCASE_MS } as C;
          const shows = (seed: number) => failuresOf(simulate(scenario, shown, seed, { maxEvents: 5000 }).state as S, protocol).some((f) => f.id === failure);
          const tried = Array.from({ length: SHOWCASE_TRIES }, (_, k) => seedOf(k));
          // A seed chosen before (the log says which): one game to check it, not a search.
          if (chosen !== undefined) return tried.includes(chosen) && shows(chosen) ? { config: shown, seed: chosen } : null;
          const seed = tried.find(shows);
          return seed === undefined ? null : { config: shown, seed };
        },
    botSeats: (config) => (protocol.studentServers ? [] : serverIds(config)),
    rules: RULES,
    roles,
    board: (state) => board(state, protocol, rolesOf(state.config)),
    seatsFor: (config) => Object.keys(roles(config)),
    fitConfig: (config) => config,
    defaultConfig: protocol.defaultConfig,
    init,
    decide,
    apply,
    control,
    due,
    tick,
    view: (state, seat) => {
      if (!rolesOf(state.config)[seat]) throw new Error(`not a seat: ${seat}`);
      const v = seatView<P, M, A | ValleyAction>(ctx(state, state.endedAt ?? state.startedAt), protocol, protocol.id, seat, rolesOf(state.config));
      if (state.status === 'ended') return { ...v, diagram: diagram(state) };
      return protocol.conceal ? (protocol.conceal(v as RoadView<P, M, A>, state) as RoadView<P, M, A | ValleyAction>) : v;
    },
    verdict: (state) => verdictOf(state, protocol),
    summary: summaryOf,
    seatLabel: roadSeatLabel,
    decisions: (v) => [label('road.summary.servers', { servers: v.servers.map((s) => `${s.seat}: x=${s.x}`).join(', ') })],
    ended: (s) => s.status === 'ended',
    diagram,
    facts,
    attention: (state, seat) => (state.traffic[seat] ?? 0) * 4 + (state.status === 'running' ? 0 : state.status === 'paused' ? 1 : 2),
    // A student's one line is free text: an anonymised log shows a neutral label in its place.
    redact: (e, label) => (e.type === 'reflected' ? { ...e, text: label('note', (e as { text: string }).text) } : e),
    redactAction: (a, label) => (a.type === 'reflect' ? { ...a, text: label('note', (a as LessonAction & { type: 'reflect' }).text) } : a),
    bot: (view, at) => (view.role === 'valley' ? { actions: [], wakeAt: null } : protocol.bot(view as RoadView<P, M, A>, at)),
  };
  return scenario;
}

/** A road seat's name from its id: clients C1–C3, servers S1–S3, the serializer Z, the valley V. */
export function roadSeatLabel(seat: string): Label {
  if (seat === 'V') return label('road.role.valley');
  if (seat === 'Z') return label('road.role.serializer', { seat });
  return label(seat.startsWith('C') ? 'road.role.client' : 'road.role.server', { seat });
}
