// What a seat of a road level sees, and what the host's card and the replay show. A seat sees what it
// holds, what reached it and what it sent (fates hidden), and what it may do now — each offer with the
// reason when the rules forbid it, so the screen only renders. It never sees a crash but its own: from a
// seat, crashed and slow look the same. The board is the projector's truth beside what clients believe.
import { heldCount } from '../valley-hands.ts';
import { label, type Diagram, type Label } from '../diagram.ts';
import type { Ctx } from './ctx.ts';
import type { AnyProtocol } from './protocol.ts';
import { failuresOf, prefixOf, waitingOn } from './failures.ts';
import {
  type Failure,
  type FailureId,
  type Messenger,
  type MessengerStatus,
  type Offer,
  type Op,
  type Role,
  type RoadConfig,
  type RoadState,
  clientIds,
  serverIds,
  showOp,
  VALLEY,
} from './model.ts';

export interface InboxLine<P, A> {
  n: number;
  from: string;
  payload: P;
  label: Label;
  arrivedAt: number;
  handled: boolean;
  offers: Offer<A>[];
}

export interface SentLine<P> {
  n: number;
  to: string;
  payload: P;
  label: Label;
  sentAt: number;
}

export interface ScriptLine {
  op: Op;
  /** done: the client believes it executed; next: the one to work on. */
  state: 'done' | 'next' | 'later';
}

export interface CrossingLine<A> {
  n: number;
  from: string;
  to: string;
  label: Label;
  status: MessengerStatus;
  endsAt: number;
  heldUntil: number | null;
  offers: Offer<A>[];
}

export interface RoadView<P = unknown, M = unknown, A = unknown> {
  scenario: string;
  seat: string;
  role: Role;
  status: RoadState['status'];
  mode: RoadConfig['mode'];
  startedAt: number;
  deadlineAt: number;
  pausedAt: number | null;
  /** Only a seat's own crash: it cannot tell another seat's crash from slowness. */
  crashed: boolean;
  /** The other seats at the table, with their roles. */
  peers: { seat: string; role: Role }[];
  /** What this seat remembers (the level's own), for its bot. */
  mem: M;
  holds: Label[];
  /** A client's script and how far it believes it got. */
  script: ScriptLine[];
  /** A server's x and what it executed. */
  server: { x: number; executed: { op: Op; label: Label }[] } | null;
  inbox: InboxLine<P, A>[];
  sent: SentLine<P>[];
  offers: Offer<A>[];
  /** For the valley seat: every messenger crossing now, with what it may do to each. */
  crossing: CrossingLine<A>[];
  resendMs: number;
  /** This seat's guess before play (null: not yet), and its one line after (null: not yet). */
  prediction: boolean | null;
  reflection: string | null;
  /** Whether it may still write its line ("What would you change?"): once the game is over. */
  mayReflect: boolean;
  /** What the next level changes, once the host has revealed it. */
  fix: Label | null;
  /** Once the game has ended, everyone sees the whole board, and the game's diagram. */
  board: Board | null;
  diagram: Diagram | null;
}

export interface BoardServer {
  seat: string;
  x: number;
  executed: { op: Op; label: Label; key: string }[];
  down: boolean;
  holds: Label[];
  /** Behind another live server (its list a proper prefix of that one's): shown, not a failure. */
  lagging: boolean;
}

export interface Board {
  start: number;
  servers: BoardServer[];
  clients: { seat: string; down: boolean; script: ScriptLine[]; holds: Label[] }[];
  others: { seat: string; role: Role; down: boolean; holds: Label[] }[];
  crossing: { n: number; from: string; to: string; label: Label; status: MessengerStatus; heldUntil: number | null }[];
  /** Once the game is over: how many messengers the valley still held (they never arrived). */
  heldAtEnd: number;
  failures: Failure[];
  /** While running: "waiting", or "waiting on crashed S2". */
  waiting: Label | null;
  /** Servers that differ in their lists but happen to agree on x. */
  sameXByChance: boolean;
  /** Two clients hold the same command: a duplicate is then harder to see. */
  sharedCommands: Op[];
  /** Each time a seat was down and came back, with how long. */
  outages: { seat: string; ms: number | null }[];
  broken: RoadState['broken'];
  /** The class's guesses before play, counted; and their lines after, with no names, in an order that tells nobody's seat. */
  predictions: { agree: number; fail: number };
  reflections: string[];
  revealed: boolean;
  sent: number;
  captured: number;
}

export function scriptLines(state: RoadState, protocol: AnyProtocol, client: string): ScriptLine[] {
  const done = state.done[client] ?? [];
  const ops = protocol.script(state.config, client);
  const next = ops.findIndex((_, i) => !done.includes(i));
  return ops.map((op, i) => ({ op, state: done.includes(i) ? 'done' : i === next ? 'next' : 'later' }));
}

const opLabel = (op: Op, client: string, pos: number) => label('road.executedLine', { op: showOp(op), command: `${client}#${pos + 1}` });

export function board(state: RoadState, protocol: AnyProtocol, roles: Record<string, Role>): Board {
  const servers = serverIds(state.config);
  const failures = failuresOf(state, protocol);
  const live = servers.filter((s) => state.down[s] === undefined);
  const lists = Object.fromEntries(servers.map((s) => [s, state.servers[s]!.executed]));
  const scripts = clientIds(state.config).map((c) => protocol.script(state.config, c));
  const shared = scripts.flatMap((ops, i) => ops.filter((op) => scripts.some((other, j) => j !== i && other.includes(op))));
  return {
    start: state.config.start,
    servers: servers.map((s) => ({
      seat: s,
      x: state.servers[s]!.x,
      executed: lists[s]!.map((e) => ({ op: e.op, label: opLabel(e.op, e.client, e.pos), key: `${e.client}#${e.pos + 1}` })),
      down: state.down[s] !== undefined,
      holds: protocol.holds(state, s, 'server'),
      lagging: live.some((o) => o !== s && lists[s]!.length < lists[o]!.length && prefixOf(lists[s]!, lists[o]!)),
    })),
    clients: clientIds(state.config).map((c) => ({
      seat: c,
      down: state.down[c] !== undefined,
      script: scriptLines(state, protocol, c),
      holds: protocol.holds(state, c, 'client'),
    })),
    others: Object.entries(roles)
      .filter(([, r]) => r === 'serializer')
      .map(([seat, role]) => ({ seat, role, down: state.down[seat] !== undefined, holds: protocol.holds(state, seat, role) })),
    crossing: state.messengers
      .filter((m) => m.status === 'inFlight' || m.status === 'held')
      .map((m) => ({ n: m.n, from: m.from, to: m.to, label: protocol.payloadLabel(m.payload), status: m.status, heldUntil: m.heldUntil })),
    heldAtEnd: state.status === 'ended' ? heldCount(state.messengers) : 0,
    failures,
    waiting: waitingOn(state, protocol),
    sameXByChance: failures.some((f) => f.id === 'diverged' && f.label.key === 'road.failure.diverged.sameX'),
    sharedCommands: [...new Set(shared)],
    outages: state.outages.map((o) => ({ seat: o.seat, ms: o.to === null ? null : o.to - o.from })),
    broken: state.broken,
    predictions: { agree: Object.values(state.predictions).filter(Boolean).length, fail: Object.values(state.predictions).filter((p) => !p).length },
    reflections: Object.values(state.reflections).sort((a, b) => a.localeCompare(b)),
    revealed: state.revealed,
    sent: state.messengers.length,
    captured: state.messengers.filter((m) => m.status === 'captured').length,
  };
}

export function seatView<P, M, A>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ctx: Ctx<any, P, M, any>,
  protocol: AnyProtocol,
  scenario: string,
  seat: string,
  roles: Record<string, Role>,
): RoadView<P, M, A> {
  const state = ctx.state;
  const role = roles[seat]!;
  const ended = state.status === 'ended';
  const down = state.down[seat] !== undefined;
  const running = state.status === 'running' && !down;
  const valleyOffers = (m: Messenger<P>): Offer<A>[] =>
    running
      ? [
          ...(m.status === 'inFlight' ? [{ action: { type: 'hold', n: m.n } as A, label: label('road.valley.hold'), allowed: true, why: null }] : []),
          ...(m.status === 'held'
            ? [{ action: { type: 'release', n: m.n } as A, label: label('road.valley.release'), allowed: true, why: null, primary: true }]
            : []),
          { action: { type: 'capture', n: m.n } as A, label: label('road.valley.capture'), allowed: true, why: null },
        ]
      : [];
  const server = state.servers[seat];
  return {
    scenario,
    seat,
    role,
    status: state.status,
    mode: state.config.mode,
    startedAt: state.startedAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    crashed: down,
    peers: Object.entries(roles)
      .filter(([s]) => s !== seat)
      .map(([s, r]) => ({ seat: s, role: r })),
    mem: state.mem[seat] as M,
    holds: protocol.holds(state, seat, role),
    script: role === 'client' ? scriptLines(state, protocol, seat) : [],
    server: server ? { x: server.x, executed: server.executed.map((e) => ({ op: e.op, label: opLabel(e.op, e.client, e.pos) })) } : null,
    inbox: ctx.inbox(seat).map((m) => ({
      n: m.n,
      from: m.from,
      payload: m.payload,
      label: protocol.payloadLabel(m.payload),
      arrivedAt: m.endsAt,
      handled: ctx.handled(seat, m.n),
      offers: running ? (protocol.messageOffers(ctx, seat, role, m) as Offer<A>[]) : [],
    })),
    sent: ctx.sent(seat).map((m) => ({ n: m.n, to: m.to, payload: m.payload, label: protocol.payloadLabel(m.payload), sentAt: m.sentAt })),
    offers: running && role !== 'valley' ? (protocol.offers(ctx, seat, role) as Offer<A>[]) : [],
    crossing:
      seat === VALLEY && !ended
        ? state.messengers
            .filter((m) => m.status === 'inFlight' || m.status === 'held')
            .map((m) => ({
              n: m.n,
              from: m.from,
              to: m.to,
              label: protocol.payloadLabel(m.payload),
              status: m.status,
              endsAt: m.endsAt,
              heldUntil: m.heldUntil,
              offers: valleyOffers(m),
            }))
        : [],
    // In slow motion a bot waits as many times longer before it sends again.
    resendMs: state.config.resendMs * (state.config.slowMotion ?? 1),
    prediction: state.predictions[seat] ?? null,
    reflection: state.reflections[seat] ?? null,
    mayReflect: ended && !(seat in state.reflections),
    fix: state.revealed ? label(`${scenario}.fix`) : null,
    board: ended ? board(state, protocol, roles) : null,
    diagram: null,
  };
}

export interface RoadVerdict {
  failures: FailureId[];
  /** Each failure in words. */
  details: Label[];
  servers: { seat: string; x: number; list: string[] }[];
  /** Per client, how many of its commands it is done with, of how many. */
  clients: { seat: string; done: number; of: number }[];
  messengersSent: number;
  captured: number;
  inFlight: number;
  broken: number;
  /** Messengers still held in the valley (at the end: those it never let go). */
  heldAtEnd: number;
  endReason: RoadState['endReason'];
}

export function verdictOf(state: RoadState, protocol: AnyProtocol): RoadVerdict {
  const fs = failuresOf(state, protocol);
  return {
    failures: [...new Set(fs.map((f) => f.id))],
    details: fs.map((f) => f.label),
    servers: serverIds(state.config).map((s) => ({ seat: s, x: state.servers[s]!.x, list: state.servers[s]!.executed.map((e) => `${e.client}#${e.pos + 1}`) })),
    clients: clientIds(state.config).map((c) => ({ seat: c, done: state.done[c]?.length ?? 0, of: protocol.script(state.config, c).length })),
    messengersSent: state.messengers.length,
    captured: state.messengers.filter((m) => m.status === 'captured').length,
    inFlight: state.messengers.filter((m) => m.status === 'inFlight' || m.status === 'held').length,
    broken: state.broken.length,
    heldAtEnd: heldCount(state.messengers),
    endReason: state.endReason,
  };
}

/** The verdict in words: each failure, or that none happened. */
export function summaryOf(v: RoadVerdict): Label[] {
  const xs = label('road.summary.servers', { servers: v.servers.map((s) => `${s.seat}: x=${s.x}`).join(', ') });
  if (v.failures.length === 0) return [label('road.summary.none', { sent: v.messengersSent, captured: v.captured }), xs];
  return [...v.details, xs];
}
