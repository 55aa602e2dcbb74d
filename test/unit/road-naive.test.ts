// Level 1, the naive client and server: every rule allowed and refused, the valley's hands, crashes,
// the failures recomputed from the facts, the bots, and 1,000 random schedules.
import { describe, expect, it } from 'vitest';
import { naive, scenarios } from '@valley/shared';
import { Game, schedules, type AnyRoad } from '../support/road.ts';

const quiet = { captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000 };

describe('road 1: naive client and server', () => {
  it('a client sends its commands one by one and is done with each once sent; a server executes what arrives', () => {
    const g = new Game(naive, quiet);
    expect(g.view('C1').offers.map((o) => o.action)).toEqual([{ type: 'send' }]);
    g.act('C1', { type: 'send' });
    expect(g.state.done.C1).toEqual([0]);
    expect(g.view('C1').script.map((l) => l.state)).toEqual(['done', 'next', 'later']);
    g.wait(1000);
    const [m] = g.fresh('S1');
    expect(m).toMatchObject({ from: 'C1', payload: { op: 'x+1', pos: 0 } });
    expect(m!.offers.map((o) => o.action)).toEqual([{ type: 'execute', n: m!.n }]);
    g.act('S1', { type: 'execute', n: m!.n });
    expect(g.state.servers.S1).toMatchObject({ x: 2 });
    expect(g.view('S1').server!.x).toBe(2);
  });

  it('refuses what the protocol does not allow, with the rule and its evidence, and changes nothing', () => {
    const g = new Game(naive, quiet);
    const before = g.state;
    expect(g.try('C1', { type: 'execute', n: 1 })).toEqual({ ok: false, refusal: { rule: 'road/wrong-role', evidence: { seat: 'C1', action: 'execute' } } });
    expect(g.try('S1', { type: 'send' })).toEqual({ ok: false, refusal: { rule: 'road/wrong-role', evidence: { seat: 'S1', action: 'send' } } });
    expect(g.try('S1', { type: 'execute', n: 1 })).toEqual({ ok: false, refusal: { rule: 'road/unknown-messenger', evidence: { n: 1 } } });
    expect(g.try('S9', { type: 'send' })).toEqual({ ok: false, refusal: { rule: 'game/not-a-seat', evidence: { seat: 'S9' } } });
    expect(g.try('C1', { type: 'hold', n: 1 })).toMatchObject({ ok: false, refusal: { rule: 'road/wrong-role' } });
    expect(g.state).toBe(before);
    g.act('C1', { type: 'send' });
    g.wait(1000);
    g.act('S1', { type: 'execute', n: 1 });
    expect(g.try('S1', { type: 'execute', n: 1 })).toEqual({ ok: false, refusal: { rule: 'road/already-handled', evidence: { n: 1 } } });
    g.act('C1', { type: 'send' });
    g.act('C1', { type: 'send' });
    expect(g.try('C1', { type: 'send' })).toEqual({ ok: false, refusal: { rule: 'road/script-done', evidence: {} } });
    expect(g.view('C1').offers).toEqual([]);
  });

  it('a captured command is lost: the client is done with it, the server never executed it', () => {
    const g = new Game(naive, quiet);
    g.act('C1', { type: 'send' });
    // The valley seat sees every crossing, with its three hands.
    expect(g.view('V').crossing.map((c) => c.offers.map((o) => o.action.type))).toEqual([['hold', 'capture']]);
    g.act('V', { type: 'capture', n: 1 });
    expect(g.try('V', { type: 'release', n: 1 })).toEqual({ ok: false, refusal: { rule: 'road/not-in-flight', evidence: { n: 1 } } });
    g.act('C1', { type: 'send' });
    g.act('C1', { type: 'send' });
    g.wait(1000);
    for (const m of g.fresh('S1')) g.act('S1', { type: 'execute', n: m.n });
    g.wait(1);
    expect(g.state.status).toBe('ended');
    expect(g.state.endReason).toBe('finished');
    expect(g.verdict.failures).toEqual(['lost']);
    expect(g.verdict.details[0]).toEqual({ key: 'road.failure.lost.at', params: { command: 'C1#1 x+1', servers: 'S1' } });
    // The client's own screen never learns it: a fate is not part of what it sees while it plays.
    expect(JSON.stringify(g.sc.view({ ...g.state, status: 'running' }, 'C1').sent)).not.toContain('captured');
  });

  it('a command still crossing at the end is in flight, not lost', () => {
    const g = new Game(naive, { ...quiet, deadlineMs: 10_000 });
    g.act('C1', { type: 'send' });
    g.act('V', { type: 'hold', n: 1 });
    g.control({ type: 'end' });
    expect(g.verdict.failures).toEqual([]);
    expect(g.verdict.inFlight).toBe(1);
  });

  it('two servers that take the commands in different orders diverge (compared as lists, not x)', () => {
    const g = new Game(naive, { ...quiet, servers: 2 });
    g.act('C1', { type: 'send' }); // #1 → S1, #2 → S2: x+1
    g.act('C1', { type: 'send' }); // #3 → S1, #4 → S2: x+1
    g.act('V', { type: 'hold', n: 1 });
    g.wait(1000);
    for (const s of ['S1', 'S2']) for (const m of g.fresh(s)) g.act(s, { type: 'execute', n: m.n });
    g.act('V', { type: 'release', n: 1 });
    g.wait(1);
    g.act('S1', { type: 'execute', n: 1 });
    // Both x+1: the same x, yet S1 executed C1#2 before C1#1.
    expect(g.sc.board(g.state).servers.map((s) => s.x)).toEqual([3, 3]);
    expect(g.sc.board(g.state).sameXByChance).toBe(true);
    expect(g.sc.board(g.state).failures.map((f) => f.id)).toEqual(['diverged']);
  });

  it('a crashed seat does nothing and hears nothing; it keeps what it had; the valley seat cannot crash', () => {
    const g = new Game(naive, quiet);
    g.act('C1', { type: 'send' });
    const seen = g.view('C1');
    g.control({ type: 'crash', seat: 'S1' });
    // Another seat cannot tell: the client's screen is exactly what it was.
    expect(g.view('C1')).toEqual(seen);
    expect(g.control({ type: 'crash', seat: 'V' })).toEqual({ ok: false, refusal: { rule: 'road/not-a-crashable-seat', evidence: { seat: 'V' } } });
    g.wait(1000);
    expect(g.state.messengers[0]!.status).toBe('lost');
    expect(g.try('S1', { type: 'execute', n: 1 })).toEqual({ ok: false, refusal: { rule: 'road/seat-crashed', evidence: { seat: 'S1' } } });
    expect(g.view('S1').crashed).toBe(true);
    g.control({ type: 'restart', seat: 'S1' });
    expect(g.sc.board(g.state).outages).toEqual([{ seat: 'S1', ms: 1000 }]);
  });

  it("the host's Go: every client sends what its screen offers first, at the same moment", () => {
    const g = new Game(scenarios['two-clients'] as AnyRoad, quiet);
    const d = g.control({ type: 'go' });
    expect(d.ok).toBe(true);
    expect(g.state.messengers.map((m) => `${m.from}→${m.to}`)).toEqual(['C1→S1', 'C1→S2', 'C2→S1', 'C2→S2']);
    expect(new Set(g.state.messengers.map((m) => m.sentAt))).toEqual(new Set([0]));
    // Level 1's client may send again at once; Two Generals has no Go.
    const n = new Game(naive, quiet);
    n.control({ type: 'go' });
    n.control({ type: 'go' });
    expect(n.state.done.C1).toEqual([0, 1]);
  });

  it('every seat guesses once before play, and writes one line after: counted and listed on the board with no names', () => {
    const g = new Game(naive, quiet);
    g.act('C1', { type: 'predict', agree: true });
    expect(g.try('C1', { type: 'predict', agree: false })).toEqual({ ok: false, refusal: { rule: 'road/predicted-already', evidence: { seat: 'C1' } } });
    g.act('V', { type: 'predict', agree: false });
    expect(g.view('C1').prediction).toBe(true);
    expect(g.try('C1', { type: 'reflect', text: 'ack' })).toEqual({ ok: false, refusal: { rule: 'road/reflection-too-early', evidence: {} } });
    g.control({ type: 'end' });
    expect(g.view('V').mayReflect).toBe(true);
    expect(g.try('V', { type: 'reflect', text: 'x'.repeat(121) })).toEqual({
      ok: false,
      refusal: { rule: 'road/bad-reflection', evidence: { max: 120, chars: 121 } },
    });
    expect(g.try('V', { type: 'reflect', text: '   ' })).toMatchObject({ ok: false, refusal: { rule: 'road/bad-reflection' } });
    g.act('V', { type: 'reflect', text: '  wait for   an acknowledgement ' });
    g.act('C1', { type: 'reflect', text: 'Number the commands' });
    expect(g.try('C1', { type: 'reflect', text: 'again' })).toMatchObject({ ok: false, refusal: { rule: 'road/reflected-already' } });
    const b = g.sc.board(g.state);
    expect(b.predictions).toEqual({ agree: 1, fail: 1 });
    expect(b.reflections).toEqual(['Number the commands', 'wait for an acknowledgement']);
    // An anonymised log shows a neutral label for what a student typed.
    expect(g.sc.redact!({ type: 'reflected', seat: 'V', text: 'Val says hi' }, () => 'note 1')).toEqual({ type: 'reflected', seat: 'V', text: 'note 1' });
  });

  it("the next level's fix stays hidden until the host reveals it, during the game or after", () => {
    const g = new Game(naive, quiet);
    expect(g.view('C1').fix).toBeNull();
    const before = g.view('C1');
    g.control({ type: 'end' });
    expect(g.control({ type: 'reveal' })).toEqual({ ok: true, events: [{ type: 'fixRevealed' }] });
    expect(g.view('C1').fix).toEqual({ key: 'naive.fix', params: {} });
    expect(g.sc.board(g.state).revealed).toBe(true);
    expect(before.fix).toBeNull();
    // Twice is once.
    expect(g.control({ type: 'reveal' })).toEqual({ ok: true, events: [] });
  });

  it('bots play the protocol: every command sent, every arrival executed', () => {
    const g = new Game(naive, quiet);
    for (let i = 0; i < 40 && g.state.status === 'running'; i++) {
      for (const seat of ['C1', 'S1']) for (const a of g.sc.bot(g.view(seat), g.now).actions) g.act(seat, a);
      g.wait(250);
    }
    expect(g.state.status).toBe('ended');
    expect(g.state.servers.S1).toMatchObject({ x: 6 });
    expect(g.verdict.failures).toEqual([]);
  });

  it('1,000 random schedules: commands get lost under some; nothing is ever executed twice; crashes never leave it stuck', () => {
    const runs = schedules(naive, 1000, { base: { servers: 2 }, crash: (s) => s.startsWith('S') });
    const seen = new Set(runs.flatMap((r) => r.verdict.failures));
    expect(seen.has('lost')).toBe(true);
    expect(seen.has('diverged')).toBe(true);
    for (const r of runs) {
      expect(
        r.verdict.failures.filter((f) => f === 'executed-twice' || f === 'stuck'),
        JSON.stringify(r.schedule),
      ).toEqual([]);
    }
    // A game with no capture, no crash and one server loses nothing.
    for (const r of schedules(naive, 200, { base: { servers: 1 }, fixed: { captureRate: 0 }, seed: 99 })) expect(r.verdict.failures).toEqual([]);
  });
});
