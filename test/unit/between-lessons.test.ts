// Between rounds and lessons: "Seat everyone" moves the class from finished tables to the chosen
// scenario's, a table can be removed, the class results can be cleared from the screen (the log keeps
// them) — each a host command the checker replays.
import { describe, expect, it } from 'vitest';
import { HOST_REPORTS, SESSION_RULES, hostView, playerView, seatOf, verifyLog, withNewResults, type SessionState } from '@valley/shared';
import { SessionDriver, refusal, testHeader } from '../support/session.ts';

const R = SESSION_RULES;
const header = testHeader('between-0001', 'BTWNS', 5);
const player = (playerId: string) => ({ type: 'player', playerId });

/** Six students at three Two Generals tables, every game played; T3's still going. */
function afterTwoGenerals() {
  const c = new SessionDriver(header);
  const students = c.joinAll('Ada', 'Bo', 'Cy', 'Di', 'Eve', 'Fu');
  c.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
  c.host({ type: 'startGames', table: null });
  c.now = 5_000;
  c.end('T1');
  c.end('T2');
  return { c, students };
}

describe('"Seat everyone" between rounds', () => {
  it('moves the students of finished tables to new tables of the chosen scenario; a game still being played keeps its students', () => {
    const { c, students } = afterTwoGenerals();
    const [ada, bo, cy, di, eve, fu] = students as [string, string, string, string, string, string];
    expect(c.report({ type: 'autoSeat', bots: true, scenario: 'paxos' })).toEqual({
      said: HOST_REPORTS.seated,
      evidence: { placed: 4, moved: 4, tables: 1, playing: 2, scenario: '@scenario.paxos' },
    });
    // Tablemates stay together, in table order; bots take the seats left over.
    expect(c.state.tables.T4!.scenario).toBe('paxos');
    expect(c.state.tables.T4!.seats).toEqual({ A: player(ada), B: player(bo), a1: player(cy), a2: player(di), a3: { type: 'bot' }, l1: { type: 'bot' } });
    expect(c.state.tables.T1!.seats).toEqual({ A: null, B: null });
    expect(c.state.tables.T2!.seats).toEqual({ A: null, B: null });
    expect([seatOf(c.state, eve), seatOf(c.state, fu)]).toEqual([
      { table: 'T3', seat: 'A' },
      { table: 'T3', seat: 'B' },
    ]);
    // Once T3's game is over too, its students follow; the idle Paxos table's students stay put.
    c.end('T3');
    expect(c.report({ type: 'autoSeat', bots: false, scenario: 'paxos' })).toMatchObject({ evidence: { placed: 2, moved: 2, tables: 1, playing: 0 } });
    expect(c.state.tables.T5!.seats).toMatchObject({ A: player(eve), B: player(fu) });
    expect(seatOf(c.state, ada)).toEqual({ table: 'T4', seat: 'A' });
    expect(verifyLog(c.log())).toMatchObject({ ok: true, problems: [] });
  });

  it('students at tables that never started move too, and latecomers join them', () => {
    const c = new SessionDriver(header);
    const [ada, bo] = c.joinAll('Ada', 'Bo');
    c.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    const [cy] = c.joinAll('Cy');
    c.host({ type: 'autoSeat', bots: true, scenario: 'naive' });
    // Level 1 has one client and the valley for students, its server for a bot: three students, two tables.
    expect(c.state.tables.T2!.seats).toEqual({ C1: player(ada!), S1: { type: 'bot' }, V: player(bo!) });
    expect(c.state.tables.T3!.seats).toEqual({ C1: player(cy!), S1: { type: 'bot' }, V: { type: 'bot' } });
  });

  it('with nothing to do it refuses, saying where everyone is — never silently nothing', () => {
    const c = new SessionDriver(header);
    expect(c.decide({ type: 'autoSeat', bots: true, scenario: 'paxos' })).toEqual(refusal(R.noStudents));
    const { c: d } = afterTwoGenerals();
    // Everyone already sits at a Two Generals table: two finished, one still playing.
    expect(d.decide({ type: 'autoSeat', bots: false, scenario: 'two-generals' })).toEqual(
      refusal(R.nobodyToSeat, { playing: 2, there: 4, scenario: '@scenario.two-generals' }),
    );
  });
});

describe('removing a table', () => {
  it('empties its seats, sends its students back to the lobby, and never gives its id again', () => {
    const c = new SessionDriver(header);
    const [ada] = c.joinAll('Ada');
    c.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    c.host({ type: 'createTable', scenario: 'two-generals' });
    expect(c.report({ type: 'removeTable', table: 'T1' })).toEqual({ said: HOST_REPORTS.tableRemoved, evidence: { table: 'T1', students: 1, ended: 0 } });
    expect(c.units.at(-1)!.events).toEqual([
      { type: 'seatChanged', table: 'T1', seat: 'A', occupant: null },
      { type: 'seatChanged', table: 'T1', seat: 'B', occupant: null },
      { type: 'tableRemoved', table: 'T1' },
    ]);
    expect(c.state.tableOrder).toEqual(['T2']);
    expect(playerView(c.state, ada!)?.seat).toBeNull();
    expect(hostView(c.state).tables.map((t) => t.id)).toEqual(['T2']);
    // T3, not a second T2.
    c.host({ type: 'createTable', scenario: 'paxos' });
    expect(c.state.tableOrder).toEqual(['T2', 'T3']);
    expect(verifyLog(c.log())).toMatchObject({ ok: true, problems: [] });
  });

  it('a table still playing has its game ended first, and its result kept with the names at the table', () => {
    const c = new SessionDriver(header);
    c.joinAll('Ada', 'Bo');
    c.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    c.host({ type: 'startGames', table: null });
    c.now = 3_000;
    expect(c.report({ type: 'removeTable', table: 'T1' })).toMatchObject({ evidence: { ended: 1 } });
    expect(c.units.at(-1)!.events[0]).toMatchObject({ type: 'game', table: 'T1', game: 1 });
    expect(c.state.results).toMatchObject([{ table: 'T1', game: 1, endedAt: 3_000, players: { A: 'Ada', B: 'Bo' } }]);
    expect(c.state.tables.T1).toBeUndefined();
    const v = verifyLog(c.log());
    expect(v).toMatchObject({ ok: true, problems: [], games: 1 });
  });

  it('refuses a table that does not exist, or no longer does', () => {
    const c = new SessionDriver(header);
    expect(c.decide({ type: 'removeTable', table: 'T1' })).toEqual(refusal(R.unknownTable, { table: 'T1' }));
    c.host({ type: 'createTable', scenario: 'two-generals' });
    c.host({ type: 'removeTable', table: 'T1' });
    expect(c.decide({ type: 'removeTable', table: 'T1' })).toEqual(refusal(R.unknownTable, { table: 'T1' }));
  });

  it('the checker refuses a removal the rules would not give (a student left sitting at it)', () => {
    const c = new SessionDriver(header);
    c.joinAll('Ada');
    c.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    c.units.push({ at: c.now, cause: { type: 'host', command: { type: 'removeTable', table: 'T1' } }, events: [{ type: 'tableRemoved', table: 'T1' }] });
    const v = verifyLog(c.log());
    expect(v.ok).toBe(false);
  });
});

describe('clearing the class results from the screen', () => {
  it('the screen shows only the results after the clearing; the session keeps them all', () => {
    const { c } = afterTwoGenerals();
    expect(hostView(c.state).results.map((r) => r.table)).toEqual(['T1', 'T2']);
    expect(c.report({ type: 'clearResults' })).toEqual({ said: HOST_REPORTS.resultsCleared, evidence: { n: 2 } });
    expect(hostView(c.state)).toMatchObject({ results: [], resultsFrom: 2 });
    expect(c.state.results).toHaveLength(2);
    // Nothing more to clear until another game ends.
    expect(c.decide({ type: 'clearResults' })).toEqual(refusal(R.noResults));
    c.end('T3');
    expect(hostView(c.state)).toMatchObject({ results: [{ table: 'T3' }], resultsFrom: 2 });
    expect(verifyLog(c.log())).toMatchObject({ ok: true, problems: [] });
  });

  it('a screen merges the new results it is sent after its own first one', () => {
    const { c } = afterTwoGenerals();
    const [r1, r2] = c.state.results as [SessionState['results'][number], SessionState['results'][number]];
    c.host({ type: 'clearResults' });
    c.end('T3');
    const r3 = c.state.results[2]!;
    const v = hostView(c.state);
    // The server's `from` counts from the session's first result; this screen's list starts at 2.
    expect(withNewResults({ ...v, results: [] }, 2, [r3]).results).toEqual([r3]);
    // A message that overlaps what was cleared keeps only what is after it.
    expect(withNewResults({ ...v, results: [] }, 0, [r1, r2, r3]).results).toEqual([r3]);
  });

  it('the checker refuses a clearing that hides a different number of results than there were', () => {
    const { c } = afterTwoGenerals();
    c.units.push({ at: c.now, cause: { type: 'host', command: { type: 'clearResults' } }, events: [{ type: 'resultsCleared', count: 1 }] });
    const v = verifyLog(c.log());
    expect(v.ok).toBe(false);
    expect(v.problems[0]!.reason).toMatch(/not what the rules give for the host's clearResults/);
  });
});
