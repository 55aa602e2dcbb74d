// Level 2 of the road, acknowledgements: every rule allowed and refused (strict refuses with its id, free
// lets it through and flags it), the bad input it can meet, what a server without numbers may not see,
// the bots playing faithfully — and property tests over 1,300 random bot tables (seeds, capture rates,
// crossing times, resend timers, 1–3 servers, both modes, the host crashing, restarting, holding,
// releasing and capturing): with numbers no command is ever executed twice; without them it is under
// some schedules; and no client ever believes done a command a live server never executed.
//
// fast-check prints the seed and path of any failure; to replay one, run
//   VALLEY_FC_SEED=<seed> VALLEY_FC_PATH=<path> npx vitest run test/unit/road-acks.test.ts
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acks, scenarioWords, simulate, twoClients } from '@valley/shared';
import { scenarioSchemas } from '@valley/shared/protocol';
import { Table, cfg, checkFaithful, firstRound, play, replay, table, twice, type State } from '../support/road-acks.ts';

describe('level 2: a client and a server with acknowledgements', () => {
  it('the server acknowledges what it executes; the client is done once it notes the acknowledgement, and only then sends the next', () => {
    const t = new Table(acks, cfg());
    firstRound(t);
    expect(t.executed('S1')).toEqual(['C1#1']);
    expect(t.state.servers.S1!.x).toBe(2);
    // Before the acknowledgement arrives, the next command waits: offered, but forbidden with its reason.
    const send = t.view('C1').offers.find((o) => o.action.type === 'send')!;
    expect(send).toMatchObject({ allowed: false, why: { key: 'rule.acks/wait-for-ack', params: { command: 'C1#1', servers: 'S1' } } });
    t.wait(1000);
    const ack = t.view('C1').inbox.at(-1)!;
    expect(ack.offers).toEqual([expect.objectContaining({ action: { type: 'note', n: ack.n }, allowed: true, primary: true })]);
    const noted = t.ok('C1', { type: 'note', n: ack.n });
    expect(noted.events.map((e) => e.type)).toEqual(['handled', 'done']);
    expect(t.view('C1').offers.find((o) => o.action.type === 'send')).toMatchObject({ allowed: true, primary: true });
    t.ok('C1', { type: 'send' });
    expect(t.state.messengers.at(-1)!.payload).toMatchObject({ type: 'command', pos: 1, seq: null });
  });

  it('strict mode refuses the next command before the acknowledgement; free mode lets it through, flagged', () => {
    const strict = new Table(acks, cfg());
    strict.ok('C1', { type: 'send' });
    const r = strict.refused('C1', { type: 'send' }, 'acks/wait-for-ack');
    expect(r.refusal.evidence).toEqual({ command: 'C1#1', servers: 'S1' });

    const free = new Table(acks, cfg({ mode: 'free' }));
    free.ok('C1', { type: 'send' });
    free.ok('C1', { type: 'send' });
    expect(free.state.broken).toEqual([expect.objectContaining({ seat: 'C1', rule: 'acks/wait-for-ack' })]);
    expect(free.state.messengers.map((m) => m.payload.pos)).toEqual([0, 1]);
  });

  it('a client may resend what is not acknowledged yet; resending what every server acknowledged is refused in strict mode and flagged in free mode', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table(acks, cfg({ mode }));
      t.ok('C1', { type: 'send' });
      const resend = t.view('C1').offers.find((o) => o.action.type === 'resend')!;
      expect(resend).toMatchObject({ action: { type: 'resend', pos: 0 }, allowed: true });
      t.ok('C1', { type: 'resend', pos: 0 });
      expect(t.state.broken).toEqual([]);
      t.wait(1000);
      t.ok('S1', { type: 'execute', n: 1 });
      t.wait(1000);
      t.ok('C1', { type: 'note', n: t.last('C1') });
      const again = t.view('C1').offers.find((o) => o.action.type === 'resend')!;
      expect(again).toMatchObject({ action: { type: 'resend', pos: 0 }, allowed: false, why: { key: 'rule.acks/already-acknowledged' } });
      if (mode === 'strict') t.refused('C1', { type: 'resend', pos: 0 }, 'acks/already-acknowledged');
      else {
        t.ok('C1', { type: 'resend', pos: 0 });
        expect(t.state.broken).toEqual([expect.objectContaining({ rule: 'acks/already-acknowledged', evidence: { command: 'C1#1' } })]);
      }
    }
  });

  it('a resend needs a command that was sent, at a place the script has, in either mode', () => {
    for (const mode of ['strict', 'free'] as const) {
      const t = new Table(acks, cfg({ mode }));
      t.refused('C1', { type: 'resend', pos: 0 }, 'acks/not-sent');
      t.refused('C1', { type: 'resend', pos: 3 }, 'acks/no-such-command');
      t.refused('C1', { type: 'resend', pos: 1.5 }, 'acks/no-such-command');
    }
  });

  it('a captured acknowledgement: the client resends, the server cannot tell the copy from a new command, and executes it twice', () => {
    const t = new Table(acks, cfg());
    firstRound(t);
    const ack = t.state.messengers.at(-1)!;
    expect(ack.payload.type).toBe('ack');
    expect(t.control({ type: 'capture', n: ack.n })).toMatchObject({ ok: true });
    t.wait(6000);
    t.ok('C1', { type: 'resend', pos: 0 });
    t.wait(1000);
    const copy = t.view('S1').inbox.at(-1)!;
    // The server is offered the same step as for a new command: nothing tells it this is a copy.
    expect(copy.offers.find((o) => o.primary)).toMatchObject({ action: { type: 'execute', n: copy.n }, allowed: true });
    t.ok('S1', { type: 'execute', n: copy.n });
    expect(t.executed('S1')).toEqual(['C1#1', 'C1#1']);
    expect(t.state.servers.S1!.x).toBe(3);
    expect(t.failures()).toEqual(['executed-twice']);
    expect(t.state.broken).toEqual([]);
  });

  it('with numbers, the server acknowledges a duplicate again instead of executing it: exactly once', () => {
    const t = new Table(acks, cfg({ numbered: true }));
    firstRound(t);
    t.control({ type: 'capture', n: t.state.messengers.at(-1)!.n });
    t.ok('C1', { type: 'resend', pos: 0 });
    t.wait(1000);
    const copy = t.view('S1').inbox.at(-1)!;
    expect(copy.label).toEqual({ key: 'acks.msg.numbered', params: { op: 'x+1', seq: 1, client: 'C1' } });
    expect(copy.offers).toEqual([
      expect.objectContaining({ action: { type: 'ack', n: copy.n }, allowed: true, primary: true }),
      expect.objectContaining({ action: { type: 'execute', n: copy.n }, allowed: false, why: expect.objectContaining({ key: 'rule.acks/executed-already' }) }),
    ]);
    t.refused('S1', { type: 'execute', n: copy.n }, 'acks/executed-already');
    t.ok('S1', { type: 'ack', n: copy.n });
    t.wait(1000);
    t.ok('C1', { type: 'note', n: t.last('C1') });
    expect(t.state.done.C1).toEqual([0]);
    expect(t.executed('S1')).toEqual(['C1#1']);
    expect(t.failures()).toEqual([]);
    expect(t.view('S1').holds).toEqual([{ key: 'acks.holds.numbers', params: { numbers: 'C1 #1' } }]);
  });

  it('free mode lets a server execute a numbered duplicate, flagged — and it is executed twice', () => {
    const t = new Table(acks, cfg({ numbered: true, mode: 'free' }));
    firstRound(t);
    t.ok('C1', { type: 'resend', pos: 0 });
    t.wait(1000);
    t.ok('S1', { type: 'execute', n: t.last('S1') });
    expect(t.state.broken).toEqual([expect.objectContaining({ seat: 'S1', rule: 'acks/executed-already', evidence: { n: 3, seq: 1, client: 'C1' } })]);
    expect(t.failures()).toContain('executed-twice');
  });

  it('a server acknowledges only what it executed: refused in strict mode, numbered or not; flagged in free mode (and the command is then lost)', () => {
    for (const numbered of [false, true]) {
      const t = new Table(acks, cfg({ numbered }));
      t.ok('C1', { type: 'send' });
      t.wait(1000);
      const m = t.view('S1').inbox[0]!;
      expect(m.offers.find((o) => o.action.type === 'ack')).toMatchObject({ allowed: false, why: { key: 'rule.acks/ack-unexecuted', params: { n: m.n } } });
      t.refused('S1', { type: 'ack', n: m.n }, 'acks/ack-unexecuted');
    }
    const free = new Table(acks, cfg({ mode: 'free', clients: 1 }));
    free.ok('C1', { type: 'send' });
    free.wait(1000);
    free.ok('S1', { type: 'ack', n: 1 });
    free.wait(1000);
    free.ok('C1', { type: 'note', n: free.last('C1') });
    expect(free.state.broken).toEqual([expect.objectContaining({ rule: 'acks/ack-unexecuted' })]);
    expect(free.failures()).toEqual(['lost']);
  });

  it('with two servers the client is done only when both acknowledged, and resends only to the one that has not', () => {
    const t = new Table(acks, cfg({ servers: 2 }));
    t.ok('C1', { type: 'send' });
    expect(t.state.messengers.map((m) => m.to)).toEqual(['S1', 'S2']);
    t.wait(1000);
    t.ok('S1', { type: 'execute', n: 1 });
    t.wait(1000);
    expect(t.ok('C1', { type: 'note', n: t.last('C1') }).events.map((e) => e.type)).toEqual(['handled']);
    expect(t.view('C1').holds).toEqual([{ key: 'acks.holds.waiting', params: { op: 'x+1', servers: 'S2' } }]);
    expect(t.view('C1').offers.find((o) => o.action.type === 'resend')!.label.params).toMatchObject({ to: 'S2' });
    t.ok('C1', { type: 'resend', pos: 0 });
    expect(t.state.messengers.at(-1)!.to).toBe('S2');
    t.ok('S2', { type: 'execute', n: 2 });
    t.wait(1000);
    expect(t.ok('C1', { type: 'note', n: t.last('C1') }).events.map((e) => e.type)).toEqual(['handled', 'done']);
  });

  it('bad input: a seat that is not one, an action of another role, a messenger that has not reached you or was dealt with', () => {
    const t = new Table(acks, cfg());
    t.refused('S9', { type: 'send' }, 'game/not-a-seat');
    t.refused('S1', { type: 'send' }, 'road/wrong-role');
    t.refused('S1', { type: 'resend', pos: 0 }, 'road/wrong-role');
    t.refused('S1', { type: 'note', n: 1 }, 'road/wrong-role');
    t.refused('C1', { type: 'execute', n: 1 }, 'road/wrong-role');
    t.refused('C1', { type: 'ack', n: 1 }, 'road/wrong-role');
    t.ok('C1', { type: 'send' });
    t.refused('S1', { type: 'execute', n: 1 }, 'road/unknown-messenger');
    t.wait(1000);
    t.refused('S1', { type: 'execute', n: 99 }, 'road/unknown-messenger');
    t.ok('S1', { type: 'execute', n: 1 });
    t.refused('S1', { type: 'execute', n: 1 }, 'road/already-handled');
    t.refused('S1', { type: 'ack', n: 1 }, 'road/already-handled');
    t.wait(1000);
    t.refused('C1', { type: 'note', n: 1 }, 'road/unknown-messenger');
    t.ok('C1', { type: 'note', n: 2 });
    t.refused('C1', { type: 'note', n: 2 }, 'road/already-handled');
    for (let i = 0; i < 2; i++) {
      t.ok('C1', { type: 'send' });
      t.wait(1000);
      t.ok('S1', { type: 'execute', n: t.last('S1') });
      t.wait(1000);
      t.ok('C1', { type: 'note', n: t.last('C1') });
    }
    t.refused('C1', { type: 'send' }, 'road/script-done');
  });

  it('the wire refuses what no seat may send: unknown actions, places outside any script, commands not in the list', () => {
    const s = scenarioSchemas.acks;
    expect(s.action.safeParse({ type: 'resend', pos: 0 }).success).toBe(true);
    expect(s.action.safeParse({ type: 'resend', pos: -1 }).success).toBe(false);
    expect(s.action.safeParse({ type: 'resend', pos: 9 }).success).toBe(false);
    expect(s.action.safeParse({ type: 'execute', n: 'one' }).success).toBe(false);
    expect(s.action.safeParse({ type: 'send', op: 'x+1' }).success).toBe(false);
    expect(s.action.safeParse({ type: 'executeAll' }).success).toBe(false);
    expect(s.settings.safeParse(acks.defaultConfig).success).toBe(true);
    expect(s.settings.safeParse(twoClients.defaultConfig).success).toBe(true);
    const bad = { ...acks.defaultConfig, scripts: [['x+1', 'x^2'], ['x*2'], ['x=5']] };
    expect(s.settings.safeParse(bad).success).toBe(false);
    expect(s.settings.safeParse({ ...acks.defaultConfig, numbered: 'yes' }).success).toBe(false);
  });

  it('without numbers a server sees no number: not in its messengers, their words, what it sent, or its executed list', () => {
    const t = new Table(acks, cfg());
    firstRound(t);
    t.ok('C1', { type: 'resend', pos: 0 });
    t.wait(1000);
    const v = t.view('S1');
    expect(v.inbox.map((m) => m.label)).toEqual([
      { key: 'acks.msg.blind', params: { op: 'x+1', client: 'C1' } },
      { key: 'acks.msg.blind', params: { op: 'x+1', client: 'C1' } },
    ]);
    expect(v.sent.map((m) => m.label)).toEqual([{ key: 'acks.msg.ackBlind', params: { op: 'x+1', client: 'C1' } }]);
    expect(v.server!.executed.map((e) => e.label)).toEqual([{ key: 'acks.executedBlind', params: { op: 'x+1', client: 'C1' } }]);
    const text = JSON.stringify({ inbox: v.inbox, sent: v.sent, server: v.server, holds: v.holds, mem: v.mem });
    expect(text).not.toMatch(/"pos"|"seq":\d|C1#/);
    // The client knows its own commands; the projector (the board) keeps the truth.
    expect(t.view('C1').sent[0]!.payload).toMatchObject({ pos: 0 });
    expect(acks.diagram(t.state as never).messengers[0]!.label).toEqual({ key: 'acks.msg.command', params: { op: 'x+1', command: 'C1#1' } });
    // With numbers on, the server sees them.
    const n = new Table(acks, cfg({ numbered: true }));
    firstRound(n);
    expect(n.view('S1').inbox[0]!.payload).toMatchObject({ seq: 1 });
  });

  it('a crashed server blocks the client for ever: stuck, and the host badge names it', () => {
    const t = new Table(acks, cfg({ deadlineMs: 60_000 }));
    t.control({ type: 'crash', seat: 'S1' });
    t.ok('C1', { type: 'send' });
    expect(acks.board(t.state as never).waiting).toEqual({ key: 'road.waiting.crashed', params: { seats: 'S1' } });
    t.wait(61_000);
    expect(t.state.status).toBe('ended');
    expect(t.failures()).toEqual(['stuck']);
  });

  it("the bots play the protocol: no refusal, no broken rule, the client resends only after resendMs, and without numbers a captured acknowledgement's copy runs twice", () => {
    let twice = 0;
    for (let seed = 0; seed < 40; seed++) {
      const config = { ...acks.defaultConfig, captureRate: 0.4, valley: false };
      const r = simulate(acks, config, seed);
      const s = r.state as State;
      expect(r.refusals).toEqual([]);
      expect(s.broken).toEqual([]);
      expect(s.endReason).toBe('finished');
      // Each copy of a command leaves resendMs after the one before it, and only while unacknowledged.
      const sends = s.messengers.filter((m) => m.payload.type === 'command');
      for (const [a, b] of sends.slice(1).map((m, i) => [sends[i]!, m] as const))
        if (a.payload.pos === b.payload.pos) expect(b.sentAt - a.sentAt).toBeGreaterThanOrEqual(config.resendMs);
      const v = acks.verdict(s as never);
      if (v.failures.includes('executed-twice')) twice++;
      // A command is executed once more for each of its copies the server received after executing it.
      expect(s.servers.S1!.executed.length).toBe(s.messengers.filter((m) => m.to === 'S1' && m.status === 'delivered').length);
    }
    expect(twice).toBeGreaterThan(0);
  });

  it('every label a game of either level shows has its words, in both languages', () => {
    for (const sc of [acks, twoClients]) {
      const words = scenarioWords[sc.id as 'acks' | 'two-clients'];
      for (const numbered of [false, true]) {
        const r = simulate(sc, { ...sc.defaultConfig, numbered, captureRate: 0.3, mode: 'free' }, 3);
        const s = r.state as State;
        const d = sc.diagram(s as never);
        const labels = [...d.lanes.map((l) => l.label), ...d.messengers.map((m) => m.label), ...d.marks.map((m) => m.label)];
        const running = sc.init(s.config as never, 3, 0);
        for (const seat of sc.seatsFor(s.config as never)) {
          const v = sc.view(s as never, seat);
          labels.push(...v.holds, ...v.inbox.map((m) => m.label), ...v.sent.map((m) => m.label));
          labels.push(...sc.view(running, seat).offers.flatMap((o) => [o.label, ...(o.why ? [o.why] : [])]));
        }
        for (const l of labels) for (const lang of ['en', 'zh'] as const) expect(words[lang], l.key).toHaveProperty([l.key]);
      }
      expect(words.en).toHaveProperty([`${sc.id}.brief`]);
      expect(words.en).toHaveProperty(['acks.settings.numbered']);
    }
  });
});

describe('level 2 (acks): property tests', () => {
  it('with numbers, no command is ever executed twice (1,000 schedules)', () => {
    fc.assert(
      fc.property(table(fc.integer({ min: 1, max: 3 })), (t) => {
        const r = play(acks, t, { numbered: true });
        checkFaithful(acks, r);
        expect(twice(acks, r)).toBe(false);
        // Exactly once: every server that acknowledged a command executed it once.
        const s = r.state as State;
        for (const [seat, srv] of Object.entries(s.servers)) {
          const keys = srv.executed.map((e) => `${e.client}#${e.pos}`);
          expect(new Set(keys).size, seat).toBe(keys.length);
        }
      }),
      { numRuns: 1000, ...replay },
    );
  }, 60_000);

  it('without numbers, a command is executed twice under some schedules, and only ever through a resent copy', () => {
    let seen = 0;
    fc.assert(
      fc.property(table(fc.integer({ min: 1, max: 3 })), (t) => {
        const r = play(acks, t, { numbered: false });
        checkFaithful(acks, r);
        if (!twice(acks, r)) return;
        seen++;
        // Every execution came from a messenger of its own: a server ran a command twice only because the client sent it twice.
        const s = r.state as State;
        for (const [seat, srv] of Object.entries(s.servers))
          for (const e of srv.executed) {
            const runs = srv.executed.filter((x) => x.client === e.client && x.pos === e.pos).length;
            const copies = s.messengers.filter(
              (m) => m.to === seat && m.payload.type === 'command' && m.payload.client === e.client && m.payload.pos === e.pos,
            );
            expect(copies.length).toBeGreaterThanOrEqual(runs);
          }
      }),
      { numRuns: 300, ...replay },
    );
    expect(seen).toBeGreaterThan(20);
  }, 60_000);
});
