// Placement with no directory (server/src/cluster/partition.ts): each worker's registry makes only
// sessions whose id and join code are in its part, so codes are unique across workers, and at start-up
// it recovers only its own logs from the shared data folder.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createValley } from '@valley/server';
import { ManualClock } from '@valley/server/clock';
import { workerOf } from '@valley/server/cluster/partition';
import { workerFor } from '@valley/server/cluster/route';
import { findStrays } from '@valley/server/cluster/strays';

const silent = pino({ level: 'silent' });

/** `count` workers' servers on one data folder (not listening: only their registries are used here). */
async function workers(dataDir: string, count: number) {
  const clock = new ManualClock();
  const valleys = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      createValley({ dataDir, clock, logger: silent, durability: 'os', worker: { index, count, address: '127.0.0.1' } }),
    ),
  );
  return valleys.map((v) => v.registry);
}

describe('sessions placed by hash', () => {
  it('two workers make sessions only in their own part: ids and codes hash to the worker, no code is made twice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'valley-part-'));
    const [w0, w1] = await workers(dataDir, 2);
    const made = [];
    for (let i = 0; i < 150; i++) {
      for (const [k, w] of [w0!, w1!].entries()) {
        const { session } = await w.create();
        expect([workerOf(session.id, 2), workerOf(session.code, 2)]).toEqual([k, k]);
        made.push(session);
      }
    }
    expect(new Set(made.map((s) => s.code)).size).toBe(made.length);
    for (const w of [w0!, w1!]) w.stop();
  });

  it('at start-up each worker recovers its own logs only; with three workers (or one) instead of two, each session is recovered once and still found by its code', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'valley-part-'));
    const before = await workers(dataDir, 2);
    const ids: string[] = [];
    for (const w of before) for (let i = 0; i < 10; i++) ids.push((await w.create()).session.id);
    for (const w of before) {
      await w.idle();
      w.stop();
    }
    for (const count of [2, 3, 1]) {
      const after = await workers(dataDir, count);
      after.forEach((w, k) => {
        for (const id of w.byId.keys()) expect(workerOf(id, count)).toBe(k);
      });
      expect(after.flatMap((w) => [...w.byId.keys()]).sort()).toEqual([...ids].sort());
      // A code made under two workers may hash elsewhere under three: the primary routes it to its
      // holder all the same, and no worker makes it again for a new session.
      const strays = await findStrays(dataDir, count);
      if (count === 3) expect(strays.size).toBeGreaterThan(0);
      for (const w of after) for (const { session } of await Promise.all(Array.from({ length: 20 }, () => w.create()))) ids.push(session.id);
      const codes = after.flatMap((w, k) => [...w.byCode.keys()].map((code) => ({ code, k })));
      expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
      for (const { code, k } of codes) expect(workerFor({ type: 'session', key: code }, count, () => 0, strays)).toBe(k);
      for (const w of after) {
        await w.idle();
        w.stop();
      }
    }
  });
});
