// Level 1, the naive client and server (朴素客户端/服务器): a client sends its commands one after the
// other and is done with each once it is sent; a server executes whatever reaches it, in the order it
// arrives. A captured command is lost — and the client cannot tell lost from slow.
import { label } from '../../diagram.ts';
import { refuse } from '../../scenario.ts';
import type { Protocol } from '../../road/protocol.ts';
import { CORE_RULES } from '../../road/engine.ts';
import { type Instance, type Op, type RoadConfig, roadDefaults, showOp } from '../../road/model.ts';

export type Config = RoadConfig;
export type Payload = { type: 'command'; client: string; pos: number; op: Op };
export type Mem = Record<string, never>;
export type Action = { type: 'send' } | { type: 'execute'; n: number };

export const RULES = { ...CORE_RULES, scriptDone: 'road/script-done' } as const;

/** How long a bot client waits between two sends: quick enough that two may overtake each other. */
export const BOT_GAP_MS = 600;

export const defaultConfig: Config = { ...roadDefaults, captureRate: 0.25 };

const nextPos = (done: number[], script: Op[]) => script.findIndex((_, i) => !done.includes(i));

export const protocol: Protocol<Config, Payload, Mem, Action> = {
  id: 'naive',
  rules: RULES,
  defaultConfig,
  script: (config, client) => config.scripts[Number(client.slice(1)) - 1] ?? [],
  initMem: () => ({}),
  decide(ctx, seat, role, action) {
    switch (action.type) {
      case 'send': {
        if (role !== 'client') return refuse(RULES.wrongRole, { seat, action: action.type });
        const script = ctx.script(seat);
        const pos = nextPos(ctx.done(seat), script);
        if (pos < 0) return refuse(RULES.scriptDone, {});
        const op = script[pos]!;
        // Sent is done: the naive client has no way to learn more.
        return { ok: true, events: [...ctx.send(seat, ctx.servers, { type: 'command', client: seat, pos, op }), { type: 'done', client: seat, pos }] };
      }
      case 'execute': {
        if (role !== 'server') return refuse(RULES.wrongRole, { seat, action: action.type });
        const m = ctx.delivered(seat, action.n);
        if (!m) return refuse(RULES.unknownMessenger, { n: action.n });
        if (ctx.handled(seat, m.n)) return refuse(RULES.alreadyHandled, { n: m.n });
        const p = m.payload;
        return {
          ok: true,
          events: [
            { type: 'handled', seat, n: m.n },
            { type: 'executed', server: seat, client: p.client, pos: p.pos, op: p.op, n: m.n },
          ],
        };
      }
    }
  },
  carries: (p): Instance => ({ client: p.client, pos: p.pos }),
  payloadLabel: (p) => label('naive.msg.command', { op: showOp(p.op), command: `${p.client}#${p.pos + 1}` }),
  offers(ctx, seat, role) {
    if (role !== 'client') return [];
    const script = ctx.script(seat);
    const pos = nextPos(ctx.done(seat), script);
    if (pos < 0) return [];
    return [
      {
        action: { type: 'send' },
        label: label('naive.send', { op: showOp(script[pos]!), to: ctx.servers.join(', ') }),
        allowed: true,
        why: null,
        primary: true,
      },
    ];
  },
  messageOffers(ctx, seat, role, m) {
    if (role !== 'server' || ctx.handled(seat, m.n)) return [];
    return [{ action: { type: 'execute', n: m.n }, label: label('road.execute', { op: showOp(m.payload.op) }), allowed: true, why: null, primary: true }];
  },
  holds: () => [],
  // The naive client never waits for anyone: nothing can block it.
  needs: () => [],
  decides: false,
  next: 'acks',
  showcase: { failure: 'lost', config: { captureRate: 0.3 } },
  bot(view, at) {
    if (view.role === 'server') {
      const todo = view.inbox.filter((m) => !m.handled);
      return { actions: todo.map((m) => ({ type: 'execute', n: m.n })), wakeAt: null };
    }
    if (view.role !== 'client' || !view.script.some((l) => l.state === 'next')) return { actions: [], wakeAt: null };
    const last = view.sent.at(-1)?.sentAt;
    if (last !== undefined && at < last + BOT_GAP_MS) return { actions: [], wakeAt: last + BOT_GAP_MS };
    return { actions: [{ type: 'send' }], wakeAt: at + BOT_GAP_MS };
  },
};
