// Level 6 of the road, the naive ticket protocol (基于票的协议). A server keeps T_max (the largest ticket
// it issued), C (the command it stored) and T_store (the ticket C was stored with). Phase 1: a client asks
// every server for ticket t; a server issues it if t > T_max, else answers nack(T_max). Phase 2: with a
// majority of tickets the client sends propose(t, c); a server stores c if t = T_max and answers success.
// Phase 3: with a majority of successes the client is done and tells every server to execute what it has
// stored — whatever that is by then. The failure, from the seed: A stored on a majority but is slow; B
// takes a higher ticket and stores its own on some servers; A's execute arrives: the servers diverge.
// Setting `paxos` makes the three changes that are the notes' Paxos: a ticket comes with (T_store, C);
// the client proposes the stored command with the highest T_store to the same majority; and execute(c)
// carries the command.
import { label } from '../../diagram.ts';
import { refuse } from '../../scenario.ts';
import type { Protocol } from '../../road/protocol.ts';
import { CORE_RULES } from '../../road/engine.ts';
import { type Instance, type Op, type RoadConfig, type RoadState, clientIds, instanceKey, roadDefaults, serverIds, showOp } from '../../road/model.ts';

export interface Config extends RoadConfig {
  /** A server answers a ticket it cannot issue (or a proposal it cannot store) with nack(T_max). */
  nack: boolean;
  /** The three changes that make the protocol Paxos. */
  paxos: boolean;
}

/** A command instance with its command: what a server stores and executes. */
export interface Cmd extends Instance {
  op: Op;
}

export type Payload =
  | { type: 'ask'; t: number }
  /** A ticket issued; with paxos, the server's (T_store, C) come with it. */
  | { type: 'ticket'; t: number; stored: { tStore: number; c: Cmd | null } | null }
  | { type: 'nack'; t: number; tMax: number; of: 'ask' | 'propose' }
  | { type: 'propose'; t: number; c: Cmd }
  | { type: 'success'; t: number }
  /** Execute what you stored (c null) — or, with paxos, execute c. `client` is the one who sends it. */
  | { type: 'execute'; t: number; client: string; c: Cmd | null };

/** One store, as it happened: the primary fact `chosen` counts. */
export interface Store extends Instance {
  ticket: number;
  at: number;
}

export interface Mem {
  // A server's.
  tMax: number;
  c: Cmd | null;
  tStore: number;
  stores: Store[];
  // A client's.
  /** The ticket it works with now (0: none yet), and the highest it has used. */
  t: number;
  highest: number;
  /** What it proposed with ticket t, if it has. */
  proposed: Cmd | null;
  /** What it told the servers to execute: it has nothing left to do. */
  finished: Cmd | null;
}

export type Action =
  | { type: 'ask'; t: number }
  | { type: 'propose'; client: string; pos: number }
  | { type: 'execute' }
  | { type: 'issue'; n: number }
  | { type: 'store'; n: number }
  | { type: 'run'; n: number }
  | { type: 'nack'; n: number }
  | { type: 'ignore'; n: number };

/** The level's own event: a server stored a command with a ticket. */
export type Stored = { type: 'stored'; server: string; client: string; pos: number; op: Op; ticket: number; n: number };

export const RULES = {
  ...CORE_RULES,
  scriptDone: 'road/script-done',
  badTicket: 'tickets/bad-ticket',
  unknownCommand: 'tickets/unknown-command',
  noMajorityTickets: 'tickets/no-majority-tickets',
  wrongCommand: 'tickets/wrong-command',
  proposedAlready: 'tickets/proposed-already',
  notProposed: 'tickets/not-proposed',
  noMajoritySuccesses: 'tickets/no-majority-successes',
  notThatMessage: 'tickets/not-that-message',
  issueStale: 'tickets/issue-stale',
  storeNotCurrent: 'tickets/store-not-current',
  oneExecute: 'tickets/one-execute',
  nothingStored: 'tickets/nothing-stored',
  nackOff: 'tickets/nack-off',
  refuseValid: 'tickets/refuse-valid',
} as const;

/** How long a bot client backs off after a clear no before it asks again: different per client, so duels end. */
export const backoffMs = (client: string) => 600 * Number(client.slice(1));

export const defaultConfig: Config = { ...roadDefaults, clients: 2, servers: 3, captureRate: 0.1, nack: true, paxos: false };

export const majority = (servers: number) => Math.floor(servers / 2) + 1;
const cmdKey = (c: Instance) => instanceKey(c);
const sameCmd = (a: Instance | null, b: Instance | null) => a !== null && b !== null && a.client === b.client && a.pos === b.pos;
const cmdOf = (config: Config, client: string): Cmd | null => {
  const op = config.scripts[Number(client.slice(1)) - 1]?.[0];
  return op ? { client, pos: 0, op } : null;
};
const cmdWords = (c: Cmd) => ({ op: showOp(c.op), command: cmdKey(c) });

/** What answered a client's ticket t, from the messengers that reached it (its view's inbox, or the state's). */
export function repliesFor(inbox: readonly { from: string; payload: Payload; arrivedAt?: number; endsAt?: number }[], t: number) {
  const tickets = new Map<string, { tStore: number; c: Cmd | null } | null>();
  const nackAsk = new Set<string>();
  const nackPropose = new Set<string>();
  const successes = new Set<string>();
  let maxNack = 0;
  let lastNackAt = 0;
  for (const m of inbox) {
    const p = m.payload;
    if (p.type === 'nack') maxNack = Math.max(maxNack, p.tMax);
    if (p.t !== t) continue;
    if (p.type === 'ticket' && !tickets.has(m.from)) tickets.set(m.from, p.stored);
    if (p.type === 'success') successes.add(m.from);
    if (p.type === 'nack') {
      (p.of === 'ask' ? nackAsk : nackPropose).add(m.from);
      lastNackAt = Math.max(lastNackAt, m.arrivedAt ?? m.endsAt ?? 0);
    }
  }
  return { tickets, nackAsk, nackPropose, successes, maxNack, lastNackAt };
}

/** The command a client must propose with these tickets: its own, or (paxos) the stored one with the highest T_store. */
export function requiredCommand(config: Config, client: string, tickets: ReadonlyMap<string, { tStore: number; c: Cmd | null } | null>): Cmd | null {
  let best: { tStore: number; c: Cmd } | null = null;
  if (config.paxos)
    for (const s of tickets.values()) if (s?.c && s.tStore > 0 && (best === null || s.tStore > best.tStore)) best = { tStore: s.tStore, c: s.c };
  return best?.c ?? cmdOf(config, client);
}

/** Command instances stored by a majority of servers with one ticket (ever: a later store does not undo it). */
export function chosenOf(state: RoadState<Config, Payload, Mem>): Instance[] {
  const need = majority(state.config.servers);
  const by = new Map<string, { i: Instance; servers: Set<string>; at: number }>();
  for (const s of serverIds(state.config))
    for (const st of state.mem[s]?.stores ?? []) {
      const k = `${cmdKey(st)}@${st.ticket}`;
      const e = by.get(k) ?? { i: { client: st.client, pos: st.pos }, servers: new Set<string>(), at: Infinity };
      e.servers.add(s);
      if (e.servers.size === need) e.at = st.at;
      by.set(k, e);
    }
  const out: { i: Instance; at: number }[] = [];
  for (const e of by.values()) if (e.servers.size >= need && !out.some((o) => sameCmd(o.i, e.i))) out.push({ i: e.i, at: e.at });
  return out.sort((a, b) => a.at - b.at).map((o) => o.i);
}

const ruleLabel = (id: string, evidence: Record<string, string | number>) => label(`rule.${id}`, evidence);

export const protocol: Protocol<Config, Payload, Mem, Action, Stored> = {
  id: 'tickets',
  rules: RULES,
  defaultConfig,
  // Levels 5 and 6 use each client's first command only.
  script: (config, client) => config.scripts[Number(client.slice(1)) - 1]?.slice(0, 1) ?? [],
  initMem: () => ({ tMax: 0, c: null, tStore: 0, stores: [], t: 0, highest: 0, proposed: null, finished: null }),
  decide(ctx, seat, role, action) {
    const config = ctx.config;
    const need = majority(config.servers);
    const mem = ctx.mem(seat);
    if (action.type === 'ask' || action.type === 'propose' || action.type === 'execute') {
      if (role !== 'client') return refuse(RULES.wrongRole, { seat, action: action.type });
      if (mem.finished) return refuse(RULES.scriptDone, {});
      const r = repliesFor(ctx.inbox(seat), mem.t);
      switch (action.type) {
        case 'ask': {
          // Bad input: refused in either mode, and nothing changes.
          if (typeof action.t !== 'number' || !Number.isSafeInteger(action.t) || action.t < 1) return refuse(RULES.badTicket, { t: String(action.t) });
          return {
            ok: true,
            events: [
              ...ctx.send(seat, ctx.servers, { type: 'ask', t: action.t }),
              { type: 'noted', seat, mem: { t: action.t, highest: Math.max(mem.highest, action.t), proposed: null } },
            ],
          };
        }
        case 'propose': {
          const c = clientIds(config).includes(action.client) && action.pos === 0 ? cmdOf(config, action.client) : null;
          if (!c) return refuse(RULES.unknownCommand, { command: `${String(action.client)}#${Number(action.pos) + 1}` });
          if (mem.proposed) return refuse(RULES.proposedAlready, { t: mem.t });
          const required = requiredCommand(config, seat, r.tickets)!;
          const a = ctx.rule(seat, mem.t > 0 && r.tickets.size >= need, RULES.noMajorityTickets, { t: mem.t, tickets: r.tickets.size, majority: need });
          if (!a.ok) return a;
          const b = ctx.rule(seat, sameCmd(c, required), RULES.wrongCommand, { command: cmdKey(c), required: cmdKey(required) });
          if (!b.ok) return b;
          // Paxos proposes to the same majority that issued the ticket; the naive protocol to every server.
          const to = config.paxos && r.tickets.size > 0 ? ctx.servers.filter((s) => r.tickets.has(s)) : ctx.servers;
          return {
            ok: true,
            events: [...a.broken, ...b.broken, ...ctx.send(seat, to, { type: 'propose', t: mem.t, c }), { type: 'noted', seat, mem: { proposed: c } }],
          };
        }
        case 'execute': {
          if (!mem.proposed) return refuse(RULES.notProposed, { t: mem.t });
          const a = ctx.rule(seat, r.successes.size >= need, RULES.noMajoritySuccesses, { t: mem.t, successes: r.successes.size, majority: need });
          if (!a.ok) return a;
          const c = mem.proposed;
          // Done with its own command once it got its majority; having pushed another's, it has only settled.
          const own = sameCmd(c, cmdOf(config, seat));
          return {
            ok: true,
            events: [
              ...a.broken,
              ...ctx.send(seat, ctx.servers, { type: 'execute', t: mem.t, client: seat, c: config.paxos ? c : null }),
              { type: 'noted', seat, mem: { finished: c } },
              ...(own ? [{ type: 'done' as const, client: seat, pos: c.pos }] : []),
            ],
          };
        }
      }
    }
    if (role !== 'server') return refuse(RULES.wrongRole, { seat, action: action.type });
    const m = ctx.delivered(seat, action.n);
    if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
    if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
    const p = m.payload;
    const handled = { type: 'handled' as const, seat, n: m.n };
    const wrong = refuse(RULES.notThatMessage, { n: m.n, action: action.type });
    const executed = ctx.state.servers[seat]!.executed;
    // What the protocol asks of this server for this messenger: grant it (issue, store, execute) or not.
    const grantable =
      p.type === 'ask'
        ? p.t > mem.tMax
        : p.type === 'propose'
          ? p.t === mem.tMax
          : p.type === 'execute'
            ? executed.length === 0 && (p.c ?? mem.c) !== null
            : false;
    switch (action.type) {
      case 'issue': {
        if (p.type !== 'ask') return wrong;
        const a = ctx.rule(seat, grantable, RULES.issueStale, { t: p.t, tMax: mem.tMax });
        if (!a.ok) return a;
        return {
          ok: true,
          events: [
            ...a.broken,
            handled,
            { type: 'noted', seat, mem: { tMax: Math.max(mem.tMax, p.t) } },
            ...ctx.send(seat, [m.from], { type: 'ticket', t: p.t, stored: config.paxos ? { tStore: mem.tStore, c: mem.c } : null }, m.n),
          ],
        };
      }
      case 'store': {
        if (p.type !== 'propose') return wrong;
        const a = ctx.rule(seat, grantable, RULES.storeNotCurrent, { t: p.t, tMax: mem.tMax });
        if (!a.ok) return a;
        return {
          ok: true,
          events: [
            ...a.broken,
            handled,
            { type: 'stored', server: seat, client: p.c.client, pos: p.c.pos, op: p.c.op, ticket: p.t, n: m.n },
            ...ctx.send(seat, [m.from], { type: 'success', t: p.t }, m.n),
          ],
        };
      }
      case 'run': {
        if (p.type !== 'execute') return wrong;
        // Paxos' execute(c) carries the command; the naive one means "what you stored".
        const c = p.c ?? mem.c;
        if (!c) return refuse(RULES.nothingStored, { server: seat });
        const first = executed[0];
        const a = ctx.rule(seat, !first, RULES.oneExecute, { server: seat, command: first ? cmdKey(first) : '' });
        if (!a.ok) return a;
        return { ok: true, events: [...a.broken, handled, { type: 'executed', server: seat, client: c.client, pos: c.pos, op: c.op, n: m.n }] };
      }
      case 'nack':
      case 'ignore': {
        if (action.type === 'nack' && p.type !== 'ask' && p.type !== 'propose') return wrong;
        if (p.type !== 'ask' && p.type !== 'propose' && p.type !== 'execute') return wrong;
        if (action.type === 'nack' && !config.nack) return refuse(RULES.nackOff, {});
        const a = ctx.rule(seat, !grantable, RULES.refuseValid, { n: m.n, t: p.t, tMax: mem.tMax });
        if (!a.ok) return a;
        const answer =
          action.type === 'nack' && (p.type === 'ask' || p.type === 'propose')
            ? ctx.send(seat, [m.from], { type: 'nack', t: p.t, tMax: mem.tMax, of: p.type }, m.n)
            : [];
        return { ok: true, events: [...a.broken, handled, ...answer] };
      }
    }
  },
  apply(state, e, at) {
    const m = state.mem[e.server]!;
    const c: Cmd = { client: e.client, pos: e.pos, op: e.op };
    return {
      ...state,
      mem: { ...state.mem, [e.server]: { ...m, c, tStore: e.ticket, stores: [...m.stores, { client: e.client, pos: e.pos, ticket: e.ticket, at }] } },
      traffic: { ...state.traffic, [e.server]: (state.traffic[e.server] ?? 0) + 1 },
    };
  },
  carries: (p) => (p.type === 'propose' ? p.c : p.type === 'execute' ? (p.c ?? { client: p.client, pos: 0 }) : null),
  payloadLabel(p) {
    switch (p.type) {
      case 'ask':
        return label('tickets.msg.ask', { t: p.t });
      case 'ticket':
        if (!p.stored) return label('tickets.msg.ticket', { t: p.t });
        return p.stored.c
          ? label('tickets.msg.ticketStored', { t: p.t, tStore: p.stored.tStore, ...cmdWords(p.stored.c) })
          : label('tickets.msg.ticketEmpty', { t: p.t });
      case 'nack':
        return label('tickets.msg.nack', { t: p.t, tMax: p.tMax });
      case 'propose':
        return label('tickets.msg.propose', { t: p.t, ...cmdWords(p.c) });
      case 'success':
        return label('tickets.msg.success', { t: p.t });
      case 'execute':
        return p.c ? label('tickets.msg.executeC', cmdWords(p.c)) : label('tickets.msg.execute', { t: p.t });
    }
  },
  offers(ctx, seat, role) {
    if (role !== 'client') return [];
    const config = ctx.config;
    const mem = ctx.mem(seat);
    if (mem.finished) return [];
    const need = majority(config.servers);
    const r = repliesFor(ctx.inbox(seat), mem.t);
    const next = 1 + Math.max(mem.highest, r.maxNack);
    const offers: ReturnType<NonNullable<typeof protocol.offers>> = [];
    if (mem.proposed) {
      const ok = r.successes.size >= need;
      offers.push({
        action: { type: 'execute' },
        label: config.paxos ? label('tickets.executeC', cmdWords(mem.proposed)) : label('tickets.execute', { t: mem.t }),
        allowed: ok,
        why: ok ? null : ruleLabel(RULES.noMajoritySuccesses, { t: mem.t, successes: r.successes.size, majority: need }),
        primary: ok,
      });
    } else if (mem.t > 0) {
      const ok = r.tickets.size >= need;
      const required = requiredCommand(config, seat, r.tickets)!;
      const why = ok ? null : ruleLabel(RULES.noMajorityTickets, { t: mem.t, tickets: r.tickets.size, majority: need });
      const to = config.paxos && r.tickets.size > 0 ? ctx.servers.filter((s) => r.tickets.has(s)) : ctx.servers;
      offers.push({
        action: { type: 'propose', client: required.client, pos: required.pos },
        label: label('tickets.propose', { t: mem.t, to: to.join(', '), ...cmdWords(required) }),
        allowed: ok,
        why,
        primary: ok,
      });
      const own = cmdOf(config, seat)!;
      if (!sameCmd(own, required))
        offers.push({
          action: { type: 'propose', client: own.client, pos: own.pos },
          label: label('tickets.propose', { t: mem.t, to: to.join(', '), ...cmdWords(own) }),
          allowed: false,
          why: ruleLabel(RULES.wrongCommand, { command: cmdKey(own), required: cmdKey(required) }),
        });
    }
    const moving = offers.some((o) => o.allowed);
    offers.push({
      action: { type: 'ask', t: next },
      label: label('tickets.ask', { t: next, to: ctx.servers.join(', ') }),
      allowed: true,
      why: null,
      // Asking is the step to take first, and again after a clear no; otherwise the answers are awaited.
      primary: !moving && (mem.t === 0 || ctx.inbox(seat).some((m) => m.payload.type === 'nack' && m.payload.t >= mem.t)),
    });
    return offers;
  },
  messageOffers(ctx, seat, role, m) {
    if (role !== 'server' || ctx.handled(seat, m.n)) return [];
    const config = ctx.config;
    const mem = ctx.mem(seat);
    const p = m.payload;
    const no = (ok: boolean, n: number) =>
      config.nack && p.type !== 'execute'
        ? {
            action: { type: 'nack' as const, n },
            label: label('tickets.nack', { tMax: mem.tMax }),
            allowed: ok,
            why: ok ? null : ruleLabel(RULES.refuseValid, { n, t: p.t, tMax: mem.tMax }),
            primary: ok,
          }
        : {
            action: { type: 'ignore' as const, n },
            label: label('tickets.ignore'),
            allowed: ok,
            why: ok ? null : ruleLabel(RULES.refuseValid, { n, t: p.t, tMax: mem.tMax }),
            primary: ok,
          };
    switch (p.type) {
      case 'ask': {
        const ok = p.t > mem.tMax;
        return [
          {
            action: { type: 'issue', n: m.n },
            label: label('tickets.issue', { t: p.t, tMax: mem.tMax }),
            allowed: ok,
            why: ok ? null : ruleLabel(RULES.issueStale, { t: p.t, tMax: mem.tMax }),
            primary: ok,
          },
          no(!ok, m.n),
        ];
      }
      case 'propose': {
        const ok = p.t === mem.tMax;
        return [
          {
            action: { type: 'store', n: m.n },
            label: label('tickets.store', { t: p.t, ...cmdWords(p.c) }),
            allowed: ok,
            why: ok ? null : ruleLabel(RULES.storeNotCurrent, { t: p.t, tMax: mem.tMax }),
            primary: ok,
          },
          no(!ok, m.n),
        ];
      }
      case 'execute': {
        const c = p.c ?? mem.c;
        const first = ctx.state.servers[seat]!.executed[0];
        // Nothing to execute (naive, nothing stored): all it can do is set it aside.
        if (!c) return [{ action: { type: 'ignore', n: m.n }, label: label('tickets.ignoreNothing'), allowed: true, why: null, primary: true }];
        const ok = !first;
        return [
          {
            action: { type: 'run', n: m.n },
            label: label('road.execute', { op: showOp(c.op) }),
            allowed: ok,
            why: ok ? null : ruleLabel(RULES.oneExecute, { server: seat, command: first ? cmdKey(first) : '' }),
            primary: ok,
          },
          ok ? no(false, m.n) : { action: { type: 'ignore', n: m.n }, label: label('tickets.ignoreExecuted'), allowed: true, why: null, primary: true },
        ];
      }
      default:
        return [];
    }
  },
  holds(state, seat, role) {
    const mem = state.mem[seat];
    if (!mem) return [];
    if (role === 'server')
      return [
        label('tickets.holds.tMax', { tMax: mem.tMax }),
        mem.c ? label('tickets.holds.stored', { tStore: mem.tStore, ...cmdWords(mem.c) }) : label('tickets.holds.nothing'),
      ];
    if (role !== 'client') return [];
    const need = majority(state.config.servers);
    const inbox = state.messengers.filter((m) => m.to === seat && m.status === 'delivered');
    const r = repliesFor(inbox, mem.t);
    const out = [];
    if (mem.t > 0) out.push(label('tickets.holds.ticket', { t: mem.t, k: r.tickets.size, n: state.config.servers, majority: need }));
    if (mem.proposed) out.push(label('tickets.holds.proposed', { ...cmdWords(mem.proposed), k: r.successes.size, majority: need }));
    if (mem.finished) out.push(label('tickets.holds.finished', cmdWords(mem.finished)));
    return out;
  },
  // Progress needs a majority of the servers; a crashed client blocks nobody.
  needs: (state) => [{ seats: serverIds(state.config), kind: 'majority' }],
  decides: true,
  settled: (state, client) => state.mem[client]?.finished != null,
  chosen: chosenOf,
  // After the naive tickets, the notes' Paxos; and here students play the servers (the acceptor's rules are the point).
  next: 'paxos',
  studentServers: true,
  // Servers start at 2 here, so A's x+1 and B's x×2 leave different x (from 1 both give 2: "same x by chance").
  showcase: { failure: 'diverged', config: { start: 2, captureRate: 0, delayMinMs: 300, delayMaxMs: 4000 } },
  bot(view, at) {
    if (view.role === 'server') {
      for (const line of view.inbox) {
        if (line.handled) continue;
        const o = line.offers.find((x) => x.primary && x.allowed);
        // One answer at a time: the next one is decided on what this one changed (T_max, C).
        if (o) return { actions: [o.action], wakeAt: null };
      }
      return { actions: [], wakeAt: null };
    }
    if (view.role !== 'client' || view.mem.finished) return { actions: [], wakeAt: null };
    const go = view.offers.find((o) => o.allowed && o.primary && o.action.type !== 'ask');
    if (go) return { actions: [go.action], wakeAt: null };
    const ask = view.offers.find((o) => o.action.type === 'ask');
    if (!ask) return { actions: [], wakeAt: null };
    const mem = view.mem;
    if (mem.t === 0) return { actions: [ask.action], wakeAt: null };
    // Waiting: ask again with a higher ticket after a clear no (backing off), or when nothing comes in time.
    const r = repliesFor(view.inbox, mem.t);
    const phase = mem.proposed ? 'propose' : 'ask';
    const sentNow = view.sent.filter((s) => s.payload.type === phase && s.payload.t === mem.t);
    const need = majority(view.peers.filter((p) => p.role === 'server').length);
    const nos = phase === 'propose' ? r.nackPropose.size : r.nackAsk.size;
    const last = Math.max(...sentNow.map((s) => s.sentAt), 0);
    // The timer runs a little longer for each client, so two clients that timed out together do not duel for ever.
    let due = last + view.resendMs + backoffMs(view.seat);
    if (sentNow.length - nos < need) due = Math.min(due, r.lastNackAt + backoffMs(view.seat));
    if (at >= due) return { actions: [ask.action], wakeAt: null };
    return { actions: [], wakeAt: due };
  },
};
