// Property test for road level 5, the two-phase protocol, over 1,000 random bot games in fake time:
// random tables (1–3 clients, 1–3 servers), valleys (capture rate, delays), deadlines and resend
// timers, and a host who crashes and restarts any seat and holds, lets go or captures messengers at
// random moments. In strict mode the servers never diverge (compared as executed lists, every server,
// crashed or not), nothing is executed twice or lost, and the bots are never refused; and yet some
// games end stuck (a crashed server or lock holder) and some with nothing decided.
//
// fast-check prints the seed and path of any failure; to replay one, run
//   VALLEY_FC_SEED=<seed> VALLEY_FC_PATH=<path> npx vitest run test/unit/road-two-phase-properties.test.ts
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chaosOf, replay } from '../support/road.ts';
import { road, simulate, twoPhase } from '@valley/shared';

type State = ReturnType<typeof twoPhase.init>;

const table = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  clients: fc.integer({ min: 1, max: 3 }),
  servers: fc.integer({ min: 1, max: 3 }),
  captureRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
  delayMinMs: fc.integer({ min: 100, max: 2000 }),
  span: fc.integer({ min: 0, max: 3000 }),
  deadlineMs: fc.integer({ min: 20_000, max: 90_000 }),
  resendMs: fc.integer({ min: 2000, max: 8000 }),
  chaos: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 60_000 }),
      kind: fc.constantFrom('crash', 'restart', 'hold', 'release', 'capture'),
      target: fc.nat(),
    }),
    { maxLength: 6 },
  ),
});

describe('two-phase: properties over 1,000 random schedules', () => {
  it('never diverges, executes twice or loses a command in strict mode; stuck and no-decision happen under some', () => {
    const seen = { stuck: 0, 'no-decision': 0, none: 0 };
    fc.assert(
      fc.property(table, (t) => {
        const config = { ...twoPhase.defaultConfig, ...t, delayMaxMs: t.delayMinMs + t.span, mode: 'strict' as const };
        const seats = Object.keys(twoPhase.roles(config)).filter((s) => s !== 'V');
        const r = simulate(twoPhase, config, t.seed, { chaos: chaosOf(t.chaos, seats) });
        const s = r.state as State;
        const failures = twoPhase.verdict(s).failures;
        expect(failures).not.toContain('diverged');
        expect(failures).not.toContain('executed-twice');
        expect(failures).not.toContain('lost');
        // Every pair of servers, the crashed ones too, executed lists that are prefixes of one another.
        const lists = Object.values(s.servers).map((x) => x.executed);
        for (const a of lists) for (const b of lists) expect(road.prefixOf(a, b) || road.prefixOf(b, a)).toBe(true);
        // The bots play only what their view offers: never refused, never breaking a rule.
        expect(r.refusals).toEqual([]);
        expect(s.broken).toEqual([]);
        expect(s.status).toBe('ended');
        if (failures.includes('stuck')) seen.stuck++;
        if (failures.includes('no-decision')) seen['no-decision']++;
        if (failures.length === 0) seen.none++;
      }),
      { numRuns: 1000, ...replay },
    );
    expect(seen.stuck).toBeGreaterThan(0);
    expect(seen['no-decision']).toBeGreaterThan(0);
    expect(seen.none).toBeGreaterThan(0);
  }, 60_000);
});
