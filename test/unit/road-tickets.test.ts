// Road level 6, the naive ticket protocol: every rule allowed and refused (strict refuses with its id,
// free lets it through and flags it), bad input refused with nothing changed, the seed's failure played
// by hand — and the same valley under `paxos`, the three changes — and bots that play it faithfully.
import { describe, expect, it } from 'vitest';
import { scenarioWords, simulate, tickets } from '@valley/shared';
import { scenarioSchemas } from '@valley/shared/protocol';

type Config = typeof tickets.defaultConfig;
type State = ReturnType<typeof tickets.init>;
type Action = Parameters<typeof tickets.decide>[2];
type Mem = ReturnType<typeof tickets.protocol.initMem>;

const sc = tickets;
const cfg = (p: Partial<Config> = {}): Config => ({ ...sc.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, ...p });

/** A table played by hand: seats act, the valley holds or lets messengers go, time moves on. */
class Table {
  state: State;
  at = 0;
  constructor(config: Config = cfg()) {
    this.state = sc.init(config, 7, 0) as State;
  }
  private applyAll(events: unknown[]) {
    for (const e of events) this.state = sc.apply(this.state, e as never, this.at) as State;
  }
  act(seat: string, action: Action) {
    const r = sc.decide(this.state, seat, action, this.at);
    if (r.ok) this.applyAll(r.events);
    return r;
  }
  ok(seat: string, action: Action) {
    const r = this.act(seat, action);
    expect(r, JSON.stringify(action)).toMatchObject({ ok: true });
    return r.ok ? r.events : [];
  }
  refused(seat: string, action: Action, rule: string) {
    const before = this.state;
    const r = this.act(seat, action);
    expect(r.ok ? null : r.refusal.rule, JSON.stringify(action)).toBe(rule);
    expect(this.state).toBe(before);
  }
  /** The valley holds every crossing messenger that matches. */
  hold(match: (m: State['messengers'][number]) => boolean) {
    for (const m of this.state.messengers)
      if (m.status === 'inFlight' && match(m)) {
        const r = sc.control(this.state, { type: 'hold', n: m.n }, this.at);
        if (r.ok) this.applyAll(r.events);
      }
  }
  release(match: (m: State['messengers'][number]) => boolean) {
    for (const m of this.state.messengers)
      if (m.status === 'held' && match(m)) {
        const r = sc.control(this.state, { type: 'release', n: m.n }, this.at);
        if (r.ok) this.applyAll(r.events);
      }
  }
  /** Time moves on: everything crossing (and not held) arrives. */
  flush() {
    this.at += 2000;
    this.applyAll(sc.tick(this.state, this.at));
  }
  /** The messengers that reached a seat and that it has not dealt with, oldest first. */
  pending(seat: string, type?: string) {
    return this.state.messengers.filter(
      (m) =>
        m.to === seat &&
        m.status === 'delivered' &&
        !(this.state.handled[seat] ?? []).includes(m.n) &&
        (!type || (m.payload as { type: string }).type === type),
    );
  }
  /** A server answers what reached it the way the protocol says (its screen's primary offers). */
  answer(server: string) {
    for (;;) {
      const line = sc.view(this.state, server).inbox.find((l) => !l.handled);
      if (!line) return;
      const o = line.offers.find((x) => x.primary && x.allowed)!;
      this.ok(server, o.action as Action);
    }
  }
  mem(seat: string) {
    return this.state.mem[seat] as Mem;
  }
  failures() {
    return sc.verdict(this.state).failures;
  }
  executed(server: string) {
    return this.state.servers[server]!.executed.map((e) => `${e.client}#${e.pos + 1}`);
  }
  offers(seat: string) {
    return sc.view(this.state, seat).offers;
  }
}

const ALL = ['S1', 'S2', 'S3'];
const to =
  (...servers: string[]) =>
  (m: State['messengers'][number]) =>
    servers.includes(m.to);
const kind =
  (type: string, ...servers: string[]) =>
  (m: State['messengers'][number]) =>
    (m.payload as { type: string }).type === type && (servers.length === 0 || servers.includes(m.to));

/** C1 through phases 1 and 2 with ticket t on these servers (the others' messengers held). */
function ticketAndStore(tb: Table, client: string, t: number, servers = ALL) {
  tb.ok(client, { type: 'ask', t });
  tb.hold((m) => m.from === client && !servers.includes(m.to));
  tb.flush();
  for (const s of servers) tb.answer(s);
  tb.flush();
  const propose = tb.offers(client).find((o) => o.action.type === 'propose' && o.allowed)!;
  tb.ok(client, propose.action as Action);
  tb.hold((m) => m.from === client && (m.payload as { type: string }).type === 'propose' && !servers.includes(m.to));
  tb.flush();
  for (const s of servers) tb.answer(s);
  tb.flush();
}

describe('road 6, tickets: the settings', () => {
  it('defaults to two clients, three servers and a valley seat, nack on and paxos off; each client its first command only', () => {
    const c = sc.defaultConfig;
    expect(c).toMatchObject({ clients: 2, servers: 3, valley: true, nack: true, paxos: false });
    expect(Object.entries(sc.roles(c))).toEqual([
      ['C1', 'client'],
      ['C2', 'client'],
      ['S1', 'server'],
      ['S2', 'server'],
      ['S3', 'server'],
      ['V', 'valley'],
    ]);
    expect(sc.protocol.script(c, 'C1')).toEqual(['x+1']);
    expect(sc.protocol.script(c, 'C2')).toEqual(['x*2']);
    expect(sc.protocol.decides).toBe(true);
    expect(sc.protocol.showcase.failure).toBe('diverged');
    // Students play the servers at this level; the class goes on to Paxos.
    expect(sc.botSeats!(c)).toEqual([]);
    expect(sc.next).toBe('paxos');
    expect(scenarioSchemas.tickets.settings.safeParse(c).success).toBe(true);
    expect(scenarioSchemas.tickets.settings.safeParse({ ...c, paxos: 'yes' }).success).toBe(false);
  });

  it('explains every rule of its own in English and Chinese, and the Paxos mapping in both', () => {
    const w = scenarioWords.tickets;
    for (const id of Object.values(sc.protocol.rules))
      if (!id.startsWith('game/')) for (const lang of [w.en, w.zh]) expect(lang, id).toHaveProperty([`rule.${id}`]);
    for (const k of ['title', 'ask', 'ok', 'propose', 'success', 'execute', 'tMax', 'ticket', 'accept']) {
      expect(w.en).toHaveProperty([`tickets.toPaxos.${k}`]);
      expect(w.zh).toHaveProperty([`tickets.toPaxos.${k}`]);
    }
    expect(w.en['tickets.toPaxos.accept']).toMatch(/b ≥/);
    expect(w.zh['tickets.toPaxos.ticket']).toMatch(/票号/);
  });
});

describe('road 6, tickets: one client through the three phases', () => {
  it('asks, proposes with a majority of tickets, and executes with a majority of successes: every server executes it once', () => {
    const tb = new Table(cfg({ clients: 1 }));
    expect(tb.offers('C1').map((o) => o.action)).toEqual([{ type: 'ask', t: 1 }]);
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.flush();
    for (const s of ALL) {
      const line = sc.view(tb.state, s).inbox[0]!;
      expect(line.offers.map((o) => [o.action.type, o.allowed])).toEqual([
        ['issue', true],
        ['nack', false],
      ]);
      tb.answer(s);
      expect(tb.mem(s).tMax).toBe(1);
    }
    tb.flush();
    expect(tb.mem('C1').t).toBe(1);
    tb.ok('C1', { type: 'propose', client: 'C1', pos: 0 });
    tb.flush();
    for (const s of ALL) tb.answer(s);
    for (const s of ALL) expect(tb.mem(s)).toMatchObject({ c: { client: 'C1', pos: 0, op: 'x+1' }, tStore: 1 });
    expect(sc.protocol.holds(tb.state, 'S1', 'server').map((l) => l.key)).toEqual(['tickets.holds.tMax', 'tickets.holds.stored']);
    expect(sc.protocol.chosen!(tb.state)).toEqual([{ client: 'C1', pos: 0 }]);
    tb.flush();
    tb.ok('C1', { type: 'execute' });
    expect(tb.state.done.C1).toEqual([0]);
    tb.flush();
    for (const s of ALL) tb.answer(s);
    for (const s of ALL) expect(tb.executed(s)).toEqual(['C1#1']);
    expect(tb.state.servers.S1!.x).toBe(2);
    tb.flush();
    expect(tb.state.status).toBe('ended');
    expect(tb.state.endReason).toBe('finished');
    expect(tb.failures()).toEqual([]);
  });

  it('asks again with 1 + the highest ticket it used or saw in a nack', () => {
    const tb = new Table(cfg({ clients: 2 }));
    tb.ok('C2', { type: 'ask', t: 4 });
    tb.flush();
    for (const s of ALL) tb.answer(s);
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.flush();
    for (const s of ALL) tb.answer(s);
    tb.flush();
    const nacks = tb.state.messengers.filter((m) => m.to === 'C1' && m.payload.type === 'nack');
    expect(nacks.map((m) => m.payload)).toEqual(ALL.map(() => ({ type: 'nack', t: 1, tMax: 4, of: 'ask' })));
    expect(tb.offers('C1').find((o) => o.action.type === 'ask')).toMatchObject({ action: { type: 'ask', t: 5 }, primary: true });
  });
});

describe('road 6, tickets: every rule, allowed and refused', () => {
  it('bad input: a ticket that is not a positive whole number, a command not at the table — refused in either mode, nothing changes', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      for (const t of [0, -1, 1.5, Number.NaN, 2 ** 60]) tb.refused('C1', { type: 'ask', t }, 'tickets/bad-ticket');
      tb.refused('C1', { type: 'ask', t: '2' as unknown as number }, 'tickets/bad-ticket');
      tb.ok('C1', { type: 'ask', t: 1 });
      tb.refused('C1', { type: 'propose', client: 'C9', pos: 0 }, 'tickets/unknown-command');
      tb.refused('C1', { type: 'propose', client: 'C1', pos: 1 }, 'tickets/unknown-command');
      tb.refused('C1', { type: 'propose', client: 'S1', pos: 0 }, 'tickets/unknown-command');
    }
    // The wire lets any number through, so the rules can say why a ticket is refused.
    expect(scenarioSchemas.tickets.action.safeParse({ type: 'ask', t: 1.5 }).success).toBe(true);
    expect(scenarioSchemas.tickets.action.safeParse({ type: 'ask', t: 2, extra: 1 }).success).toBe(false);
    expect(scenarioSchemas.tickets.action.safeParse({ type: 'propose', client: 'C1', pos: -1 }).success).toBe(false);
  });

  it('seats act only in their role, on messengers that reached them, once', () => {
    const tb = new Table();
    tb.refused('S1', { type: 'ask', t: 1 }, 'road/wrong-role');
    tb.refused('C1', { type: 'issue', n: 1 }, 'road/wrong-role');
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.refused('S1', { type: 'issue', n: 1 }, 'road/unknown-messenger');
    tb.flush();
    tb.refused('S1', { type: 'issue', n: 2 }, 'road/unknown-messenger');
    tb.refused('S1', { type: 'store', n: 1 }, 'tickets/not-that-message');
    tb.refused('S1', { type: 'run', n: 1 }, 'tickets/not-that-message');
    tb.ok('S1', { type: 'issue', n: 1 });
    tb.refused('S1', { type: 'issue', n: 1 }, 'road/already-handled');
  });

  it('proposing needs a majority of tickets: strict refuses, free lets it through and flags it', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      tb.refused('C1', { type: 'execute' }, 'tickets/not-proposed');
      tb.ok('C1', { type: 'ask', t: 1 });
      tb.hold(to('S2', 'S3'));
      tb.flush();
      tb.answer('S1');
      tb.flush();
      const offer = tb.offers('C1').find((o) => o.action.type === 'propose')!;
      expect(offer).toMatchObject({ allowed: false, why: { key: 'rule.tickets/no-majority-tickets', params: { t: 1, tickets: 1, majority: 2 } } });
      if (mode === 'strict') tb.refused('C1', offer.action as Action, 'tickets/no-majority-tickets');
      else {
        const events = tb.ok('C1', offer.action as Action);
        expect(events[0]).toMatchObject({ type: 'ruleBroken', seat: 'C1', rule: 'tickets/no-majority-tickets' });
        expect(tb.state.broken).toHaveLength(1);
        tb.refused('C1', offer.action as Action, 'tickets/proposed-already');
      }
    }
  });

  it('executing needs a majority of successes: strict refuses, free lets it through (the client done) and flags it', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      tb.ok('C1', { type: 'ask', t: 1 });
      tb.flush();
      for (const s of ALL) tb.answer(s);
      tb.flush();
      tb.ok('C1', { type: 'propose', client: 'C1', pos: 0 });
      tb.hold(to('S2', 'S3'));
      tb.flush();
      tb.answer('S1');
      tb.flush();
      expect(tb.offers('C1')[0]).toMatchObject({ action: { type: 'execute' }, allowed: false, why: { key: 'rule.tickets/no-majority-successes' } });
      if (mode === 'strict') tb.refused('C1', { type: 'execute' }, 'tickets/no-majority-successes');
      else {
        expect(tb.ok('C1', { type: 'execute' })[0]).toMatchObject({ type: 'ruleBroken', rule: 'tickets/no-majority-successes' });
        expect(tb.state.done.C1).toEqual([0]);
        tb.refused('C1', { type: 'ask', t: 2 }, 'road/script-done');
        expect(tb.offers('C1')).toEqual([]);
      }
    }
  });

  it('a server issues a ticket only if t > T_max, else it answers nack(T_max): strict refuses the others, free flags them', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      tb.ok('C1', { type: 'ask', t: 2 });
      tb.ok('C2', { type: 'ask', t: 1 });
      tb.flush();
      const [a, b] = tb.pending('S1');
      if (mode === 'strict') tb.refused('S1', { type: 'nack', n: a!.n }, 'tickets/refuse-valid');
      tb.ok('S1', { type: 'issue', n: a!.n });
      expect(tb.mem('S1').tMax).toBe(2);
      const line = sc.view(tb.state, 'S1').inbox.find((l) => l.n === b!.n)!;
      expect(line.offers.map((o) => [o.action.type, o.allowed])).toEqual([
        ['issue', false],
        ['nack', true],
      ]);
      if (mode === 'strict') {
        tb.refused('S1', { type: 'issue', n: b!.n }, 'tickets/issue-stale');
        tb.ok('S1', { type: 'nack', n: b!.n });
      } else {
        expect(tb.ok('S1', { type: 'issue', n: b!.n })[0]).toMatchObject({ type: 'ruleBroken', rule: 'tickets/issue-stale' });
        expect(tb.mem('S1').tMax).toBe(2);
      }
    }
  });

  it('a server stores only when t = T_max, else nack: strict refuses the others, free flags them', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      tb.ok('C1', { type: 'ask', t: 1 });
      tb.flush();
      for (const s of ALL) tb.answer(s);
      tb.flush();
      tb.ok('C1', { type: 'propose', client: 'C1', pos: 0 });
      tb.ok('C2', { type: 'ask', t: 2 });
      tb.flush();
      // S1 takes C2's request first: T_max = 2, and C1's proposal with ticket 1 is stale.
      const ask = tb.pending('S1', 'ask')[0]!;
      tb.ok('S1', { type: 'issue', n: ask.n });
      const prop = tb.pending('S1', 'propose')[0]!;
      if (mode === 'strict') {
        tb.refused('S1', { type: 'store', n: prop.n }, 'tickets/store-not-current');
        tb.ok('S1', { type: 'nack', n: prop.n });
        expect(tb.mem('S1').c).toBeNull();
      } else {
        expect(tb.ok('S1', { type: 'store', n: prop.n })[0]).toMatchObject({ type: 'ruleBroken', rule: 'tickets/store-not-current' });
        expect(tb.mem('S1')).toMatchObject({ c: { client: 'C1' }, tStore: 1 });
      }
      // S2 takes the proposal first: it stores it, and refusing it breaks the rule.
      const prop2 = tb.pending('S2', 'propose')[0]!;
      if (mode === 'strict') tb.refused('S2', { type: 'ignore', n: prop2.n }, 'tickets/refuse-valid');
      tb.ok('S2', { type: 'store', n: prop2.n });
      expect(tb.mem('S2').stores).toEqual([{ client: 'C1', pos: 0, ticket: 1, at: tb.at }]);
    }
  });

  it('nack is a setting: without it a server sets a request it cannot grant aside, unanswered', () => {
    const tb = new Table(cfg({ nack: false }));
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.ok('C2', { type: 'ask', t: 1 });
    tb.flush();
    tb.answer('S1');
    const sent = tb.state.messengers.filter((m) => m.from === 'S1');
    expect(sent.map((m) => m.payload.type)).toEqual(['ticket']);
    const second = tb.state.messengers.find((m) => m.to === 'S1' && m.from === 'C2')!;
    expect(tb.state.handled.S1).toContain(second.n);
    const tb2 = new Table(cfg({ nack: false }));
    tb2.ok('C1', { type: 'ask', t: 1 });
    tb2.ok('C2', { type: 'ask', t: 1 });
    tb2.flush();
    tb2.ok('S1', { type: 'issue', n: 1 });
    tb2.refused('S1', { type: 'nack', n: 4 }, 'tickets/nack-off');
    tb2.ok('S1', { type: 'ignore', n: 4 });
  });

  it('a server executes one command at most: a later execute is shown and set aside', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      ticketAndStore(tb, 'C1', 1);
      tb.ok('C1', { type: 'execute' });
      tb.flush();
      const ex1 = tb.pending('S1', 'execute')[0]!;
      if (mode === 'strict') tb.refused('S1', { type: 'ignore', n: ex1.n }, 'tickets/refuse-valid');
      tb.ok('S1', { type: 'run', n: ex1.n });
      // C2 then stores its own everywhere and tells every server to execute: S1 executed already.
      ticketAndStore(tb, 'C2', 2);
      tb.ok('C2', { type: 'execute' });
      tb.flush();
      const again = tb.pending('S1', 'execute')[0]!;
      const offers = sc.view(tb.state, 'S1').inbox.find((l) => l.n === again.n)!.offers;
      expect(offers.map((o) => [o.action.type, o.allowed, o.primary])).toEqual([
        ['run', false, false],
        ['ignore', true, true],
      ]);
      expect(offers[0]!.why).toMatchObject({ key: 'rule.tickets/one-execute', params: { server: 'S1', command: 'C1#1' } });
      if (mode === 'strict') {
        tb.refused('S1', { type: 'run', n: again.n }, 'tickets/one-execute');
        tb.ok('S1', { type: 'ignore', n: again.n });
        expect(tb.executed('S1')).toEqual(['C1#1']);
      } else {
        expect(tb.ok('S1', { type: 'run', n: again.n })[0]).toMatchObject({ type: 'ruleBroken', rule: 'tickets/one-execute' });
        expect(tb.executed('S1')).toEqual(['C1#1', 'C2#1']);
      }
    }
  });

  it('with nothing stored (naive execute) a server has nothing to execute: it sets the execute aside', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode }));
      ticketAndStore(tb, 'C1', 1, ['S1', 'S2']);
      tb.ok('C1', { type: 'execute' });
      tb.release(() => true);
      tb.flush();
      // S3's request and proposal were held: the execute is the first thing it can act on.
      const ex3 = tb.pending('S3', 'execute')[0]!;
      expect(
        sc
          .view(tb.state, 'S3')
          .inbox.find((l) => l.n === ex3.n)!
          .offers.map((o) => o.action.type),
      ).toEqual(['ignore']);
      tb.refused('S3', { type: 'run', n: ex3.n }, 'tickets/nothing-stored');
      tb.ok('S3', { type: 'ignore', n: ex3.n });
    }
  });

  it('free mode: refusing what the rules grant goes through, flagged', () => {
    const tb = new Table(cfg({ mode: 'free' }));
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.flush();
    const events = tb.ok('S1', { type: 'nack', n: 1 });
    expect(events[0]).toMatchObject({ type: 'ruleBroken', seat: 'S1', rule: 'tickets/refuse-valid', evidence: { n: 1, t: 1, tMax: 0 } });
    expect(tb.mem('S1').tMax).toBe(0);
    expect(tb.state.broken.map((b) => b.rule)).toEqual(['tickets/refuse-valid']);
  });

  it('with paxos, proposing a command other than the stored one with the highest T_store: strict refuses, free flags it', () => {
    for (const mode of ['strict', 'free'] as const) {
      const tb = new Table(cfg({ mode, paxos: true }));
      ticketAndStore(tb, 'C1', 1, ['S1', 'S2']);
      tb.ok('C2', { type: 'ask', t: 2 });
      tb.hold(kind('ask', 'S1'));
      tb.flush();
      tb.answer('S2');
      tb.answer('S3');
      tb.flush();
      const tk = tb.state.messengers.filter((m) => m.to === 'C2' && m.payload.type === 'ticket').map((m) => m.payload);
      expect(tk).toEqual([
        { type: 'ticket', t: 2, stored: { tStore: 1, c: { client: 'C1', pos: 0, op: 'x+1' } } },
        { type: 'ticket', t: 2, stored: { tStore: 0, c: null } },
      ]);
      const offers = tb.offers('C2');
      expect(offers.map((o) => [o.action, o.allowed, o.primary ?? false])).toEqual([
        [{ type: 'propose', client: 'C1', pos: 0 }, true, true],
        [{ type: 'propose', client: 'C2', pos: 0 }, false, false],
        [{ type: 'ask', t: 3 }, true, false],
      ]);
      expect(offers[1]!.why).toMatchObject({ key: 'rule.tickets/wrong-command', params: { command: 'C2#1', required: 'C1#1' } });
      if (mode === 'strict') {
        tb.refused('C2', { type: 'propose', client: 'C2', pos: 0 }, 'tickets/wrong-command');
        tb.ok('C2', { type: 'propose', client: 'C1', pos: 0 });
        // To the same majority that issued ticket 2.
        expect(tb.state.messengers.filter((m) => m.payload.type === 'propose' && m.from === 'C2').map((m) => m.to)).toEqual(['S2', 'S3']);
      } else expect(tb.ok('C2', { type: 'propose', client: 'C2', pos: 0 })[0]).toMatchObject({ type: 'ruleBroken', rule: 'tickets/wrong-command' });
    }
  });

  it('without paxos a client proposes its own command: another is the wrong command', () => {
    const tb = new Table();
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.flush();
    for (const s of ALL) tb.answer(s);
    tb.flush();
    tb.refused('C1', { type: 'propose', client: 'C2', pos: 0 }, 'tickets/wrong-command');
  });
});

/** The seed's failure: A stored on a majority but slow; B takes a higher ticket and stores its own on some servers; A's execute arrives. */
function seedFailure(paxos: boolean) {
  const tb = new Table(cfg({ paxos }));
  ticketAndStore(tb, 'C1', 1, ['S1', 'S2']);
  tb.ok('C1', { type: 'execute' });
  tb.hold((m) => m.from === 'C1');
  // B: ticket 2 from S2 and S3, and its proposal stored there.
  tb.ok('C2', { type: 'ask', t: 2 });
  tb.hold(kind('ask', 'S1'));
  tb.flush();
  tb.answer('S2');
  tb.answer('S3');
  tb.flush();
  const p = tb.offers('C2').find((o) => o.action.type === 'propose' && o.allowed)!;
  tb.ok('C2', p.action as Action);
  tb.flush();
  tb.answer('S2');
  tb.answer('S3');
  tb.flush();
  tb.ok('C2', { type: 'execute' });
  tb.hold(kind('execute', 'S1'));
  tb.flush();
  tb.answer('S2');
  tb.answer('S3');
  // A's execute arrives, then everything else.
  tb.release((m) => m.from === 'C1' && (m.payload as { type: string }).type === 'execute');
  tb.flush();
  for (const s of ALL) tb.answer(s);
  tb.release(() => true);
  tb.flush();
  for (const s of ALL) tb.answer(s);
  tb.flush();
  tb.flush();
  return tb;
}

describe("road 6, tickets: the seed's failure, and the same valley under paxos", () => {
  it('without paxos: S1 executes A, S2 and S3 execute B — diverged, and two values each stored by a majority', () => {
    const tb = seedFailure(false);
    expect(tb.executed('S1')).toEqual(['C1#1']);
    expect(tb.executed('S2')).toEqual(['C2#1']);
    expect(tb.executed('S3')).toEqual(['C2#1']);
    expect(tb.failures()).toEqual(expect.arrayContaining(['diverged', 'two-values', 'lost']));
    expect(sc.protocol.chosen!(tb.state)).toEqual([
      { client: 'C1', pos: 0 },
      { client: 'C2', pos: 0 },
    ]);
    // S2 overwrote A's command with B's: its T_store and C are B's now, its stores keep both.
    expect(tb.mem('S2')).toMatchObject({ c: { client: 'C2' }, tStore: 2, tMax: 2 });
    expect(tb.mem('S2').stores.map((s) => `${s.client}@${s.ticket}`)).toEqual(['C1@1', 'C2@2']);
    // A later execute is shown and set aside.
    expect(tb.state.handled.S2!.length).toBe(tb.state.messengers.filter((m) => m.to === 'S2' && m.status === 'delivered').length);
    expect(tb.state.status).toBe('ended');
    expect(tb.state.broken).toEqual([]);
  });

  it("with paxos: B learns A's stored command from its tickets, proposes it, and every server executes A — one value, no divergence", () => {
    const tb = seedFailure(true);
    for (const s of ALL) expect(tb.executed(s)).toEqual(['C1#1']);
    expect(tb.failures()).toEqual([]);
    expect(sc.protocol.chosen!(tb.state)).toEqual([{ client: 'C1', pos: 0 }]);
    // B is not done with its own command (it never ran) but has settled: the game ends, nothing lost.
    expect(tb.state.done.C2).toBeUndefined();
    expect(tb.mem('C2').finished).toMatchObject({ client: 'C1' });
    expect(tb.state.endReason).toBe('finished');
  });
});

describe('road 6, tickets: who progress needs', () => {
  it('a crashed client blocks nobody; a majority of servers down is stuck', () => {
    const config = cfg({ captureRate: 0, deadlineMs: 60_000 });
    const crashC1 = (_s: unknown, at: number) => ({ controls: at === 0 ? [{ type: 'crash' as const, seat: 'C1' }] : [], wakeAt: null });
    const r = simulate(sc, config, 3, { chaos: crashC1 });
    const s = r.state as State;
    expect(s.done.C2).toEqual([0]);
    for (const srv of ALL) expect(s.servers[srv]!.executed.map((e) => e.client)).toEqual(['C2']);
    expect(sc.verdict(s).failures).not.toContain('stuck');
    const downTwo = (_s: unknown, at: number) => ({ controls: at === 0 ? ['S1', 'S2'].map((seat) => ({ type: 'crash' as const, seat })) : [], wakeAt: null });
    const r2 = simulate(sc, config, 3, { chaos: downTwo });
    expect(sc.verdict(r2.state as State).failures).toEqual(['stuck']);
    const downOne = (_s: unknown, at: number) => ({ controls: at === 0 ? [{ type: 'crash' as const, seat: 'S3' }] : [], wakeAt: null });
    const r3 = simulate(sc, { ...config, paxos: true }, 3, { chaos: downOne });
    expect(sc.verdict(r3.state as State).failures).toEqual([]);
    expect((r3.state as State).endReason).toBe('finished');
  });
});

describe('road 6, tickets: bots', () => {
  it('play faithfully from their view: strict mode never refuses them, they never break a rule, and the showcase valley makes them diverge', () => {
    const config = { ...sc.defaultConfig, ...sc.protocol.showcase.config } as Config;
    let diverged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = simulate(sc, config, seed);
      const s = r.state as State;
      expect(r.refusals).toEqual([]);
      expect(s.broken).toEqual([]);
      expect(s.endReason).toBe('finished');
      // Each server executes one command at most.
      for (const srv of ALL) expect(s.servers[srv]!.executed.length).toBeLessThanOrEqual(1);
      if (sc.verdict(s).failures.includes('diverged')) diverged++;
    }
    expect(diverged).toBeGreaterThan(8);
  });

  it('a bot server answers one messenger at a time, each on what the last one changed', () => {
    const tb = new Table();
    tb.ok('C1', { type: 'ask', t: 1 });
    tb.ok('C2', { type: 'ask', t: 1 });
    tb.flush();
    const step = sc.bot(sc.view(tb.state, 'S1'), tb.at);
    expect(step.actions).toHaveLength(1);
    tb.ok('S1', step.actions[0] as Action);
    const next = sc.bot(sc.view(tb.state, 'S1'), tb.at);
    expect(next.actions).toEqual([{ type: 'nack', n: tb.pending('S1')[0]!.n }]);
  });
});
