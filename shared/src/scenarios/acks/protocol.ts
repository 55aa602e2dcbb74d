// Level 2, the client and server with acknowledgements (带确认): a server acknowledges every command it
// executes; a client sends its next command only once every server acknowledged the last, and resends
// when no acknowledgement comes in time. A captured acknowledgement makes the client resend a command
// the server executed already — and the server, seeing the same command again, executes it twice.
// With `numbered`, commands carry sequence numbers: a server executes each number once and acknowledges
// a duplicate again. Level 3 (two-clients) plays this same protocol with two clients: ackProtocol().
import { label, type Label } from '../../diagram.ts';
import { refuse } from '../../scenario.ts';
import type { Protocol } from '../../road/protocol.ts';
import type { RoadView } from '../../road/view.ts';
import { CORE_RULES } from '../../road/engine.ts';
import {
  type CoreEvent,
  type FailureId,
  type Instance,
  type Op,
  type RoadConfig,
  type RoadState,
  instanceKey,
  roadDefaults,
  serverIds,
  showOp,
} from '../../road/model.ts';

export interface Config extends RoadConfig {
  /** Commands carry sequence numbers; a server executes each number once. */
  numbered: boolean;
}

/**
 * A command, and its acknowledgement. `seq` is its sequence number (null while `numbered` is off);
 * `pos` is where it stands in the client's script — the game's truth, which a server's view does not
 * show while commands carry no number (conceal()).
 */
export type Payload =
  { type: 'command'; client: string; pos: number; op: Op; seq: number | null } | { type: 'ack'; client: string; pos: number; op: Op; seq: number | null };
export interface Mem {
  /** A server's record of the sequence numbers it executed, per client (numbered only). */
  seqs: Record<string, number[]>;
}
export type Action =
  { type: 'send' } | { type: 'resend'; pos: number } | { type: 'note'; n: number } | { type: 'execute'; n: number } | { type: 'ack'; n: number };

export const RULES = {
  ...CORE_RULES,
  scriptDone: 'road/script-done',
  noSuchCommand: 'acks/no-such-command',
  notSent: 'acks/not-sent',
  waitForAck: 'acks/wait-for-ack',
  acknowledged: 'acks/already-acknowledged',
  executedAlready: 'acks/executed-already',
  ackUnexecuted: 'acks/ack-unexecuted',
} as const;

export const defaultConfig: Config = { ...roadDefaults, captureRate: 0.2, numbered: false };

type S = RoadState<Config, Payload, Mem>;
type Cmd = Extract<Payload, { type: 'command' }>;
type Ack = Extract<Payload, { type: 'ack' }>;

const command = (i: Instance) => instanceKey(i);

/** The positions of its script a client has sent, and the servers whose acknowledgement of a position it noted. */
function clientFacts(state: S, seat: string) {
  const sent = new Set<number>();
  const acks = new Map<number, Set<string>>();
  const handled = new Set(state.handled[seat] ?? []);
  for (const m of state.messengers)
    if (m.from === seat && m.payload.type === 'command') sent.add(m.payload.pos);
    else if (m.to === seat && m.payload.type === 'ack' && handled.has(m.n)) {
      const by = acks.get(m.payload.pos) ?? new Set<string>();
      acks.set(m.payload.pos, by.add(m.from));
    }
  const ackedBy = (pos: number) => new Set(acks.get(pos));
  return { sent, ackedBy };
}

const scriptOf = (config: Config, client: string): Op[] => config.scripts[Number(client.slice(1)) - 1] ?? [];

/** The numbers a server executed, in words: "C1 #1, #2 · C2 #1". */
const numbersWords = (seqs: Record<string, number[]>) =>
  Object.entries(seqs)
    .filter(([, ns]) => ns.length > 0)
    .map(([c, ns]) => `${c} ${ns.map((n) => `#${n}`).join(', ')}`)
    .join(' · ');

const why = (rule: string, evidence: Record<string, string | number>): Label => label(`rule.${rule}`, evidence);

/** The acknowledgement protocol as a road level: level 2 (acks) and level 3 (two-clients) are this, with their own settings. */
export function ackProtocol(level: {
  id: string;
  defaults: Config;
  showcase: { failure: FailureId; config: Partial<Config> };
  /** The level a class plays after this one. */
  next: string;
}): Protocol<Config, Payload, Mem, Action> {
  const { id, defaults, showcase, next } = level;
  return {
    id,
    next,
    rules: RULES,
    defaultConfig: defaults,
    script: scriptOf,
    initMem: () => ({ seqs: {} }),
    decide(ctx, seat, role, action) {
      const numbered = ctx.config.numbered;
      switch (action.type) {
        case 'send': {
          if (role !== 'client') return refuse(RULES.wrongRole, { seat, action: action.type });
          const script = ctx.script(seat);
          const f = clientFacts(ctx.state, seat);
          const pos = script.findIndex((_, i) => !f.sent.has(i));
          if (pos < 0) return refuse(RULES.scriptDone, {});
          // The next command waits until every server acknowledged every command sent before it.
          const waiting = [...f.sent].sort((a, b) => a - b).find((p) => !ctx.done(seat).includes(p));
          const r = ctx.rule(
            seat,
            waiting === undefined,
            RULES.waitForAck,
            waiting === undefined
              ? {}
              : { command: command({ client: seat, pos: waiting }), servers: ctx.servers.filter((s) => !f.ackedBy(waiting).has(s)).join(', ') },
          );
          if (!r.ok) return r;
          const payload: Cmd = { type: 'command', client: seat, pos, op: script[pos]!, seq: numbered ? pos + 1 : null };
          return { ok: true, events: [...r.broken, ...ctx.send(seat, ctx.servers, payload)] };
        }
        case 'resend': {
          if (role !== 'client') return refuse(RULES.wrongRole, { seat, action: action.type });
          const script = ctx.script(seat);
          if (!Number.isInteger(action.pos) || action.pos < 0 || action.pos >= script.length) return refuse(RULES.noSuchCommand, { pos: action.pos });
          const f = clientFacts(ctx.state, seat);
          const cmd = command({ client: seat, pos: action.pos });
          if (!f.sent.has(action.pos)) return refuse(RULES.notSent, { command: cmd });
          const r = ctx.rule(seat, !ctx.done(seat).includes(action.pos), RULES.acknowledged, { command: cmd });
          if (!r.ok) return r;
          // To the servers whose acknowledgement has not come; an acknowledged command (free mode) to all.
          const acked = f.ackedBy(action.pos);
          const missing = ctx.servers.filter((s) => !acked.has(s));
          const payload: Cmd = { type: 'command', client: seat, pos: action.pos, op: script[action.pos]!, seq: numbered ? action.pos + 1 : null };
          return { ok: true, events: [...r.broken, ...ctx.send(seat, missing.length > 0 ? missing : ctx.servers, payload)] };
        }
        case 'note': {
          if (role !== 'client') return refuse(RULES.wrongRole, { seat, action: action.type });
          const m = ctx.delivered(seat, action.n);
          if (!m || m.payload.type !== 'ack') return refuse(RULES.unknownMessenger, { n: action.n });
          if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
          const pos = m.payload.pos;
          const acked = clientFacts(ctx.state, seat).ackedBy(pos).add(m.from);
          const complete = ctx.servers.every((s) => acked.has(s)) && !ctx.done(seat).includes(pos);
          return { ok: true, events: [{ type: 'handled', seat, n: m.n }, ...(complete ? [{ type: 'done' as const, client: seat, pos }] : [])] };
        }
        case 'execute':
        case 'ack': {
          if (role !== 'server') return refuse(RULES.wrongRole, { seat, action: action.type });
          const m = ctx.delivered(seat, action.n);
          if (!m || m.payload.type !== 'command') return refuse(RULES.unknownMessenger, { n: action.n });
          if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
          const p = m.payload;
          const seqs = ctx.mem(seat).seqs;
          const executed = numbered && p.seq !== null && (seqs[p.client] ?? []).includes(p.seq);
          const ack: Ack = { type: 'ack', client: p.client, pos: p.pos, op: p.op, seq: p.seq };
          const reply = ctx.send(seat, [m.from], ack, m.n);
          if (action.type === 'ack') {
            // Without numbers a server knows a command only by the messenger that brought it: it has executed none of this one.
            const r = ctx.rule(seat, executed, RULES.ackUnexecuted, { n: m.n });
            if (!r.ok) return r;
            return { ok: true, events: [...r.broken, { type: 'handled', seat, n: m.n }, ...reply] };
          }
          const r = ctx.rule(seat, !executed, RULES.executedAlready, { n: m.n, seq: p.seq ?? 0, client: p.client });
          if (!r.ok) return r;
          const noted: CoreEvent<Payload, Mem>[] =
            numbered && p.seq !== null && !executed
              ? [{ type: 'noted', seat, mem: { seqs: { ...seqs, [p.client]: [...(seqs[p.client] ?? []), p.seq] } } }]
              : [];
          return {
            ok: true,
            events: [
              ...r.broken,
              { type: 'handled', seat, n: m.n },
              { type: 'executed', server: seat, client: p.client, pos: p.pos, op: p.op, n: m.n },
              ...noted,
              ...reply,
            ],
          };
        }
      }
    },
    carries: (p): Instance | null => (p.type === 'command' ? { client: p.client, pos: p.pos } : null),
    payloadLabel: (p) =>
      p.type === 'command'
        ? p.seq === null
          ? label('acks.msg.command', { op: showOp(p.op), command: command(p) })
          : label('acks.msg.numbered', { op: showOp(p.op), seq: p.seq, client: p.client })
        : p.seq === null
          ? label('acks.msg.ack', { op: showOp(p.op), command: command(p) })
          : label('acks.msg.ackNumbered', { op: showOp(p.op), seq: p.seq, client: p.client }),
    offers(ctx, seat, role) {
      if (role !== 'client') return [];
      const script = ctx.script(seat);
      const done = ctx.done(seat);
      const f = clientFacts(ctx.state, seat);
      const out: ReturnType<Protocol<Config, Payload, Mem, Action>['offers']> = [];
      const pending = [...f.sent].sort((a, b) => a - b).filter((p) => !done.includes(p));
      for (const pos of pending) {
        const acked = f.ackedBy(pos);
        out.push({
          action: { type: 'resend', pos },
          label: label('acks.resend', { op: showOp(script[pos]!), to: ctx.servers.filter((s) => !acked.has(s)).join(', ') }),
          allowed: true,
          why: null,
        });
      }
      const next = script.findIndex((_, i) => !f.sent.has(i));
      if (next >= 0) {
        const waiting = pending[0];
        out.unshift({
          action: { type: 'send' },
          label: label('acks.send', { op: showOp(script[next]!), to: ctx.servers.join(', ') }),
          allowed: waiting === undefined,
          why:
            waiting === undefined
              ? null
              : why(RULES.waitForAck, {
                  command: command({ client: seat, pos: waiting }),
                  servers: ctx.servers.filter((s) => !f.ackedBy(waiting).has(s)).join(', '),
                }),
          primary: waiting === undefined,
        });
      }
      // The last command every server acknowledged: resending it breaks the protocol (free mode lets it through).
      const last = done.at(-1);
      if (last !== undefined)
        out.push({
          action: { type: 'resend', pos: last },
          label: label('acks.resendDone', { op: showOp(script[last]!) }),
          allowed: false,
          why: why(RULES.acknowledged, { command: command({ client: seat, pos: last }) }),
        });
      return out;
    },
    messageOffers(ctx, seat, role, m) {
      if (ctx.handled(seat, m.n)) return [];
      const p = m.payload;
      if (role === 'client' && p.type === 'ack')
        return [{ action: { type: 'note', n: m.n }, label: label('acks.note', { server: m.from, op: showOp(p.op) }), allowed: true, why: null, primary: true }];
      if (role !== 'server' || p.type !== 'command') return [];
      const executed = ctx.config.numbered && p.seq !== null && (ctx.mem(seat).seqs[p.client] ?? []).includes(p.seq);
      if (executed)
        return [
          { action: { type: 'ack', n: m.n }, label: label('acks.ackAgain', { seq: p.seq!, op: showOp(p.op) }), allowed: true, why: null, primary: true },
          {
            action: { type: 'execute', n: m.n },
            label: label('acks.executeAgain', { seq: p.seq!, op: showOp(p.op) }),
            allowed: false,
            why: why(RULES.executedAlready, { n: m.n, seq: p.seq!, client: p.client }),
          },
        ];
      return [
        { action: { type: 'execute', n: m.n }, label: label('acks.execute', { op: showOp(p.op) }), allowed: true, why: null, primary: true },
        { action: { type: 'ack', n: m.n }, label: label('acks.ackOnly'), allowed: false, why: why(RULES.ackUnexecuted, { n: m.n }) },
      ];
    },
    holds(state, seat, role) {
      if (role === 'server') {
        const words = numbersWords(state.mem[seat]?.seqs ?? {});
        return state.config.numbered && words ? [label('acks.holds.numbers', { numbers: words })] : [];
      }
      if (role !== 'client') return [];
      const f = clientFacts(state, seat);
      const done = state.done[seat] ?? [];
      const script = scriptOf(state.config, seat);
      return [...f.sent]
        .sort((a, b) => a - b)
        .filter((p) => !done.includes(p))
        .map((p) => {
          const acked = f.ackedBy(p);
          return label('acks.holds.waiting', {
            op: showOp(script[p]!),
            servers: serverIds(state.config)
              .filter((s) => !acked.has(s))
              .join(', '),
          });
        });
    },
    // A client waits for every server's acknowledgement: with any server down, it resends in vain.
    needs: (state) => [{ seats: serverIds(state.config), kind: 'all' }],
    decides: false,
    showcase,
    conceal(view, state) {
      // Without numbers a server cannot tell a resent command from a new one: its view says only what and from whom.
      if (view.role !== 'server' || state.config.numbered) return view;
      const blind = (p: Payload): Payload => {
        const { pos: _pos, ...rest } = p;
        return rest as Payload;
      };
      const executed = state.servers[view.seat]?.executed ?? [];
      return {
        ...view,
        inbox: view.inbox.map((l) => ({
          ...l,
          payload: blind(l.payload),
          label: label('acks.msg.blind', { op: showOp(l.payload.op), client: l.payload.client }),
        })),
        sent: view.sent.map((l) => ({
          ...l,
          payload: blind(l.payload),
          label: label('acks.msg.ackBlind', { op: showOp(l.payload.op), client: l.payload.client }),
        })),
        server: view.server && {
          ...view.server,
          executed: view.server.executed.map((e, i) => ({ ...e, label: label('acks.executedBlind', { op: showOp(e.op), client: executed[i]?.client ?? '' }) })),
        },
      };
    },
    bot: (view, at) => (view.role === 'server' ? serverBot(view) : view.role === 'client' ? clientBot(view, at) : { actions: [], wakeAt: null }),
  };
}

/** A server executes each command that reaches it and acknowledges it; with numbers, a number it executed is only acknowledged again. */
function serverBot(view: RoadView<Payload, Mem, Action>) {
  if (view.crashed) return { actions: [], wakeAt: null };
  const seen = new Map(Object.entries(view.mem.seqs).map(([c, ns]) => [c, new Set(ns)]));
  const actions: Action[] = [];
  for (const m of view.inbox) {
    if (m.handled || m.payload.type !== 'command') continue;
    const seq = m.payload.seq;
    const mine = seen.get(m.payload.client) ?? new Set<number>();
    if (seq !== null && mine.has(seq)) actions.push({ type: 'ack', n: m.n });
    else {
      actions.push({ type: 'execute', n: m.n });
      if (seq !== null) seen.set(m.payload.client, mine.add(seq));
    }
  }
  return { actions, wakeAt: null };
}

/**
 * A client notes every acknowledgement, sends its next command once the last is acknowledged by every
 * server, and resends a command `resendMs` after it last sent it while acknowledgements are missing.
 */
function clientBot(view: RoadView<Payload, Mem, Action>, at: number) {
  if (view.crashed) return { actions: [], wakeAt: null };
  const notes = view.inbox.filter((m) => !m.handled && m.payload.type === 'ack').map((m): Action => ({ type: 'note', n: m.n }));
  if (notes.length > 0) return { actions: notes, wakeAt: null };
  if (view.offers.some((o) => o.action.type === 'send' && o.allowed)) return { actions: [{ type: 'send' } as Action], wakeAt: null };
  const next = view.script.findIndex((l) => l.state === 'next');
  if (next < 0) return { actions: [], wakeAt: null };
  const last = Math.max(...view.sent.filter((m) => m.payload.type === 'command' && m.payload.pos === next).map((m) => m.sentAt));
  if (!Number.isFinite(last)) return { actions: [], wakeAt: null };
  const due = last + view.resendMs;
  return at >= due ? { actions: [{ type: 'resend', pos: next } as Action], wakeAt: at + view.resendMs } : { actions: [], wakeAt: due };
}

export const protocol = ackProtocol({
  id: 'acks',
  defaults: defaultConfig,
  showcase: { failure: 'executed-twice', config: { captureRate: 0.4 } },
  next: 'two-clients',
});
