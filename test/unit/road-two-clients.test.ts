// Level 3 of the road, two clients and two servers: level 2's protocol with numbers on and nothing
// captured — and the servers take the clients' commands in different orders. Property tests over 1,100
// random bot tables: the servers diverge under some schedules, yet no command is executed twice or lost.
//
// fast-check prints the seed and path of any failure; to replay one, run
//   VALLEY_FC_SEED=<seed> VALLEY_FC_PATH=<path> npx vitest run test/unit/road-two-clients.test.ts
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acks, naive, simulate, twoClients } from '@valley/shared';
import { Table, checkFaithful, play, replay, table, twice, type State } from '../support/road-acks.ts';

describe('level 3: two clients, two servers', () => {
  it('defaults: two clients, two servers, numbers on, nothing captured, the default scripts', () => {
    expect(twoClients.defaultConfig).toMatchObject({ clients: 2, servers: 2, numbered: true, captureRate: 0 });
    expect(twoClients.seatsFor(twoClients.defaultConfig)).toEqual(['C1', 'C2', 'S1', 'S2', 'V']);
    expect(twoClients.protocol.showcase.failure).toBe('diverged');
    expect(acks.protocol.showcase.failure).toBe('executed-twice');
    expect(twoClients.rules).toEqual(acks.rules);
    // The road runs on: level 1 → 2 → 3 → 4 (the serializer, not built here yet).
    expect([naive.next, acks.next, twoClients.next]).toEqual(['acks', 'two-clients', 'serializer']);
  });

  it('the servers take the two first commands in different orders: diverged, though each is executed once', () => {
    const t = new Table(twoClients, { ...twoClients.defaultConfig, delayMinMs: 1000, delayMaxMs: 1000, valley: false });
    t.ok('C1', { type: 'send' }); // 1 → S1, 2 → S2
    t.ok('C2', { type: 'send' }); // 3 → S1, 4 → S2
    t.wait(1000);
    t.ok('S1', { type: 'execute', n: 1 });
    t.ok('S1', { type: 'execute', n: 3 });
    t.ok('S2', { type: 'execute', n: 4 });
    t.ok('S2', { type: 'execute', n: 2 });
    expect(t.executed('S1')).toEqual(['C1#1', 'C2#1']);
    expect(t.executed('S2')).toEqual(['C2#1', 'C1#1']);
    expect([t.state.servers.S1!.x, t.state.servers.S2!.x]).toEqual([4, 3]);
    expect(t.failures()).toEqual(['diverged']);
    expect(t.state.broken).toEqual([]);
    // Each server keeps its numbers per client: C2's #1 is not C1's #1.
    expect(t.view('S1').holds).toEqual([{ key: 'acks.holds.numbers', params: { numbers: 'C1 #1 · C2 #1' } }]);
  });
});

describe('level 3 (two-clients): property tests', () => {
  it('the servers diverge under some schedules; no command is executed twice and none is lost (1,000 schedules)', () => {
    let diverged = 0;
    fc.assert(
      fc.property(table(fc.constant(2), 30_000), (t) => {
        const r = play(twoClients, t, {});
        checkFaithful(twoClients, r);
        expect(twice(twoClients, r)).toBe(false);
        if (twoClients.verdict(r.state as never).failures.includes('diverged')) diverged++;
      }),
      { numRuns: 1000, ...replay },
    );
    expect(diverged).toBeGreaterThan(100);
  }, 60_000);

  it('with its own defaults (nothing captured, no crash) it still diverges at many tables: loss is not the cause', () => {
    let diverged = 0;
    for (let seed = 0; seed < 100; seed++) {
      const r = simulate(twoClients, { ...twoClients.defaultConfig, valley: false }, seed);
      checkFaithful(twoClients, r);
      const s = r.state as State;
      expect(s.messengers.some((m) => m.status === 'captured')).toBe(false);
      if (twoClients.verdict(s as never).failures.includes('diverged')) diverged++;
    }
    expect(diverged).toBeGreaterThan(20);
  });
});
