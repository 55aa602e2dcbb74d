// Road level 5, the two-phase protocol: every rule allowed and refused (strict refuses with its id,
// free lets it through and flags it), bad input refused with nothing changed, the failures this level
// exists to show (stuck, no-decision), and the bots playing it faithfully.
import { describe, expect, it } from 'vitest';
import { simulate, tp, twoPhase, type GameControl } from '@valley/shared';
import { scenarioSchemas } from '@valley/shared/protocol';

type TP = typeof import('@valley/shared').twoPhase;
type State = ReturnType<TP['init']>;
type Action = Parameters<TP['decide']>[2];
type Payload = tp.Payload;

const R = tp.RULES;

const config = (p: Partial<State['config']> = {}): State['config'] => ({
  ...twoPhase.defaultConfig,
  captureRate: 0,
  delayMinMs: 1000,
  delayMaxMs: 1000,
  ...p,
});

/** One table played by hand in fake time: every messenger crosses in exactly one second. */
class Table {
  state: State;
  now = 0;
  constructor(p: Partial<State['config']> = {}) {
    this.state = twoPhase.init(config(p), 7, 0);
  }
  act(seat: string, action: Action) {
    const r = twoPhase.decide(this.state, seat, action, this.now);
    if (r.ok) for (const e of r.events) this.state = twoPhase.apply(this.state, e, this.now);
    return r;
  }
  must(seat: string, action: Action) {
    const r = this.act(seat, action);
    if (!r.ok) throw new Error(`${seat} ${JSON.stringify(action)} refused: ${JSON.stringify(r.refusal)}`);
    return r.events;
  }
  control(c: GameControl) {
    const r = twoPhase.control(this.state, c, this.now);
    if (r.ok) for (const e of r.events) this.state = twoPhase.apply(this.state, e, this.now);
    return r;
  }
  advance(ms = 1000) {
    this.now += ms;
    for (const e of twoPhase.tick(this.state, this.now)) this.state = twoPhase.apply(this.state, e, this.now);
  }
  /** The newest messenger of this kind that reached a seat. */
  last(seat: string, type: Payload['type'], from?: string) {
    const m = this.state.messengers.filter((x) => x.to === seat && x.status === 'delivered' && x.payload.type === type && (!from || x.from === from)).at(-1);
    if (!m) throw new Error(`no ${type} reached ${seat}`);
    return m.n;
  }
  holder(server: string) {
    return this.state.mem[server]!.holder;
  }
  /** Client c asks every server, and each grants it. */
  lockAll(c: string, servers = ['S1', 'S2', 'S3']) {
    this.must(c, { type: 'ask' });
    this.advance();
    for (const s of servers) this.must(s, { type: 'grant', n: this.last(s, 'lock', c) });
    this.advance();
  }
  failures() {
    return twoPhase.verdict(this.state).failures;
  }
}

/** Host controls at given moments, as simulate()'s chaos. */
function scripted(plan: { at: number; control: GameControl }[]) {
  let i = 0;
  return (_s: unknown, at: number) => {
    const controls: GameControl[] = [];
    for (; i < plan.length && plan[i]!.at <= at; i++) controls.push(plan[i]!.control);
    return { controls, wakeAt: plan[i]?.at ?? null };
  };
}

const refusal = (r: ReturnType<Table['act']>) => (r.ok ? null : r.refusal.rule);
const flagged = (t: Table) => t.state.broken.map((b) => b.rule);

describe('two-phase: the protocol played by hand', () => {
  it('a client gets every lock, sends its command, is done once all acknowledged, and releases each lock', () => {
    const t = new Table();
    t.lockAll('C1');
    expect(['S1', 'S2', 'S3'].map((s) => t.holder(s))).toEqual([1, 2, 3].map(() => ({ client: 'C1', try: 1 })));
    t.must('C1', { type: 'command' });
    t.advance();
    for (const s of ['S1', 'S2', 'S3']) t.must(s, { type: 'execute', n: t.last(s, 'command') });
    t.advance();
    expect(twoPhase.view(t.state, 'C1').offers.find((o) => o.action.type === 'finish')?.allowed).toBe(true);
    t.must('C1', { type: 'finish' });
    expect(t.state.done.C1).toEqual([0]);
    for (const s of ['S1', 'S2', 'S3']) t.must('C1', { type: 'unlock', server: s, try: 1 });
    t.advance();
    for (const s of ['S1', 'S2', 'S3']) t.must(s, { type: 'free', n: t.last(s, 'release') });
    expect(['S1', 'S2', 'S3'].map((s) => t.holder(s))).toEqual([null, null, null]);
    expect(['S1', 'S2', 'S3'].map((s) => t.state.servers[s]!.x)).toEqual([2, 2, 2]);
  });

  it('shows each server lock holder on the host board and on its seat', () => {
    const t = new Table();
    t.lockAll('C1', ['S1']);
    const board = twoPhase.board(t.state);
    expect(board.servers.map((s) => s.holds.map((h) => h.key))).toEqual([['two-phase.holds.lock'], ['two-phase.holds.free'], ['two-phase.holds.free']]);
    expect(board.servers[0]!.holds[0]!.params).toEqual({ client: 'C1', try: 1 });
    expect(twoPhase.view(t.state, 'S1').holds[0]!.key).toBe('two-phase.holds.lock');
    expect(board.clients[0]!.holds.map((h) => h.key)).toContain('two-phase.holds.locks');
  });

  it('a repeated request from the holder is granted again; a resend goes only to servers that have not answered', () => {
    const t = new Table();
    t.must('C1', { type: 'ask' });
    t.advance();
    t.must('S1', { type: 'grant', n: t.last('S1', 'lock') });
    t.advance();
    const resend = t.must('C1', { type: 'ask' });
    expect(resend.map((e) => (e.type === 'messengerSent' ? [e.to, (e.payload as Payload).type] : e.type))).toEqual([
      ['S2', 'lock'],
      ['S3', 'lock'],
    ]);
    t.advance();
    const [first, second] = t.state.messengers.filter((m) => m.to === 'S2').map((m) => m.n);
    t.must('S2', { type: 'grant', n: first! });
    // A second copy of the request reaches S2: the holder asking again is granted again.
    expect(t.must('S2', { type: 'grant', n: second! }).map((e) => e.type)).toEqual(['handled', 'noted', 'messengerSent']);
    expect(t.holder('S2')).toEqual({ client: 'C1', try: 1 });
  });

  it('strict: a server never grants a lock it has not got back; refusing is always allowed', () => {
    const t = new Table();
    t.lockAll('C1', ['S1']);
    t.must('C2', { type: 'ask' });
    t.advance();
    const n = t.last('S1', 'lock', 'C2');
    const offer = twoPhase
      .view(t.state, 'S1')
      .inbox.find((m) => m.n === n)!
      .offers.find((o) => o.action.type === 'grant')!;
    expect(offer.allowed).toBe(false);
    expect(offer.why?.key).toBe(`rule.${R.lockHeld}`);
    const r = t.act('S1', { type: 'grant', n });
    expect(r).toEqual({ ok: false, refusal: { rule: R.lockHeld, evidence: { client: 'C2', holder: 'C1' } } });
    expect(t.holder('S1')).toEqual({ client: 'C1', try: 1 });
    t.must('S1', { type: 'refuse', n });
    t.advance();
    expect(t.last('C2', 'refused', 'S1')).toBeGreaterThan(0);
  });

  it('free: granting a held lock goes through, flagged, and the lock changes hands', () => {
    const t = new Table({ mode: 'free' });
    t.lockAll('C1', ['S1']);
    t.must('C2', { type: 'ask' });
    t.advance();
    t.must('S1', { type: 'grant', n: t.last('S1', 'lock', 'C2') });
    expect(flagged(t)).toEqual([R.lockHeld]);
    expect(t.holder('S1')).toEqual({ client: 'C2', try: 1 });
  });

  it('strict: a client sends its command only holding every lock; free: it goes through, flagged', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table({ mode });
      t.lockAll('C1', ['S1', 'S2']);
      const offer = twoPhase.view(t.state, 'C1').offers.find((o) => o.action.type === 'command')!;
      expect([offer.allowed, offer.why?.key]).toEqual([false, `rule.${R.allLocks}`]);
      const r = t.act('C1', { type: 'command' });
      if (mode === 'strict') expect(r).toEqual({ ok: false, refusal: { rule: R.allLocks, evidence: { servers: 'S3', try: 1 } } });
      else expect(flagged(t)).toEqual([R.allLocks]);
    }
  });

  it('strict: a server refuses the command of a client not holding its lock (it may set it aside); free: executes it, flagged', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table({ mode: 'free' });
      // C2 sends without any lock (free mode lets it, flagged); then the servers play by `mode`.
      t.must('C2', { type: 'command' });
      t.state = { ...t.state, config: { ...t.state.config, mode } };
      t.advance();
      const n = t.last('S1', 'command');
      const offer = twoPhase
        .view(t.state, 'S1')
        .inbox.find((m) => m.n === n)!
        .offers.find((o) => o.action.type === 'execute')!;
      expect([offer.allowed, offer.why?.key]).toEqual([false, `rule.${R.notHolder}`]);
      const r = t.act('S1', { type: 'execute', n });
      if (mode === 'strict') {
        expect(r).toEqual({ ok: false, refusal: { rule: R.notHolder, evidence: { client: 'C2', holder: '' } } });
        t.must('S1', { type: 'drop', n });
        expect(t.state.servers.S1!.executed).toEqual([]);
      } else {
        expect(flagged(t)).toEqual([R.allLocks, R.notHolder]);
        expect(t.state.servers.S1!.executed.map((e) => e.client)).toEqual(['C2']);
      }
    }
  });

  it('numbered: a command executed already is acknowledged again, never executed twice', () => {
    const t = new Table();
    t.lockAll('C1');
    t.must('C1', { type: 'command' });
    t.must('C1', { type: 'command' });
    t.advance();
    const [a, b] = t.state.messengers.filter((m) => m.to === 'S1' && m.payload.type === 'command').map((m) => m.n);
    t.must('S1', { type: 'execute', n: a! });
    const offer = twoPhase.view(t.state, 'S1').inbox.find((m) => m.n === b)!.offers[0]!;
    expect(offer.label.key).toBe('two-phase.ackAgain');
    const events = t.must('S1', { type: 'execute', n: b! });
    expect(events.map((e) => e.type)).toEqual(['handled', 'messengerSent']);
    expect(t.state.servers.S1!.executed.length).toBe(1);
  });

  it('strict: a lock is released only after that server acknowledged; free: early, flagged', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table({ mode });
      t.lockAll('C1');
      t.must('C1', { type: 'command' });
      const offer = twoPhase.view(t.state, 'C1').offers.find((o) => o.action.type === 'unlock')!;
      expect([offer.allowed, offer.why?.key]).toEqual([false, `rule.${R.releaseAfterAck}`]);
      const r = t.act('C1', { type: 'unlock', server: 'S1', try: 1 });
      if (mode === 'strict') expect(r).toEqual({ ok: false, refusal: { rule: R.releaseAfterAck, evidence: { server: 'S1' } } });
      else expect(flagged(t)).toEqual([R.releaseAfterAck]);
    }
    // Once S1 acknowledged, releasing its lock is the protocol's next step.
    const t = new Table();
    t.lockAll('C1');
    t.must('C1', { type: 'command' });
    t.advance();
    t.must('S1', { type: 'execute', n: t.last('S1', 'command') });
    t.advance();
    const offer = twoPhase.view(t.state, 'C1').offers.find((o) => o.action.type === 'unlock' && o.action.server === 'S1')!;
    expect([offer.allowed, offer.primary]).toEqual([true, true]);
    t.must('C1', { type: 'unlock', server: 'S1', try: 1 });
  });

  it('strict: without every lock a client releases what it got before it tries again; free: flagged', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table({ mode });
      t.lockAll('C2', ['S3']);
      t.must('C1', { type: 'ask' });
      t.advance();
      t.must('S1', { type: 'grant', n: t.last('S1', 'lock', 'C1') });
      t.must('S2', { type: 'grant', n: t.last('S2', 'lock', 'C1') });
      t.must('S3', { type: 'refuse', n: t.last('S3', 'lock', 'C1') });
      t.advance();
      const ask = twoPhase.view(t.state, 'C1').offers.find((o) => o.action.type === 'ask')!;
      expect([ask.allowed, ask.why?.key]).toEqual([false, `rule.${R.releaseFirst}`]);
      const r = t.act('C1', { type: 'ask' });
      if (mode === 'strict') {
        expect(r).toEqual({ ok: false, refusal: { rule: R.releaseFirst, evidence: { locks: 'S1, S2' } } });
        t.must('C1', { type: 'unlock', server: 'S1', try: 1 });
        t.must('C1', { type: 'unlock', server: 'S2', try: 1 });
        t.advance();
        t.must('S1', { type: 'free', n: t.last('S1', 'release') });
        t.must('S2', { type: 'free', n: t.last('S2', 'release') });
        t.advance();
        expect(t.must('C1', { type: 'ask' }).filter((e) => e.type === 'messengerSent').length).toBe(3);
        expect(t.state.mem.C1!.try).toBe(2);
      } else expect(flagged(t)).toEqual([R.releaseFirst]);
    }
  });

  it('an old release never frees a newer lock: releases carry the try they release', () => {
    const t = new Table();
    t.must('C1', { type: 'ask' });
    t.advance();
    for (const s of ['S1', 'S2']) t.must(s, { type: 'grant', n: t.last(s, 'lock') });
    t.must('S3', { type: 'refuse', n: t.last('S3', 'lock') });
    t.advance();
    // Two copies of the release of S1's try-1 lock: the valley keeps the first one back.
    t.must('C1', { type: 'unlock', server: 'S1', try: 1 });
    const first = t.state.messengers.at(-1)!.n;
    t.control({ type: 'hold', n: first });
    t.must('C1', { type: 'unlock', server: 'S1', try: 1 });
    t.must('C1', { type: 'unlock', server: 'S2', try: 1 });
    t.advance();
    t.must('S1', { type: 'free', n: t.last('S1', 'release') });
    t.must('S2', { type: 'free', n: t.last('S2', 'release') });
    t.advance();
    t.lockAll('C1');
    expect(t.holder('S1')).toEqual({ client: 'C1', try: 2 });
    t.control({ type: 'release', n: first });
    t.advance(0);
    t.must('S1', { type: 'free', n: first });
    expect(t.holder('S1')).toEqual({ client: 'C1', try: 2 });
  });

  it('strict: a server never revokes a lock; free: it may, flagged — and then two clients write', () => {
    const s = new Table();
    s.lockAll('C1', ['S1']);
    const offer = twoPhase.view(s.state, 'S1').offers.find((o) => o.action.type === 'revoke')!;
    expect([offer.allowed, offer.why?.key]).toEqual([false, `rule.${R.noRevoke}`]);
    expect(s.act('S1', { type: 'revoke' })).toEqual({ ok: false, refusal: { rule: R.noRevoke, evidence: { client: 'C1' } } });

    const t = new Table({ mode: 'free', servers: 2 });
    t.lockAll('C1', ['S1', 'S2']);
    t.must('C1', { type: 'command' });
    t.advance();
    t.must('S1', { type: 'execute', n: t.last('S1', 'command') });
    // S2 takes C1's lock back and gives it to C2; so does S1. Both clients now believe they hold every lock.
    t.must('S2', { type: 'revoke' });
    t.must('S1', { type: 'revoke' });
    expect(flagged(t)).toEqual([R.noRevoke, R.noRevoke]);
    t.lockAll('C2', ['S1', 'S2']);
    t.must('C2', { type: 'command' });
    t.advance();
    t.must('S1', { type: 'execute', n: t.last('S1', 'command', 'C2') });
    t.must('S2', { type: 'execute', n: t.last('S2', 'command', 'C2') });
    // C1's command, waiting at S2, is executed too (a free-mode server, flagged): S1 took C1 then C2, S2 the reverse.
    t.must('S2', { type: 'execute', n: t.last('S2', 'command', 'C1') });
    expect(flagged(t)).toContain(R.notHolder);
    expect(t.failures()).toContain('diverged');
  });
});

describe('two-phase: bad input is refused and changes nothing', () => {
  const refusedUnchanged = (t: Table, seat: string, action: Action, rule: string) => {
    const before = t.state;
    expect(refusal(t.act(seat, action))).toBe(rule);
    expect(t.state).toBe(before);
  };

  it('releasing a lock not held, in either mode', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table({ mode });
      refusedUnchanged(t, 'C1', { type: 'unlock', server: 'S1', try: 1 }, R.notHeld);
      t.lockAll('C1', ['S1']);
      refusedUnchanged(t, 'C1', { type: 'unlock', server: 'S1', try: 2 }, R.notHeld);
      refusedUnchanged(t, 'C1', { type: 'unlock', server: 'S9', try: 1 }, R.notHeld);
      refusedUnchanged(t, 'C2', { type: 'unlock', server: 'S1', try: 1 }, R.notHeld);
    }
  });

  it("another role's action, a seat not at the table, a messenger that did not reach you or is of another kind", () => {
    const t = new Table();
    refusedUnchanged(t, 'C1', { type: 'grant', n: 1 }, R.wrongRole);
    refusedUnchanged(t, 'S1', { type: 'ask' }, R.wrongRole);
    refusedUnchanged(t, 'S1', { type: 'hold', n: 1 }, R.wrongRole);
    refusedUnchanged(t, 'C7', { type: 'ask' }, R.notASeat);
    t.must('C1', { type: 'ask' });
    refusedUnchanged(t, 'S1', { type: 'grant', n: 1 }, R.unknownMessenger);
    t.advance();
    refusedUnchanged(t, 'S1', { type: 'grant', n: 2 }, R.unknownMessenger);
    refusedUnchanged(t, 'S1', { type: 'execute', n: 1 }, R.wrongMessage);
    refusedUnchanged(t, 'S1', { type: 'free', n: 1 }, R.wrongMessage);
    t.must('S1', { type: 'grant', n: 1 });
    refusedUnchanged(t, 'S1', { type: 'refuse', n: 1 }, R.alreadyHandled);
  });

  it('a server with a free lock has nothing to resend or revoke; a client cannot finish early, ask after its command, or resend to nobody', () => {
    const t = new Table({ mode: 'free' });
    refusedUnchanged(t, 'S1', { type: 'regrant' }, R.lockFree);
    refusedUnchanged(t, 'S1', { type: 'revoke' }, R.lockFree);
    refusedUnchanged(t, 'C1', { type: 'finish' }, R.notAllAcked);
    t.lockAll('C1');
    t.must('C1', { type: 'command' });
    refusedUnchanged(t, 'C1', { type: 'ask' }, R.commandSent);
    t.advance();
    for (const s of ['S1', 'S2', 'S3']) t.must(s, { type: 'execute', n: t.last(s, 'command') });
    t.advance();
    refusedUnchanged(t, 'C1', { type: 'command' }, R.allAcked);
    t.must('C1', { type: 'finish' });
    refusedUnchanged(t, 'C1', { type: 'finish' }, R.scriptDone);
    refusedUnchanged(t, 'C1', { type: 'ask' }, R.scriptDone);
  });

  it('the wire refuses a try that is not a positive whole number and unknown actions', () => {
    const a = scenarioSchemas['two-phase'].action;
    expect(a.safeParse({ type: 'unlock', server: 'S1', try: 1 }).success).toBe(true);
    for (const bad of [
      { type: 'unlock', server: 'S1', try: 0 },
      { type: 'unlock', server: 'S1', try: 1.5 },
      { type: 'grant', n: -1 },
      { type: 'ask', op: 'x+1' },
      { type: 'steal' },
    ])
      expect(a.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('two-phase: what blocks it', () => {
  it('a client crashed holding locks: waiting on it, then stuck for ever — nobody else can finish', () => {
    const t = new Table({ deadlineMs: 60_000 });
    t.lockAll('C1', ['S1']);
    t.control({ type: 'crash', seat: 'C1' });
    expect(twoPhase.board(t.state).waiting).toEqual({ key: 'road.waiting.crashed', params: { seats: 'C1' } });
    // The other client plays on by its bot; C1 stays down.
    const sim = simulate(twoPhase, config({ deadlineMs: 60_000 }), 3, { chaos: scripted([{ at: 2_500, control: { type: 'crash', seat: 'C1' } }]) });
    const s = sim.state as State;
    expect(serversHeldBy(s, 'C1').length).toBeGreaterThan(0);
    expect(s.done.C2 ?? []).toEqual([]);
    expect(twoPhase.verdict(s).failures).toEqual(['stuck']);
    expect(twoPhase.verdict(s).details[0]).toEqual({ key: 'road.failure.stuck.at', params: { seats: 'C1' } });
  });

  it('a crashed server blocks every client', () => {
    const sim = simulate(twoPhase, config({ deadlineMs: 60_000 }), 3, { chaos: scripted([{ at: 0, control: { type: 'crash', seat: 'S2' } }]) });
    const s = sim.state as State;
    expect([s.done.C1 ?? [], s.done.C2 ?? []]).toEqual([[], []]);
    expect(twoPhase.verdict(s).failures).toEqual(['stuck']);
  });

  it('nothing decided though every seat is alive: no-decision', () => {
    // The valley captures every messenger: nobody ever gets a lock.
    const sim = simulate(twoPhase, config({ deadlineMs: 30_000, captureRate: 1 }), 3);
    expect(twoPhase.verdict(sim.state as State).failures).toEqual(['no-decision']);
  });

  it("the level's showcase: collisions decide nothing, on many seeds, within a minute — with every seat alive and no lock lost", () => {
    const { failure, config: c } = twoPhase.protocol.showcase;
    expect(failure).toBe('no-decision');
    const cfg = { ...twoPhase.defaultConfig, ...c };
    expect(cfg.deadlineMs).toBeLessThanOrEqual(60_000);
    const runs = Array.from({ length: 40 }, (_, seed) => simulate(twoPhase, cfg, seed + 1));
    const hits = runs.filter((r) => twoPhase.verdict(r.state as State).failures.includes(failure));
    expect(hits.length).toBeGreaterThan(8);
    for (const r of hits) {
      const s = r.state as State;
      expect(s.down).toEqual({});
      // The clients collided: some server refused some lock.
      expect(s.messengers.some((m) => m.payload.type === 'refused')).toBe(true);
    }
    // ...and backed off and tried again, in most of them.
    expect(hits.filter((r) => Math.max((r.state as State).mem.C1!.try, (r.state as State).mem.C2!.try) > 1).length).toBeGreaterThan(hits.length / 2);
  });
});

const serversHeldBy = (s: State, c: string) => ['S1', 'S2', 'S3'].filter((x) => s.mem[x]?.holder?.client === c);

describe('two-phase: the bots', () => {
  it('play faithfully: never refused, never break a rule, both commands executed in one order everywhere', () => {
    for (const mode of ['strict', 'free'] as const)
      for (let seed = 1; seed <= 40; seed++) {
        const r = simulate(twoPhase, { ...twoPhase.defaultConfig, mode }, seed);
        const s = r.state as State;
        expect(r.refusals, `seed ${seed}`).toEqual([]);
        expect(s.broken).toEqual([]);
        expect(s.endReason).toBe('finished');
        expect(twoPhase.verdict(s).failures).toEqual([]);
        const lists = ['S1', 'S2', 'S3'].map((x) => s.servers[x]!.executed.map((e) => e.client).join());
        expect(new Set(lists).size).toBe(1);
        expect(lists[0]!.split(',').sort()).toEqual(['C1', 'C2']);
      }
  });

  it('collide and back off by a time drawn from the seat and try: the two clients do not retry together', () => {
    const tries = [1, 2, 3, 4, 5].map((t) => [tp.backoffMs('C1', t, 7000), tp.backoffMs('C2', t, 7000)]);
    expect(tries.filter(([a, b]) => a === b)).toEqual([]);
    for (const [a, b] of tries) expect(Math.max(a!, b!)).toBeLessThan(1.5 * 7000);
    expect(tp.backoffMs('C1', 2, 7000)).toBe(tp.backoffMs('C1', 2, 7000));
  });

  it("act only through their seat's offers: every offer a view shows allowed goes through, every forbidden one is refused with its why", () => {
    let checked = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const r = simulate(twoPhase, { ...twoPhase.defaultConfig, captureRate: 0.3 }, seed);
      // Rebuild the game step by step and at each step ask every seat's every offer.
      let state = twoPhase.init((r.state as State).config, seed, 0);
      for (const step of r.steps) {
        for (const seat of twoPhase.seatsFor(state.config)) {
          if (seat === 'V') continue;
          const v = twoPhase.view(state, seat);
          const offers = [...v.offers, ...v.inbox.flatMap((m) => m.offers)];
          for (const o of offers) {
            const d = twoPhase.decide(state, seat, o.action as Action, step.at);
            expect(d.ok, `${seat} ${JSON.stringify(o.action)}`).toBe(o.allowed);
            if (!d.ok) expect(`rule.${d.refusal.rule}`).toBe(o.why?.key);
            checked++;
          }
        }
        for (const e of step.events) state = twoPhase.apply(state, e as never, step.at);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
