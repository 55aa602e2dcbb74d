// The server skips redrawing a student's screen when it is made from the very same values as the last
// one drawn (playerViewInputs). Checked on a session that lives through joins, seat changes, a game of
// Two Generals to its end, a new game and a removal: wherever the inputs are the same objects, the
// view is the same, and the check does spare work.
import { describe, expect, it } from 'vitest';
import {
  LOG_FORMAT,
  LOG_VERSION,
  initialSession,
  playerView,
  playerViewInputs,
  reduce,
  simulate,
  tg,
  twoGenerals,
  type LogEvent,
  type SessionEvent,
} from '@valley/shared';

describe('a student view is a function of its inputs', () => {
  it('the same inputs (by identity) give the same view, through a whole session', () => {
    const config = { ...tg.defaultConfig, captureRate: 0.3 };
    const game = (index: number, seed: number, at: number): SessionEvent[] => [
      { type: 'gameStarted', table: 'T1', game: index, scenario: 'two-generals', seed, config },
      ...simulate(twoGenerals, config, seed, {}, at).events.map((e): SessionEvent => ({ type: 'game', table: 'T1', game: index, event: e.event })),
    ];
    const events: SessionEvent[] = [
      { type: 'playerJoined', playerId: 'P1', name: 'Ada', tokenHash: 'a' },
      { type: 'playerJoined', playerId: 'P2', name: 'Bo', tokenHash: 'b' },
      { type: 'playerJoined', playerId: 'P3', name: 'Cy', tokenHash: 'c' },
      { type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] },
      { type: 'tableCreated', table: 'T2', scenario: 'two-generals', seats: ['A', 'B'] },
      { type: 'seatChanged', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: 'P1' } },
      { type: 'seatChanged', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: 'P2' } },
      { type: 'seatChanged', table: 'T2', seat: 'A', occupant: { type: 'player', playerId: 'P3' } },
      ...game(1, 7, 0),
      // Cy moves to T1 in Bo's place: both screens change, Ada's tablemate too.
      { type: 'seatChanged', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: 'P3' } },
      ...game(2, 8, 200_000),
      { type: 'playerRemoved', playerId: 'P2' },
    ];
    let s = initialSession({
      type: 'header',
      format: LOG_FORMAT,
      version: LOG_VERSION,
      sessionId: 'view-inputs-0001',
      code: 'ABCDE',
      createdAt: 0,
      seed: 1,
      hostTokenHash: '',
    });
    const players = ['P1', 'P2', 'P3'];
    const inputs = players.map((p) => playerViewInputs(s, p));
    const views = players.map((p) => JSON.stringify(playerView(s, p)));
    let spared = 0;
    let changed = 0;
    events.forEach((e, i) => {
      s = reduce(s, { ...e, seq: i + 1, at: 1000 + i } as LogEvent);
      players.forEach((p, k) => {
        const now = playerViewInputs(s, p);
        const view = JSON.stringify(playerView(s, p));
        if (now.every((x, j) => x === inputs[k]![j])) {
          spared++;
          expect(view, `${p} after ${JSON.stringify(e)}`).toBe(views[k]);
        } else changed++;
        inputs[k] = now;
        views[k] = view;
      });
    });
    expect(spared).toBeGreaterThan(20);
    expect(changed).toBeGreaterThan(20);
  });
});
