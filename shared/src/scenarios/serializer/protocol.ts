// Level 4, state replication with a serializer (借助单一串行器): every client sends its commands to one
// serializer Z (resending until confirmed; Z knows a command by its client and number, so a duplicate
// is recognised). Z forwards one command at a time, numbered, to every server, waits until every server
// acknowledged it (resending to those that have not), and only then confirms it to its client. A server
// executes each numbered forward once and acknowledges a duplicate again. The servers take the same
// commands in the same order: they never diverge. But Z waits for everyone: with Z or any server
// crashed, nothing moves — stuck.
import { label, type Label } from '../../diagram.ts';
import { refuse, type Decision } from '../../scenario.ts';
import type { Protocol } from '../../road/protocol.ts';
import type { Ctx, Ruled } from '../../road/ctx.ts';
import { CORE_RULES } from '../../road/engine.ts';
import type { RoadView } from '../../road/view.ts';
import {
  type CoreEvent,
  type Instance,
  type Offer,
  type Op,
  type RoadConfig,
  type RoadState,
  SERIALIZER,
  instanceKey,
  roadDefaults,
  serverIds,
  showOp,
} from '../../road/model.ts';

export type Config = RoadConfig;

export type Payload =
  | { type: 'command'; client: string; pos: number; op: Op }
  | { type: 'forward'; k: number; client: string; pos: number; op: Op }
  | { type: 'ack'; k: number }
  | { type: 'confirm'; client: string; pos: number; op: Op };

/** One command the serializer forwarded, by its number k: which servers acknowledged it, whether its client was told. */
export interface Entry {
  k: number;
  client: string;
  pos: number;
  op: Op;
  acked: string[];
  confirmed: boolean;
}

/** The serializer remembers what it forwarded (log); a server, the forward numbers it executed (ks). */
export interface Mem {
  log: Entry[];
  ks: number[];
}

export type Action =
  | { type: 'send' }
  | { type: 'take'; n: number }
  | { type: 'forward'; client: string; pos: number }
  | { type: 'resend' }
  | { type: 'confirm'; client: string; pos: number }
  | { type: 'execute'; n: number }
  | { type: 'ack'; n: number };

export const RULES = {
  ...CORE_RULES,
  scriptDone: 'road/script-done',
  waitAcks: 'serializer/wait-acks',
  notSent: 'serializer/not-sent',
  forwardedAlready: 'serializer/forwarded-already',
  confirmEarly: 'serializer/confirm-early',
  nothingToResend: 'serializer/nothing-to-resend',
  dropNew: 'serializer/drop-new',
  executedAlready: 'serializer/executed-already',
  ackUnexecuted: 'serializer/ack-unexecuted',
  wrongMessenger: 'serializer/wrong-messenger',
} as const;

export const defaultConfig: Config = { ...roadDefaults, clients: 2, servers: 2 };

type E = CoreEvent<Payload, Mem>;
type C = Ctx<Config, Payload, Mem>;

const nextPos = (done: number[], script: Op[]) => script.findIndex((_, i) => !done.includes(i));
const cmd = (i: Instance) => instanceKey(i);
const same = (a: Instance, b: Instance) => a.client === b.client && a.pos === b.pos;
/** The servers that have not acknowledged a forward yet. */
const missing = (e: Entry, servers: readonly string[]) => servers.filter((s) => !e.acked.includes(s));
/** The forwards some server has not acknowledged: in strict mode at most one, the last. */
const pending = (log: readonly Entry[], servers: readonly string[]) => log.filter((e) => missing(e, servers).length > 0);
const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');

/** The client commands that reached the serializer (every copy), as messengers. */
const commandsAt = (state: RoadState<Config, Payload, Mem>) =>
  state.messengers.filter(
    (m): m is typeof m & { payload: Extract<Payload, { type: 'command' }> } => m.to === SERIALIZER && m.status === 'delivered' && m.payload.type === 'command',
  );

const gather = (rs: Ruled<E>[]): { ok: true; broken: E[] } | { ok: false; refusal: { rule: string; evidence: Record<string, string | number> } } => {
  const broken: E[] = [];
  for (const r of rs) {
    if (!r.ok) return r;
    broken.push(...r.broken);
  }
  return { ok: true, broken };
};

function decideClient(ctx: C, seat: string, action: Action): Decision<E> {
  switch (action.type) {
    case 'send': {
      const script = ctx.script(seat);
      const pos = nextPos(ctx.done(seat), script);
      if (pos < 0) return refuse(RULES.scriptDone, {});
      // The command carries its client and number: a second copy is recognised as the same command.
      return { ok: true, events: ctx.send(seat, [SERIALIZER], { type: 'command', client: seat, pos, op: script[pos]! }) };
    }
    case 'take': {
      const m = ctx.delivered(seat, action.n);
      if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
      if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
      if (m.payload.type !== 'confirm') return refuse(RULES.wrongMessenger, { n: m.n });
      // The confirmation is what the client waited for: the command is done.
      return {
        ok: true,
        events: [
          { type: 'handled', seat, n: m.n },
          { type: 'done', client: seat, pos: m.payload.pos },
        ],
      };
    }
    default:
      return refuse(RULES.wrongRole, { seat, action: action.type });
  }
}

function decideSerializer(ctx: C, seat: string, action: Action): Decision<E> {
  const log = ctx.mem(seat).log;
  const servers = ctx.servers;
  switch (action.type) {
    case 'forward': {
      const i = { client: action.client, pos: action.pos };
      const copies = commandsAt(ctx.state).filter((m) => same(m.payload, i));
      // Bad input: the serializer forwards what clients sent, never a command of its own.
      if (copies.length === 0) return refuse(RULES.notSent, { command: cmd(i) });
      const before = log.find((e) => same(e, i));
      const busy = pending(log, servers)[0];
      const r = gather([
        ctx.rule(seat, !before, RULES.forwardedAlready, { command: cmd(i), k: before?.k ?? 0 }),
        ctx.rule(seat, !busy, RULES.waitAcks, { k: busy?.k ?? 0, servers: busy ? list(missing(busy, servers)) : '' }),
      ]);
      if (!r.ok) return r;
      const op = copies[0]!.payload.op;
      const k = log.length + 1;
      return {
        ok: true,
        events: [
          ...r.broken,
          ...copies.filter((m) => !ctx.handled(seat, m.n)).map((m): E => ({ type: 'handled', seat, n: m.n })),
          ...ctx.send(seat, servers, { type: 'forward', k, client: i.client, pos: i.pos, op }),
          { type: 'noted', seat, mem: { log: [...log, { k, client: i.client, pos: i.pos, op, acked: [], confirmed: false }] } },
        ],
      };
    }
    case 'resend': {
      const open = pending(log, servers);
      if (open.length === 0) return refuse(RULES.nothingToResend, {});
      return {
        ok: true,
        events: open.flatMap((e) => ctx.send(seat, missing(e, servers), { type: 'forward', k: e.k, client: e.client, pos: e.pos, op: e.op })),
      };
    }
    case 'confirm': {
      const i = { client: action.client, pos: action.pos };
      const entry = log.find((e) => same(e, i));
      const copy = commandsAt(ctx.state).find((m) => same(m.payload, i));
      if (!entry && !copy) return refuse(RULES.notSent, { command: cmd(i) });
      const waiting = entry ? missing(entry, servers) : servers;
      const r = ctx.rule(seat, waiting.length === 0, RULES.confirmEarly, { command: cmd(i), servers: list(waiting) });
      if (!r.ok) return r;
      const op = entry?.op ?? copy!.payload.op;
      return {
        ok: true,
        events: [
          ...r.broken,
          ...ctx.send(seat, [i.client], { type: 'confirm', client: i.client, pos: i.pos, op }),
          ...(entry && !entry.confirmed ? [{ type: 'noted', seat, mem: { log: log.map((e) => (e.k === entry.k ? { ...e, confirmed: true } : e)) } } as E] : []),
        ],
      };
    }
    case 'take': {
      const m = ctx.delivered(seat, action.n);
      if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
      if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
      const p = m.payload;
      if (p.type === 'ack') {
        const entry = log.find((e) => e.k === p.k);
        const noted = entry && !entry.acked.includes(m.from);
        return {
          ok: true,
          events: [
            { type: 'handled', seat, n: m.n },
            ...(noted ? [{ type: 'noted', seat, mem: { log: log.map((e) => (e.k === p.k ? { ...e, acked: [...e.acked, m.from] } : e)) } } as E] : []),
          ],
        };
      }
      if (p.type !== 'command') return refuse(RULES.wrongMessenger, { n: m.n });
      const entry = log.find((e) => same(e, p));
      // A new command set aside is a command dropped: its client will send it again, but that is not the protocol.
      const r = ctx.rule(seat, entry !== undefined, RULES.dropNew, { n: m.n, command: cmd(p) });
      if (!r.ok) return r;
      // A duplicate: forwarded already. Once every server has it, its client is told again (its confirmation may have been captured).
      const again = entry && missing(entry, servers).length === 0;
      return {
        ok: true,
        events: [
          ...r.broken,
          { type: 'handled', seat, n: m.n },
          ...(again ? ctx.send(seat, [p.client], { type: 'confirm', client: p.client, pos: p.pos, op: p.op }, m.n) : []),
          ...(again && !entry.confirmed ? [{ type: 'noted', seat, mem: { log: log.map((e) => (e.k === entry.k ? { ...e, confirmed: true } : e)) } } as E] : []),
        ],
      };
    }
    default:
      return refuse(RULES.wrongRole, { seat, action: action.type });
  }
}

function decideServer(ctx: C, seat: string, action: Action): Decision<E> {
  if (action.type !== 'execute' && action.type !== 'ack') return refuse(RULES.wrongRole, { seat, action: action.type });
  const m = ctx.delivered(seat, action.n);
  if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
  if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
  const p = m.payload;
  if (p.type !== 'forward') return refuse(RULES.wrongMessenger, { n: m.n });
  const ks = ctx.mem(seat).ks;
  const seen = ks.includes(p.k);
  const ack = ctx.send(seat, [m.from], { type: 'ack', k: p.k }, m.n);
  if (action.type === 'ack') {
    // Acknowledging a forward it never executed tells the serializer a lie.
    const r = ctx.rule(seat, seen, RULES.ackUnexecuted, { k: p.k });
    if (!r.ok) return r;
    return { ok: true, events: [...r.broken, { type: 'handled', seat, n: m.n }, ...ack] };
  }
  const r = ctx.rule(seat, !seen, RULES.executedAlready, { k: p.k });
  if (!r.ok) return r;
  return {
    ok: true,
    events: [
      ...r.broken,
      { type: 'handled', seat, n: m.n },
      { type: 'executed', server: seat, client: p.client, pos: p.pos, op: p.op, n: m.n },
      { type: 'noted', seat, mem: { ks: seen ? ks : [...ks, p.k] } },
      ...ack,
    ],
  };
}

function labelOf(p: Payload): Label {
  switch (p.type) {
    case 'command':
      return label('serializer.msg.command', { op: showOp(p.op), command: cmd(p) });
    case 'forward':
      return label('serializer.msg.forward', { k: p.k, op: showOp(p.op), command: cmd(p) });
    case 'ack':
      return label('serializer.msg.ack', { k: p.k });
    case 'confirm':
      return label('serializer.msg.confirm', { op: showOp(p.op), command: cmd(p) });
  }
}

// Every view labels every messenger its seat sent or received: a payload (kept as it is in the state) is labelled once.
const labels = new WeakMap<Payload, Label>();
function payloadLabel(p: Payload): Label {
  let l = labels.get(p);
  if (!l) labels.set(p, (l = labelOf(p)));
  return l;
}

const why = (rule: string, evidence: Record<string, string | number>): Label => label(`rule.${rule}`, evidence);

export const protocol: Protocol<Config, Payload, Mem, Action> = {
  id: 'serializer',
  rules: RULES,
  defaultConfig,
  extraSeats: () => [{ seat: SERIALIZER, role: 'serializer' }],
  script: (config, client) => config.scripts[Number(client.slice(1)) - 1] ?? [],
  initMem: () => ({ log: [], ks: [] }),
  decide(ctx, seat, role, action) {
    if (role === 'client') return decideClient(ctx, seat, action);
    if (role === 'serializer') return decideSerializer(ctx, seat, action);
    if (role === 'server') return decideServer(ctx, seat, action);
    return refuse(RULES.wrongRole, { seat, action: action.type });
  },
  carries: (p) => (p.type === 'command' || p.type === 'forward' ? { client: p.client, pos: p.pos } : null),
  payloadLabel,
  offers(ctx, seat, role) {
    if (role === 'client') {
      const script = ctx.script(seat);
      const pos = nextPos(ctx.done(seat), script);
      if (pos < 0) return [];
      const sentBefore = ctx.sent(seat).some((m) => m.payload.type === 'command' && m.payload.pos === pos);
      return [
        {
          action: { type: 'send' },
          label: label(sentBefore ? 'serializer.sendAgain' : 'serializer.send', { op: showOp(script[pos]!), to: SERIALIZER }),
          allowed: true,
          why: null,
          primary: !sentBefore,
        },
      ];
    }
    if (role !== 'serializer') return [];
    const log = ctx.mem(seat).log;
    const servers = ctx.servers;
    const open = pending(log, servers);
    const out: Offer<Action>[] = [];
    if (open.length > 0)
      out.push({
        action: { type: 'resend' },
        label: label('serializer.resend', {
          forwards: open.map((e) => `#${e.k}`).join(', '),
          to: list([...new Set(open.flatMap((e) => missing(e, servers)))]),
        }),
        allowed: true,
        why: null,
      });
    for (const e of log.filter((x) => !x.confirmed)) {
      const waiting = missing(e, servers);
      out.push({
        action: { type: 'confirm', client: e.client, pos: e.pos },
        label: label('serializer.confirm', { command: cmd(e), op: showOp(e.op), client: e.client }),
        allowed: waiting.length === 0,
        why: waiting.length === 0 ? null : why(RULES.confirmEarly, { command: cmd(e), servers: list(waiting) }),
        primary: waiting.length === 0,
      });
    }
    return out;
  },
  messageOffers(ctx, seat, role, m) {
    if (ctx.handled(seat, m.n)) return [];
    const p = m.payload;
    if (role === 'client' && p.type === 'confirm')
      return [
        {
          action: { type: 'take', n: m.n },
          label: label('serializer.take.confirm', { command: cmd(p), op: showOp(p.op) }),
          allowed: true,
          why: null,
          primary: true,
        },
      ];
    if (role === 'server' && p.type === 'forward') {
      const seen = ctx.mem(seat).ks.includes(p.k);
      const execute: Offer<Action> = {
        action: { type: 'execute', n: m.n },
        label: label('serializer.execute', { k: p.k, op: showOp(p.op) }),
        allowed: !seen,
        why: seen ? why(RULES.executedAlready, { k: p.k }) : null,
        primary: !seen,
      };
      const ack: Offer<Action> = {
        action: { type: 'ack', n: m.n },
        label: label('serializer.ackAgain', { k: p.k }),
        allowed: seen,
        why: seen ? null : why(RULES.ackUnexecuted, { k: p.k }),
        primary: seen,
      };
      return seen ? [ack, execute] : [execute, ack];
    }
    if (role !== 'serializer') return [];
    const log = ctx.mem(seat).log;
    const servers = ctx.servers;
    if (p.type === 'ack')
      return [{ action: { type: 'take', n: m.n }, label: label('serializer.take.ack', { server: m.from, k: p.k }), allowed: true, why: null, primary: true }];
    if (p.type !== 'command') return [];
    const entry = log.find((e) => same(e, p));
    if (entry) {
      const done = missing(entry, servers).length === 0;
      return [
        {
          action: { type: 'take', n: m.n },
          label: label(done ? 'serializer.take.again' : 'serializer.take.duplicate', { command: cmd(p), k: entry.k }),
          allowed: true,
          why: null,
          primary: true,
        },
      ];
    }
    const busy = pending(log, servers)[0];
    return [
      {
        action: { type: 'forward', client: p.client, pos: p.pos },
        label: label('serializer.forward', { op: showOp(p.op), command: cmd(p), k: log.length + 1, to: servers.join(', ') }),
        allowed: !busy,
        why: busy ? why(RULES.waitAcks, { k: busy.k, servers: list(missing(busy, servers)) }) : null,
        primary: !busy,
      },
      { action: { type: 'take', n: m.n }, label: label('serializer.drop'), allowed: false, why: why(RULES.dropNew, { n: m.n, command: cmd(p) }) },
    ];
  },
  holds(state, seat, role) {
    const servers = serverIds(state.config);
    if (role === 'serializer') {
      const log = state.mem[seat]?.log ?? [];
      const out: Label[] = [];
      const last = log.at(-1);
      if (!last) out.push(label('serializer.holds.idle'));
      for (const e of log.filter((x) => x === last || missing(x, servers).length > 0)) {
        const waiting = missing(e, servers);
        out.push(
          waiting.length
            ? label('serializer.holds.current', { k: e.k, op: showOp(e.op), command: cmd(e), acked: list(e.acked), missing: list(waiting) })
            : label('serializer.holds.ready', { k: e.k, op: showOp(e.op), command: cmd(e) }),
        );
      }
      // What reached it and waits: copies of one command are one command.
      const queued = new Set<string>();
      for (const m of commandsAt(state)) if (!log.some((e) => same(e, m.payload))) queued.add(`${cmd(m.payload)} ${showOp(m.payload.op)}`);
      if (queued.size) out.push(label('serializer.holds.queue', { commands: [...queued].join(', ') }));
      return out;
    }
    if (role === 'server') {
      const ks = state.mem[seat]?.ks ?? [];
      return [ks.length ? label('serializer.holds.executed', { ks: ks.map((k) => `#${k}`).join(', ') }) : label('serializer.holds.executedNone')];
    }
    if (role === 'client') {
      const done = state.done[seat] ?? [];
      const open = state.messengers.find((m) => m.from === seat && m.payload.type === 'command' && !done.includes(m.payload.pos));
      return open && open.payload.type === 'command' ? [label('serializer.holds.waiting', { command: cmd(open.payload), op: showOp(open.payload.op) })] : [];
    }
    return [];
  },
  // The serializer waits for every server, and every command passes through it.
  needs: (state) => [{ seats: [SERIALIZER, ...serverIds(state.config)], kind: 'all' }],
  decides: false,
  next: 'two-phase',
  // Nothing the valley captures stops this level: resends mend it. Its failure needs a crash.
  showcase: { failure: 'stuck', config: { captureRate: 0.1 }, crash: { seat: SERIALIZER, atMs: 5000 } },
  bot: botOf,
};

/** A bot playing its seat of this level faithfully, from its view only. */
function botOf(view: RoadView<Payload, Mem, Action>, at: number) {
  // A crashed seat does nothing; its restart is news to it, and it looks again then.
  if (view.crashed || view.status !== 'running') return { actions: [], wakeAt: null };
  const fresh = view.inbox.filter((m) => !m.handled);
  const servers = view.peers.filter((p) => p.role === 'server').map((p) => p.seat);
  if (view.role === 'client') {
    const confirms = fresh.filter((m) => m.payload.type === 'confirm');
    if (confirms.length) return { actions: confirms.map((m): Action => ({ type: 'take', n: m.n })), wakeAt: null };
    const pos = view.script.findIndex((l) => l.state === 'next');
    if (pos < 0) return { actions: [], wakeAt: null };
    const sent = view.sent.filter((m) => m.payload.type === 'command' && m.payload.pos === pos).map((m) => m.sentAt);
    const last = sent.length ? Math.max(...sent) : null;
    if (last !== null && at < last + view.resendMs) return { actions: [], wakeAt: last + view.resendMs };
    return { actions: [{ type: 'send' } as Action], wakeAt: at + view.resendMs };
  }
  if (view.role === 'server') {
    const ks = new Set(view.mem.ks);
    const actions: Action[] = [];
    for (const m of fresh) {
      if (m.payload.type !== 'forward') continue;
      actions.push({ type: ks.has(m.payload.k) ? 'ack' : 'execute', n: m.n });
      ks.add(m.payload.k);
    }
    return { actions, wakeAt: null };
  }
  if (view.role !== 'serializer') return { actions: [], wakeAt: null };
  const log = view.mem.log;
  // First what came back: acknowledgements, and copies of commands forwarded already.
  const takes = fresh.filter((m) => m.payload.type === 'ack' || (m.payload.type === 'command' && log.some((e) => same(e, m.payload as Instance))));
  if (takes.length) return { actions: takes.map((m): Action => ({ type: 'take', n: m.n })), wakeAt: null };
  // Then tell each client whose command every server has.
  const ready = log.filter((e) => !e.confirmed && missing(e, servers).length === 0);
  if (ready.length) return { actions: ready.map((e): Action => ({ type: 'confirm', client: e.client, pos: e.pos })), wakeAt: null };
  const open = pending(log, servers);
  if (open.length === 0) {
    // One command at a time: the oldest that reached it and is not forwarded yet.
    const next = fresh.find((m) => m.payload.type === 'command');
    if (!next || next.payload.type !== 'command') return { actions: [], wakeAt: null };
    return { actions: [{ type: 'forward', client: next.payload.client, pos: next.payload.pos } as Action], wakeAt: null };
  }
  // Waiting for acknowledgements: send the forward again to whoever has not answered in time.
  const ks = new Set(open.map((e) => e.k));
  const sent = view.sent.filter((m) => m.payload.type === 'forward' && ks.has(m.payload.k)).map((m) => m.sentAt);
  const last = sent.length ? Math.max(...sent) : at;
  if (at < last + view.resendMs) return { actions: [], wakeAt: last + view.resendMs };
  return { actions: [{ type: 'resend' } as Action], wakeAt: at + view.resendMs };
}
