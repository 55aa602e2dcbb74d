// The valley at a human pace: slow motion stretches every crossing of the same seeded valley, and a
// valley seat that stops each messenger (Two Generals, Paxos, the road: one implementation) holds it
// until its decision or, at most, STOP_LIMIT_MS. A game that ends with messengers held counts them.
import { describe, expect, it } from 'vitest';
import { STOP_LIMIT_MS, clockControl, messengerFate, naive, paxos, simulate, twoGenerals, tg } from '@valley/shared';
import { Game as TgGame } from '../support/tg.ts';
import { Game as PxGame } from '../support/paxos.ts';
import { Game as RoadGame } from '../support/road.ts';

const valley = { captureRate: 0.3, delayMinMs: 1000, delayMaxMs: 3000 };

describe('slow motion', () => {
  it('multiplies every crossing of the seeded draw by its factor and changes no fate', () => {
    for (let n = 1; n <= 200; n++) {
      const real = messengerFate(42, n, valley);
      for (const k of [3, 5]) {
        const slow = messengerFate(42, n, { ...valley, slowMotion: k });
        expect(slow.type).toBe(real.type);
        // A capture happens halfway: the halves of the stretched crossing, rounded down as ever.
        if (real.type === 'delivered') expect(slow.afterMs).toBe(real.afterMs * k);
        else expect(Math.abs(slow.afterMs - real.afterMs * k)).toBeLessThan(k);
      }
    }
    // Absent is real speed, and ×1 is the same as absent.
    expect(messengerFate(42, 7, { ...valley, slowMotion: 1 })).toEqual(messengerFate(42, 7, valley));
  });

  it('a Two Generals game of bots at ×5: the same seed plays the same game, five times slower', () => {
    const config = { ...tg.defaultConfig, slowMotion: 5, deadlineMs: 600_000 };
    const a = simulate(twoGenerals, config, 11);
    const b = simulate(twoGenerals, config, 11);
    expect(b.events).toEqual(a.events);
    const real = simulate(twoGenerals, { ...config, slowMotion: 1 }, 11);
    const sent = (r: typeof a) =>
      r.events.flatMap((e) => ((e.event as tg.Event).type === 'messengerSent' ? [e.event as Extract<tg.Event, { type: 'messengerSent' }>] : []));
    const first = sent(a)[0]!;
    const firstReal = sent(real)[0]!;
    expect(first.fate.type).toBe(firstReal.fate.type);
    expect(first.fate.afterMs).toBeGreaterThanOrEqual(firstReal.fate.afterMs * 5 - 4);
  });

  it('a Two Generals messenger at ×3 takes three times as long to arrive', () => {
    const g = new TgGame({ slowMotion: 3 });
    g.propose();
    g.advance(2999);
    expect(g.state.messengers[0]!.status).toBe('inFlight');
    g.advance(1);
    expect(g.state.messengers[0]!.status).toBe('delivered');
  });

  it('is part of the settings the gateway takes: 1, 3 or 5 and nothing else', async () => {
    const { scenarioSchemas } = await import('@valley/shared/protocol');
    for (const id of ['two-generals', 'paxos', 'naive'] as const) {
      const s = scenarioSchemas[id].settings;
      const base = (await import('@valley/shared')).scenarios[id].defaultConfig as object;
      expect(s.safeParse({ ...base, slowMotion: 5 }).success, id).toBe(true);
      expect(s.safeParse({ ...base, slowMotion: 2 }).success, id).toBe(false);
    }
  });
});

describe('stop each messenger at the valley', () => {
  it('Two Generals: a messenger a general sends stops at the valley, the log says so, and it goes on by itself after the limit', () => {
    const g = new TgGame({ valley: true, stopEach: true });
    expect(twoGenerals.seatsFor(g.state.config)).toEqual(['A', 'B', 'V']);
    const events = g.propose();
    expect(events.map((e) => e.type)).toEqual(['messengerSent', 'messengerHeld']);
    expect(events[1]).toEqual({ type: 'messengerHeld', n: 1, until: STOP_LIMIT_MS });
    g.advance(STOP_LIMIT_MS - 1);
    expect(g.state.messengers[0]!.status).toBe('held');
    expect((twoGenerals.view(g.state, 'V') as tg.TGValleyView).crossing.map((m) => m.n)).toEqual([1]);
    g.advance(1);
    // Its crossing time has passed while it waited: let go, it arrives at once.
    expect(g.state.messengers[0]!.status).toBe('delivered');
    expect(g.state.messengers[0]!.endsAt).toBe(STOP_LIMIT_MS);
  });

  it('Two Generals: the valley seat lets one go early, or captures it', () => {
    const g = new TgGame({ valley: true, stopEach: true });
    g.propose();
    g.propose(7);
    g.advance(500);
    expect(g.ok('V', { type: 'release', n: 1 })).toEqual([{ type: 'messengerReleased', n: 1 }]);
    expect(g.ok('V', { type: 'capture', n: 2 })).toEqual([{ type: 'messengerCaptured', n: 2 }]);
    g.advance(500);
    expect(g.state.messengers.map((m) => m.status)).toEqual(['delivered', 'captured']);
  });

  it('Two Generals refusals: a general cannot hold, the valley cannot send, no valley seat without the setting, and a messenger not crossing', () => {
    const g = new TgGame({ valley: true, stopEach: true });
    g.propose();
    expect(g.act('B', { type: 'hold', n: 1 })).toEqual({ ok: false, refusal: { rule: tg.TG_RULES.wrongRole, evidence: { seat: 'B', action: 'hold' } } });
    expect(g.act('V', { type: 'sendMessenger', payload: { type: 'note', text: 'hi' } })).toMatchObject({ ok: false, refusal: { rule: tg.TG_RULES.wrongRole } });
    expect(g.act('V', { type: 'hold', n: 1 })).toEqual({ ok: false, refusal: { rule: tg.TG_RULES.notInFlight, evidence: { n: 1 } } });
    expect(g.act('V', { type: 'release', n: 9 })).toEqual({ ok: false, refusal: { rule: tg.TG_RULES.notInFlight, evidence: { n: 9 } } });
    // Without a valley seat there is no V, and nothing stops: stop-each needs the valley seat.
    const plain = new TgGame({ stopEach: true });
    expect(plain.propose().map((e) => e.type)).toEqual(['messengerSent']);
    expect(plain.act('V', { type: 'hold', n: 1 })).toEqual({ ok: false, refusal: { rule: tg.TG_RULES.notASeat, evidence: { seat: 'V' } } });
    expect(twoGenerals.seatsFor(plain.state.config)).toEqual(['A', 'B']);
  });

  it('Two Generals: a pause moves a stopped messenger’s limit as it moves the deadline', () => {
    const g = new TgGame({ valley: true, stopEach: true });
    g.propose();
    g.advance(5000);
    g.applyAll((twoGenerals.control(g.state, { type: 'pause' }, g.now) as { events: tg.Event[] }).events);
    g.advance(10_000);
    g.applyAll((twoGenerals.control(g.state, { type: 'resume' }, g.now) as { events: tg.Event[] }).events);
    expect(g.state.messengers[0]!.heldUntil).toBe(STOP_LIMIT_MS + 10_000);
    // 5 s waited before the pause, so 15 s are left of its 20.
    g.advance(STOP_LIMIT_MS - 5000 - 1);
    expect(g.state.messengers[0]!.status).toBe('held');
    g.advance(1);
    expect(g.state.messengers[0]!.status).toBe('delivered');
  });

  it('Paxos: with stop-each on, each Prepare waits at the valley; off, it crosses; a proposer cannot hold', () => {
    const g = new PxGame({ valley: true, stopEach: true, captureRate: 0 });
    const events = g.ok('A', { type: 'prepare', round: 1, to: ['a1', 'a2'] });
    expect(events.map((e) => e.type)).toEqual(['messengerSent', 'messengerHeld', 'messengerSent', 'messengerHeld']);
    expect(g.act('A', { type: 'hold', n: 1 })).toMatchObject({ ok: false, refusal: { rule: 'paxos/wrong-role' } });
    g.ok('V', { type: 'release', n: 2 });
    g.advance(1000);
    expect(g.state.messengers.map((m) => m.status)).toEqual(['held', 'delivered']);
    g.advance(STOP_LIMIT_MS - 1000);
    expect(g.state.messengers[0]!.status).toBe('delivered');
    const off = new PxGame({ valley: true, captureRate: 0 });
    expect(off.ok('A', { type: 'prepare', round: 1, to: ['a1'] }).map((e) => e.type)).toEqual(['messengerSent']);
    const none = new PxGame({ valley: false, stopEach: true, captureRate: 0 });
    expect(none.ok('A', { type: 'prepare', round: 1, to: ['a1'] }).map((e) => e.type)).toEqual(['messengerSent']);
  });

  it('the road (level 1): the same stop, the same limit, written the same way', () => {
    const g = new RoadGame(naive, { captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, valley: true, stopEach: true });
    const events = g.act('C1', { type: 'send' });
    expect(events.filter((e) => (e as { type: string }).type === 'messengerHeld')).toEqual([{ type: 'messengerHeld', n: 1, until: STOP_LIMIT_MS }]);
    g.wait(STOP_LIMIT_MS - 1);
    expect(g.state.messengers[0]!.status).toBe('held');
    g.wait(1);
    expect(g.state.messengers[0]!.status).toBe('delivered');
    expect(g.try('C1', { type: 'hold', n: 1 })).toMatchObject({ ok: false, refusal: { rule: 'road/wrong-role' } });
  });

  it('a game that ends with messengers held counts them in its verdict and debrief, from the messengers themselves', () => {
    const g = new TgGame({ valley: true });
    g.propose();
    g.propose(7);
    g.propose(8);
    g.ok('V', { type: 'hold', n: 1 });
    g.ok('V', { type: 'hold', n: 2 });
    g.applyAll((twoGenerals.control(g.state, { type: 'end' }, g.now) as { events: tg.Event[] }).events);
    expect(twoGenerals.verdict(g.state).heldAtEnd).toBe(2);
    expect((twoGenerals.view(g.state, 'A') as tg.TGView).debrief!.heldAtEnd).toBe(2);
    const p = new PxGame({ valley: true, stopEach: true });
    p.ok('A', { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
    p.control({ type: 'end' });
    expect(paxos.verdict(p.state).heldAtEnd).toBe(3);
    const none = new TgGame();
    none.propose();
    none.advance(200_000);
    expect(twoGenerals.verdict(none.state).heldAtEnd).toBe(0);
  });
});

describe('clockControl: one pause, resume and end for every scenario', () => {
  it('pauses a running game, resumes a paused one, ends one not over, and refuses the rest', () => {
    const end = () => [{ type: 'gameEnded' as const }];
    expect(clockControl({ status: 'running' }, { type: 'pause' }, end)).toEqual({ ok: true, events: [{ type: 'paused' }] });
    expect(clockControl({ status: 'paused' }, { type: 'resume' }, end)).toEqual({ ok: true, events: [{ type: 'resumed' }] });
    expect(clockControl({ status: 'paused' }, { type: 'end' }, end)).toEqual({ ok: true, events: [{ type: 'gameEnded' }] });
    expect(clockControl({ status: 'paused' }, { type: 'pause' }, end)).toEqual({
      ok: false,
      refusal: { rule: 'game/not-running', evidence: { status: 'paused' } },
    });
    expect(clockControl({ status: 'running' }, { type: 'resume' }, end)).toEqual({
      ok: false,
      refusal: { rule: 'game/not-paused', evidence: { status: 'running' } },
    });
    expect(clockControl({ status: 'ended' }, { type: 'end' }, end)).toEqual({
      ok: false,
      refusal: { rule: 'game/not-running', evidence: { status: 'ended' } },
    });
    expect(clockControl({ status: 'running' }, { type: 'crash' }, end)).toBeNull();
  });

  it('the three scenarios answer the host’s clock the same way', () => {
    const tgs = new TgGame();
    const pxs = new PxGame();
    const rd = new RoadGame(naive, {});
    for (const [sc, state] of [
      [twoGenerals, tgs.state],
      [paxos, pxs.state],
      [naive, rd.state],
    ] as const) {
      expect((sc.control as (s: unknown, c: { type: 'resume' }, at: number) => unknown)(state, { type: 'resume' }, 0)).toEqual({
        ok: false,
        refusal: { rule: 'game/not-paused', evidence: { status: 'running' } },
      });
      expect((sc.control as (s: unknown, c: { type: 'pause' }, at: number) => unknown)(state, { type: 'pause' }, 0)).toEqual({
        ok: true,
        events: [{ type: 'paused' }],
      });
    }
  });
});
