// Level 5, the two-phase protocol (两阶段协议): each client has one command. Phase 1: it asks every
// server for its lock; a server grants it when free (or to the client that holds it already) and
// refuses otherwise. Phase 2: holding every lock, the client sends its command with level 2's
// acknowledgements and numbers, and releases each server's lock once that server acknowledged;
// without every lock it releases what it got, backs off and tries again. Requests, grants and
// releases are resent until answered, so every one carries the client's try number: an old release
// never frees a newer lock. The flaws: a client that crashes holding locks blocks everyone for ever
// (and so does a crashed server), and clients that keep colliding decide nothing.
import { label } from '../../diagram.ts';
import { refuse, type Decision } from '../../scenario.ts';
import { uniform } from '../../valley.ts';
import type { Protocol } from '../../road/protocol.ts';
import type { Ctx } from '../../road/ctx.ts';
import type { RoadView } from '../../road/view.ts';
import { CORE_RULES } from '../../road/engine.ts';
import { type CoreEvent, type Instance, type Offer, type Op, type RoadConfig, type RoadState, roadDefaults, serverIds, showOp } from '../../road/model.ts';

export type Config = RoadConfig;

export type Payload =
  | { type: 'lock'; client: string; try: number }
  | { type: 'granted'; try: number }
  | { type: 'refused'; try: number }
  | { type: 'command'; client: string; pos: number; op: Op; seq: number }
  | { type: 'ack'; client: string; pos: number; seq: number }
  | { type: 'release'; client: string; try: number }
  | { type: 'released'; try: number };

export interface Holder {
  client: string;
  try: number;
}

/** A client remembers its try and whether it sent its command in it; a server, who holds its lock. */
export interface Mem {
  try: number;
  commandedTry: number | null;
  holder: Holder | null;
}

export type Action =
  // A client's.
  | { type: 'ask' }
  | { type: 'command' }
  | { type: 'unlock'; server: string; try: number }
  | { type: 'finish' }
  // A server's: n is the messenger it answers.
  | { type: 'grant'; n: number }
  | { type: 'refuse'; n: number }
  | { type: 'execute'; n: number }
  | { type: 'drop'; n: number }
  | { type: 'free'; n: number }
  | { type: 'regrant' }
  | { type: 'revoke' };

export const RULES = {
  ...CORE_RULES,
  scriptDone: 'road/script-done',
  // Rules of the protocol: strict mode refuses them, free mode flags them.
  lockHeld: 'two-phase/lock-held',
  notHolder: 'two-phase/not-holder',
  noRevoke: 'two-phase/no-revoke',
  allLocks: 'two-phase/all-locks',
  releaseAfterAck: 'two-phase/release-after-ack',
  releaseFirst: 'two-phase/release-first',
  // Bad input: refused in both modes.
  notHeld: 'two-phase/not-held',
  lockFree: 'two-phase/lock-free',
  commandSent: 'two-phase/command-sent',
  allAcked: 'two-phase/all-acked',
  notAllAcked: 'two-phase/not-all-acked',
  wrongMessage: 'two-phase/wrong-message',
} as const;

export const defaultConfig: Config = { ...roadDefaults, clients: 2, servers: 3, captureRate: 0.1 };

/** A client's command: the first of its script. */
export const script = (config: Config, client: string): Op[] => (config.scripts[Number(client.slice(1)) - 1] ?? []).slice(0, 1);

/** What reached a client and what it sent, as its view and its rules both see them. */
interface Lines {
  inbox: { n: number; from: string; payload: Payload; arrivedAt: number }[];
  sent: { n: number; to: string; payload: Payload; sentAt: number }[];
}

/** What a client believes, from what reached it and what it sent (never from the servers' state). */
export interface Belief {
  /** Per server, the tries whose grant reached it and whose release has not been answered yet. */
  held: Record<string, number[]>;
  /** Per server: its grant for the current try reached the client, which has not released it since. */
  usable: Record<string, boolean>;
  /** Per server: it answered a request of the current try (granted or refused). */
  answered: Record<string, boolean>;
  acked: Record<string, boolean>;
}

export function belief(lines: Lines, t: number, servers: readonly string[], client: string): Belief {
  const held: Record<string, number[]> = Object.fromEntries(servers.map((s) => [s, []]));
  const answered: Record<string, boolean> = {};
  const acked: Record<string, boolean> = {};
  const arrivals = [...lines.inbox].sort((a, b) => a.arrivedAt - b.arrivedAt || a.n - b.n);
  for (const m of arrivals) {
    const p = m.payload;
    if (!(m.from in held)) continue;
    if (p.type === 'granted') {
      if (!held[m.from]!.includes(p.try)) held[m.from]!.push(p.try);
      if (p.try === t) answered[m.from] = true;
    } else if (p.type === 'refused') {
      if (p.try === t) answered[m.from] = true;
    } else if (p.type === 'released') held[m.from] = held[m.from]!.filter((x) => x > p.try);
    else if (p.type === 'ack' && p.client === client) acked[m.from] = true;
  }
  // The newest try each server was sent a release for.
  const releasedUpTo: Record<string, number> = {};
  for (const m of lines.sent) if (m.payload.type === 'release') releasedUpTo[m.to] = Math.max(releasedUpTo[m.to] ?? 0, m.payload.try);
  const usable: Record<string, boolean> = {};
  for (const s of servers) usable[s] = held[s]!.includes(t) && (releasedUpTo[s] ?? 0) < t;
  return { held, usable, answered, acked };
}

// A client's belief is asked for by its offers, its rules and its holds, many times per state: once per
// list of messengers (a new list whenever one changes), seat and try.
const beliefs = new WeakMap<readonly unknown[], Map<string, Belief>>();

function stateBelief(state: RoadState<Config, Payload, Mem>, seat: string): Belief {
  let byKey = beliefs.get(state.messengers);
  if (!byKey) beliefs.set(state.messengers, (byKey = new Map()));
  const t = state.mem[seat]!.try;
  const key = `${seat}/${t}`;
  let b = byKey.get(key);
  if (!b) {
    const lines: Lines = { inbox: [], sent: [] };
    for (const m of state.messengers) {
      if (m.to === seat && m.status === 'delivered') lines.inbox.push({ n: m.n, from: m.from, payload: m.payload, arrivedAt: m.endsAt });
      if (m.from === seat) lines.sent.push({ n: m.n, to: m.to, payload: m.payload, sentAt: m.sentAt });
    }
    byKey.set(key, (b = belief(lines, t, serverIds(state.config), seat)));
  }
  return b;
}

const all = (servers: readonly string[], r: Record<string, boolean>) => servers.every((s) => r[s] === true);
const heldPairs = (b: Belief) => Object.entries(b.held).flatMap(([server, tries]) => tries.map((t) => ({ server, try: t })));
const cmd = (client: string) => `${client}#1`;

type Ev = CoreEvent<Payload, Mem>;
const ok = (events: Ev[]): Decision<Ev> => ({ ok: true, events });

function decideClient(ctx: Ctx<Config, Payload, Mem>, seat: string, action: Action): Decision<Ev> {
  const mem = ctx.mem(seat);
  const t = mem.try;
  const servers = ctx.servers;
  const b = stateBelief(ctx.state, seat);
  const op = ctx.script(seat)[0];
  const done = ctx.done(seat).includes(0);
  const commanded = mem.commandedTry !== null && mem.commandedTry === t;
  switch (action.type) {
    case 'ask': {
      if (done || !op) return refuse(RULES.scriptDone, {});
      if (commanded) return refuse(RULES.commandSent, { try: t });
      const unanswered = servers.filter((s) => !b.answered[s]);
      // Still waiting for answers to this try: ask those again, with the same number.
      if (t > 0 && unanswered.length > 0) return ok(ctx.send(seat, unanswered, { type: 'lock', client: seat, try: t }));
      const holding = heldPairs(b);
      const r = ctx.rule(seat, holding.length === 0, RULES.releaseFirst, {
        locks: holding.map((h) => h.server).join(', '),
      });
      if (!r.ok) return { ok: false, refusal: r.refusal };
      return ok([...r.broken, { type: 'noted', seat, mem: { try: t + 1 } }, ...ctx.send(seat, servers, { type: 'lock', client: seat, try: t + 1 })]);
    }
    case 'command': {
      if (done || !op) return refuse(RULES.scriptDone, {});
      const missing = servers.filter((s) => !b.usable[s]);
      const r = ctx.rule(seat, commanded || (t > 0 && missing.length === 0), RULES.allLocks, { servers: missing.join(', '), try: t });
      if (!r.ok) return { ok: false, refusal: r.refusal };
      const to = servers.filter((s) => !b.acked[s]);
      if (to.length === 0) return refuse(RULES.allAcked, {});
      return ok([
        ...r.broken,
        ...(commanded ? [] : [{ type: 'noted', seat, mem: { commandedTry: t } } as Ev]),
        ...ctx.send(seat, to, { type: 'command', client: seat, pos: 0, op, seq: 1 }),
      ]);
    }
    case 'unlock': {
      if (!(b.held[action.server] ?? []).includes(action.try)) return refuse(RULES.notHeld, { server: action.server, try: action.try });
      const r = ctx.rule(seat, !(commanded && action.try === t && !b.acked[action.server]), RULES.releaseAfterAck, { server: action.server });
      if (!r.ok) return { ok: false, refusal: r.refusal };
      return ok([...r.broken, ...ctx.send(seat, [action.server], { type: 'release', client: seat, try: action.try })]);
    }
    case 'finish': {
      if (done || !op) return refuse(RULES.scriptDone, {});
      const waiting = servers.filter((s) => !b.acked[s]);
      if (waiting.length > 0) return refuse(RULES.notAllAcked, { servers: waiting.join(', ') });
      return ok([{ type: 'done', client: seat, pos: 0 }]);
    }
    default:
      return refuse(RULES.wrongRole, { seat, action: action.type });
  }
}

function decideServer(ctx: Ctx<Config, Payload, Mem>, seat: string, action: Action): Decision<Ev> {
  const holder = ctx.mem(seat).holder;
  if (action.type === 'regrant' || action.type === 'revoke') {
    if (!holder) return refuse(RULES.lockFree, {});
    if (action.type === 'regrant') return ok(ctx.send(seat, [holder.client], { type: 'granted', try: holder.try }));
    const r = ctx.rule(seat, false, RULES.noRevoke, { client: holder.client });
    if (!r.ok) return { ok: false, refusal: r.refusal };
    return ok([...r.broken, { type: 'noted', seat, mem: { holder: null } }]);
  }
  if (!('n' in action)) return refuse(RULES.wrongRole, { seat, action: action.type });
  const m = ctx.delivered(seat, action.n);
  if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
  if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
  const p = m.payload;
  const handled: Ev = { type: 'handled', seat, n: m.n };
  const expect = (type: Payload['type']) => (p.type === type ? null : refuse(RULES.wrongMessage, { n: m.n, expected: type }));
  switch (action.type) {
    case 'grant': {
      if (p.type !== 'lock') return expect('lock')!;
      const mine = holder === null || holder.client === p.client;
      const r = ctx.rule(seat, mine, RULES.lockHeld, { client: p.client, holder: holder?.client ?? '' });
      if (!r.ok) return { ok: false, refusal: r.refusal };
      // The holder asking again is granted again; its lock keeps its newest try, so an old release cannot free it.
      const next = { client: p.client, try: holder?.client === p.client ? Math.max(holder.try, p.try) : p.try };
      return ok([...r.broken, handled, { type: 'noted', seat, mem: { holder: next } }, ...ctx.send(seat, [m.from], { type: 'granted', try: p.try }, m.n)]);
    }
    case 'refuse':
      if (p.type !== 'lock') return expect('lock')!;
      return ok([handled, ...ctx.send(seat, [m.from], { type: 'refused', try: p.try }, m.n)]);
    case 'execute': {
      if (p.type !== 'command') return expect('command')!;
      const ackIt = ctx.send(seat, [m.from], { type: 'ack', client: p.client, pos: p.pos, seq: p.seq }, m.n);
      // Numbered: a command this server executed already is acknowledged again, never executed twice.
      if (ctx.state.servers[seat]!.executed.some((e) => e.client === p.client && e.pos === p.pos)) return ok([handled, ...ackIt]);
      const r = ctx.rule(seat, holder?.client === p.client, RULES.notHolder, { client: p.client, holder: holder?.client ?? '' });
      if (!r.ok) return { ok: false, refusal: r.refusal };
      return ok([...r.broken, handled, { type: 'executed', server: seat, client: p.client, pos: p.pos, op: p.op, n: m.n }, ...ackIt]);
    }
    case 'drop':
      if (p.type !== 'command') return expect('command')!;
      return ok([handled]);
    case 'free': {
      if (p.type !== 'release') return expect('release')!;
      // Only the holder's lock of that try or an older one is freed; a late release is answered all the same.
      const frees = holder !== null && holder.client === p.client && holder.try <= p.try;
      return ok([
        handled,
        ...(frees ? [{ type: 'noted', seat, mem: { holder: null } } as Ev] : []),
        ...ctx.send(seat, [m.from], { type: 'released', try: p.try }, m.n),
      ]);
    }
    default:
      return refuse(RULES.wrongRole, { seat, action: (action as Action).type });
  }
}

const why = (rule: string, evidence: Record<string, string | number> = {}) => label(`rule.${rule}`, evidence);

function clientOffers(ctx: Ctx<Config, Payload, Mem>, seat: string): Offer<Action>[] {
  const mem = ctx.mem(seat);
  const t = mem.try;
  const servers = ctx.servers;
  const b = stateBelief(ctx.state, seat);
  const op = ctx.script(seat)[0];
  if (!op) return [];
  const done = ctx.done(seat).includes(0);
  const commanded = mem.commandedTry !== null && mem.commandedTry === t;
  const out: Offer<Action>[] = [];
  const allAcked = all(servers, b.acked);
  if (!done && allAcked)
    out.push({ action: { type: 'finish' }, label: label('two-phase.finish', { op: showOp(op) }), allowed: true, why: null, primary: true });
  if (!done && (commanded || !allAcked)) {
    const missing = servers.filter((s) => !b.usable[s]);
    const may = commanded || (t > 0 && missing.length === 0);
    const to = servers.filter((s) => !b.acked[s]);
    if (to.length > 0)
      out.push({
        action: { type: 'command' },
        label: label('two-phase.command', { op: showOp(op), to: to.join(', ') }),
        allowed: may,
        why: may ? null : why(RULES.allLocks, { servers: missing.join(', '), try: t }),
        primary: may,
      });
  }
  if (!done && !commanded) {
    const unanswered = servers.filter((s) => !b.answered[s]);
    if (t > 0 && unanswered.length > 0)
      out.push({ action: { type: 'ask' }, label: label('two-phase.ask.again', { to: unanswered.join(', '), try: t }), allowed: true, why: null });
    else if (!(t > 0 && all(servers, b.usable))) {
      const holding = heldPairs(b);
      out.push({
        action: { type: 'ask' },
        label: label(t === 0 ? 'two-phase.ask.first' : 'two-phase.ask.new', { to: servers.join(', '), try: t + 1 }),
        allowed: holding.length === 0,
        why: holding.length === 0 ? null : why(RULES.releaseFirst, { locks: holding.map((h) => h.server).join(', ') }),
        primary: holding.length === 0,
      });
    }
  }
  for (const h of heldPairs(b)) {
    const early = commanded && h.try === t && !b.acked[h.server];
    out.push({
      action: { type: 'unlock', server: h.server, try: h.try },
      label: label('two-phase.unlock', { server: h.server, try: h.try }),
      allowed: !early,
      why: early ? why(RULES.releaseAfterAck, { server: h.server }) : null,
      primary: !early && (done || commanded || h.try !== t || all(servers, b.answered)),
    });
  }
  return out;
}

function serverOffers(ctx: Ctx<Config, Payload, Mem>, seat: string): Offer<Action>[] {
  const holder = ctx.mem(seat).holder;
  if (!holder) return [];
  return [
    { action: { type: 'regrant' }, label: label('two-phase.regrant', { client: holder.client, try: holder.try }), allowed: true, why: null },
    {
      action: { type: 'revoke' },
      label: label('two-phase.revoke', { client: holder.client }),
      allowed: false,
      why: why(RULES.noRevoke, { client: holder.client }),
    },
  ];
}

function messageOffers(ctx: Ctx<Config, Payload, Mem>, seat: string, m: { n: number; payload: Payload }): Offer<Action>[] {
  if (ctx.handled(seat, m.n)) return [];
  const holder = ctx.mem(seat).holder;
  const p = m.payload;
  switch (p.type) {
    case 'lock': {
      const mine = holder === null || holder.client === p.client;
      return [
        {
          action: { type: 'grant', n: m.n },
          label: label('two-phase.grant', { client: p.client }),
          allowed: mine,
          why: mine ? null : why(RULES.lockHeld, { client: p.client, holder: holder?.client ?? '' }),
          primary: mine,
        },
        { action: { type: 'refuse', n: m.n }, label: label('two-phase.refuse', { client: p.client }), allowed: true, why: null, primary: !mine },
      ];
    }
    case 'command': {
      if (ctx.state.servers[seat]!.executed.some((e) => e.client === p.client && e.pos === p.pos))
        return [
          { action: { type: 'execute', n: m.n }, label: label('two-phase.ackAgain', { command: cmd(p.client) }), allowed: true, why: null, primary: true },
        ];
      const mine = holder?.client === p.client;
      return [
        {
          action: { type: 'execute', n: m.n },
          label: label('two-phase.execute', { op: showOp(p.op) }),
          allowed: mine,
          why: mine ? null : why(RULES.notHolder, { client: p.client, holder: holder?.client ?? '' }),
          primary: mine,
        },
        { action: { type: 'drop', n: m.n }, label: label('two-phase.drop'), allowed: true, why: null, primary: !mine },
      ];
    }
    case 'release':
      return [{ action: { type: 'free', n: m.n }, label: label('two-phase.free', { client: p.client, try: p.try }), allowed: true, why: null, primary: true }];
    default:
      return [];
  }
}

/** A client's back-off after a try that did not get every lock: random, but drawn from its seat and try. */
export function backoffMs(seat: string, t: number, resendMs: number): number {
  let h = 0;
  for (const ch of seat) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return Math.floor(uniform(h, t, 501) * 1.5 * resendMs);
}

type View = RoadView<Payload, Mem, Action>;

function serverBot(view: View, at: number) {
  const next = view.inbox.filter((m) => !m.handled).sort((a, b) => a.arrivedAt - b.arrivedAt || a.n - b.n)[0];
  if (next) {
    // Play the messenger's primary offer: the protocol's own answer.
    const o = next.offers.find((x) => x.primary && x.allowed);
    return { actions: o ? [o.action] : [], wakeAt: null };
  }
  const holder = view.mem.holder;
  if (!holder) return { actions: [], wakeAt: null };
  // A grant is resent until its holder answers: with anything it sends after the last grant.
  const last = Math.max(
    ...view.sent.filter((m) => m.to === holder.client).map((m) => m.sentAt),
    ...view.inbox.filter((m) => m.from === holder.client).map((m) => m.arrivedAt),
  );
  if (at >= last + view.resendMs) return { actions: [{ type: 'regrant' } as Action], wakeAt: at + view.resendMs };
  return { actions: [], wakeAt: last + view.resendMs };
}

function clientBot(view: View, at: number) {
  const idle = { actions: [] as Action[], wakeAt: null as number | null };
  if (view.script.length === 0) return idle;
  const me = view.seat;
  const servers = view.peers.filter((p) => p.role === 'server').map((p) => p.seat);
  const t = view.mem.try;
  const b = belief(view, t, servers, me);
  const done = view.script[0]!.state === 'done';
  const commanded = view.mem.commandedTry !== null && view.mem.commandedTry === t;
  const wakes: number[] = [];
  // An action, unless the same kind went to the same servers less than a resend interval ago.
  const paced = (kind: Payload['type'], to: readonly string[], a: Action, match: (p: Payload) => boolean = () => true) => {
    const last = Math.max(-Infinity, ...view.sent.filter((m) => m.payload.type === kind && to.includes(m.to) && match(m.payload)).map((m) => m.sentAt));
    if (at >= last + view.resendMs) return a;
    wakes.push(last + view.resendMs);
    return null;
  };
  const step = (a: Action | null) => (a ? { actions: [a], wakeAt: at } : { actions: [], wakeAt: wakes.length > 0 ? Math.min(...wakes) : null });
  if (!done && all(servers, b.acked)) return step({ type: 'finish' });
  const giveUp = !commanded && t > 0 && all(servers, b.answered) && !all(servers, b.usable);
  for (const h of heldPairs(b)) {
    const release = done || h.try !== t || (commanded && b.acked[h.server]) || giveUp || (!b.usable[h.server] && !commanded);
    if (!release) continue;
    const a = paced('release', [h.server], { type: 'unlock', server: h.server, try: h.try }, (p) => p.type === 'release' && p.try === h.try);
    if (a) return step(a);
  }
  if (done) return step(null);
  if (commanded) {
    const to = servers.filter((s) => !b.acked[s]);
    return step(to.length > 0 ? paced('command', to, { type: 'command' }) : null);
  }
  if (t === 0) return step({ type: 'ask' });
  const unanswered = servers.filter((s) => !b.answered[s]);
  if (unanswered.length > 0) return step(paced('lock', unanswered, { type: 'ask' }, (p) => p.type === 'lock' && p.try === t));
  if (all(servers, b.usable)) return step({ type: 'command' });
  if (heldPairs(b).length > 0) return step(null);
  // Every lock it got is released: back off for a while drawn from its seat and try, then try again.
  const since = Math.max(...view.inbox.map((m) => m.arrivedAt));
  const until = since + backoffMs(me, t, view.resendMs);
  if (at >= until) return step({ type: 'ask' });
  wakes.push(until);
  return step(null);
}

export const protocol: Protocol<Config, Payload, Mem, Action> = {
  id: 'two-phase',
  rules: RULES,
  defaultConfig,
  script,
  initMem: () => ({ try: 0, commandedTry: null, holder: null }),
  decide(ctx, seat, role, action) {
    if (role === 'client') return decideClient(ctx, seat, action);
    if (role === 'server') return decideServer(ctx, seat, action);
    return refuse(RULES.wrongRole, { seat, action: action.type });
  },
  carries: (p): Instance | null => (p.type === 'command' ? { client: p.client, pos: p.pos } : null),
  payloadLabel(p) {
    switch (p.type) {
      case 'lock':
        return label('two-phase.msg.lock', { client: p.client, try: p.try });
      case 'granted':
      case 'refused':
      case 'released':
        return label(`two-phase.msg.${p.type}`, { try: p.try });
      case 'release':
        return label('two-phase.msg.release', { client: p.client, try: p.try });
      case 'command':
        return label('two-phase.msg.command', { op: showOp(p.op), command: cmd(p.client), seq: p.seq });
      case 'ack':
        return label('two-phase.msg.ack', { command: cmd(p.client), seq: p.seq });
    }
  },
  offers(ctx, seat, role) {
    if (role === 'client') return clientOffers(ctx, seat);
    if (role === 'server') return serverOffers(ctx, seat);
    return [];
  },
  messageOffers(ctx, seat, role, m) {
    return role === 'server' ? messageOffers(ctx, seat, m) : [];
  },
  holds(state, seat, role) {
    const mem = state.mem[seat]!;
    if (role === 'server')
      return [mem.holder ? label('two-phase.holds.lock', { client: mem.holder.client, try: mem.holder.try }) : label('two-phase.holds.free')];
    if (role !== 'client') return [];
    const b = stateBelief(state, seat);
    const locks = Object.keys(b.held).filter((s) => b.held[s]!.length > 0);
    const acked = Object.keys(b.acked);
    return [
      label('two-phase.holds.try', { try: mem.try }),
      locks.length > 0 ? label('two-phase.holds.locks', { servers: locks.join(', ') }) : label('two-phase.holds.none'),
      ...(acked.length > 0 ? [label('two-phase.holds.acked', { servers: acked.join(', ') })] : []),
    ];
  },
  // Every server, and every client a server's lock is held by: one of them down, and nobody can finish.
  needs(state) {
    const holders = serverIds(state.config)
      .map((s) => state.mem[s]?.holder?.client)
      .filter((c): c is string => c !== undefined);
    return [{ seats: [...serverIds(state.config), ...new Set(holders)], kind: 'all' }];
  },
  decides: true,
  next: 'tickets',
  studentServers: true,
  // Collisions: two clients that keep splitting the locks between them decide nothing before the deadline.
  showcase: { failure: 'no-decision', config: { captureRate: 0.2, deadlineMs: 30_000 } },
  bot(view, at) {
    if (view.crashed || view.status !== 'running') return { actions: [], wakeAt: null };
    if (view.role === 'server') return serverBot(view, at);
    if (view.role === 'client') return clientBot(view, at);
    return { actions: [], wakeAt: null };
  },
};
