// The short fault drill: the real server in its own process, killed with SIGKILL at random moments
// of games students are playing, and started again on the same data directory. Nothing a student was
// told was done is lost, a torn last line is cut off with a warning, everyone is back in their seat,
// the games finish, and the log passes the checker. With a storage fault, the disk (a small tmpfs the
// drill mounts, as root) fills up for a few seconds: actions are refused by storage, not lost, the host
// console shows the error, and the games still finish. (`npm run drill` runs the long one.)
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@valley/shared';
import { missingActions, runDrill } from '../support/drill.ts';

describe('kill -9 drill (short)', () => {
  it('its checker notices an acknowledged action the log does not hold', () => {
    const sent = { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } };
    const acked = [{ table: 'T1', game: 1, seat: 'A', action: sent, at: 10 }];
    const answer = { table: 'T2', game: 2, seat: 'a1', action: { type: 'promise', n: 3 }, at: 20 };
    const log = [
      {
        seq: 1,
        at: 5,
        type: 'game',
        table: 'T1',
        game: 1,
        event: { type: 'messengerSent', n: 1, from: 'A', to: 'B', payload: sent.payload, fate: { type: 'delivered', afterMs: 0 } },
      },
      { seq: 2, at: 6, type: 'game', table: 'T2', game: 2, event: { type: 'messengerSent', n: 4, from: 'a1', to: 'A', payload: {}, fate: {}, answers: 3 } },
    ] as LogEvent[];
    expect(missingActions([...acked, answer], log)).toEqual({ checked: 2, missing: [] });
    expect(missingActions(acked, []).missing).toHaveLength(1);
    // Acknowledged twice but written once; and in another game than the one it was taken in.
    expect(missingActions([...acked, { ...acked[0]!, at: 11 }], log).missing).toHaveLength(1);
    expect(missingActions([{ ...answer, game: 3 }], log).missing).toHaveLength(1);
    // Only what was acknowledged before the kill counts.
    expect(missingActions([{ ...answer, action: { type: 'promise', n: 9 } }], log, 15)).toEqual({ checked: 0, missing: [] });
  });

  it('two kills mid-game and a full disk: acknowledged actions survive, students resume, games finish, the log verifies', async () => {
    // The disk fills up early and stays full for 3–4 s: the first kill most often lands in it, and
    // students at three tables still act in the part of it the server is up.
    const r = await runDrill({
      kills: 2,
      tgTables: 2,
      paxosTables: 1,
      playMs: [500, 1500],
      tornProbability: 0,
      minGames: 3,
      captureRate: 0.05,
      storageFaults: 1,
      storageGapMs: [300, 800],
      fullMs: [3000, 4000],
    });
    expect(r.problems).toEqual([]);
    expect(r.kills).toBe(2);
    expect(r.missing).toEqual([]);
    expect(r.actionsAcked).toBeGreaterThan(10);
    expect(r.actionsChecked).toBeGreaterThan(0);
    expect(r.broken).toEqual([]);
    expect(r.unfinished).toEqual([]);
    expect(r.gamesFinished).toBeGreaterThanOrEqual(3);
    expect(r.verify).toMatchObject({ ok: true, problems: [] });
    expect(r.resumeMs.every((ms) => ms < 15_000)).toBe(true);
    if (r.storageSkipped) return; // not root (and not CI): the drill printed a notice
    expect(r.storageFaults).toBe(1);
    expect(r.refusedByStorage).toBeGreaterThan(0);
    expect(r.storageCodes).toEqual(['ENOSPC']);
    expect(r.hostSawStorageError).toBe(1);
    expect(r.hostMissedStorageError).toBe(0);
    expect(r.hostStorageError).toBeNull();
  }, 30_000);

  it('a kill mid-write leaves a torn last line: it is cut off with a warning and play goes on', async () => {
    const r = await runDrill({ kills: 1, tgTables: 1, paxosTables: 1, playMs: [500, 1200], tornProbability: 1, minGames: 2, captureRate: 0.05 });
    expect(r.problems).toEqual([]);
    expect(r.torn).toBe(1);
    expect(r.tornWarnings).toBe(1);
    expect(r.missing).toEqual([]);
    expect(r.unfinished).toEqual([]);
    expect(r.verify).toMatchObject({ ok: true, problems: [] });
  }, 20_000);
});
