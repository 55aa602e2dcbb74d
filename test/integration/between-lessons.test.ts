// Between rounds and lessons, over the real server with socket.io bots: "Seat everyone" moves a class
// from finished tables to the chosen scenario's and says what it did; a table is removed (its game
// ended, its students back in the lobby); results leave the screen but not the log or the CSV. Each
// refusal is broken on purpose; every log replays and passes the checker, also after a restart.
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_REPORTS, SESSION_RULES, tg } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(() => replayThenClose(servers.splice(0), clients));

const track = <T extends Client>(c: T): T => (clients.push(c), c);
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const gameStatus = (c: Client) => (c.view?.game?.view as { status?: string } | undefined)?.status;

/** A class of four at two Two Generals tables, both games over: ready for the next scenario. */
async function afterARound() {
  const server = await startServer();
  servers.push(server);
  const session = await createSession(server.url);
  const host = track(await hostClient(server.url, session));
  const students = [];
  for (const name of ['Ada', 'Bo', 'Cy', 'Di']) students.push(track(await playerClient(server.url, session.code, name)));
  const cmd = (c: unknown) => host.call<{ report?: { said: string; evidence: Record<string, string | number> } }>(EVENTS.hostCommand, c);
  expect(await cmd({ type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
  expect(await cmd({ type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
  expect(await cmd({ type: 'startGames', table: null })).toEqual({ ok: true });
  for (const t of ['T1', 'T2']) expect(await cmd({ type: 'controlGame', table: t, control: { type: 'end' } })).toEqual({ ok: true });
  await host.until(() => host.hostView!.results.length === 2);
  return { server, session, host, students, cmd };
}

describe('"Seat everyone" after a round', () => {
  it('moves a class from finished Two Generals tables to Paxos tables, and says so', async () => {
    const { host, students, cmd } = await afterARound();
    expect(await cmd({ type: 'autoSeat', bots: true, scenario: 'paxos' })).toEqual({
      ok: true,
      report: { said: HOST_REPORTS.seated, evidence: { placed: 4, moved: 4, tables: 1, playing: 0, scenario: '@scenario.paxos' } },
    });
    for (const s of students) await s.until(() => s.view?.seat?.scenario === 'paxos');
    expect(students.map((s) => s.view!.seat!.table)).toEqual(['T3', 'T3', 'T3', 'T3']);
    await host.until(() => host.hostView!.tables.length === 3);
    expect(host.hostView!.tables.find((t) => t.id === 'T1')!.seats).toEqual({ A: { occupant: null, name: '' }, B: { occupant: null, name: '' } });
    // Again: everyone already sits at a Paxos table, and the answer says so instead of doing nothing.
    expect(await cmd({ type: 'autoSeat', bots: true, scenario: 'paxos' })).toEqual({
      ok: false,
      error: { rule: SESSION_RULES.nobodyToSeat, evidence: { playing: 0, there: 4, scenario: '@scenario.paxos' } },
    });
  });

  it('leaves the students of a game still being played where they are', async () => {
    const { students, cmd } = await afterARound();
    expect(await cmd({ type: 'startGames', table: 'T1' })).toEqual({ ok: true });
    await students[0]!.until(() => gameStatus(students[0]!) === 'running');
    expect(await cmd({ type: 'autoSeat', bots: true, scenario: 'paxos' })).toMatchObject({ ok: true, report: { evidence: { moved: 2, playing: 2 } } });
    await students[2]!.until(() => students[2]!.view?.seat?.scenario === 'paxos');
    expect(students[0]!.view!.seat).toEqual({ table: 'T1', seat: 'A', scenario: 'two-generals' });
    expect(gameStatus(students[0]!)).toBe('running');
  });
});

describe('removing a table', () => {
  it('ends its game, sends its students back to the lobby, and keeps its result; a restart reads it back', async () => {
    const { server, session, host, students, cmd } = await afterARound();
    expect(await cmd({ type: 'startGames', table: 'T2' })).toEqual({ ok: true });
    await students[2]!.until(() => gameStatus(students[2]!) === 'running');
    expect(await cmd({ type: 'removeTable', table: 'T2' })).toEqual({
      ok: true,
      report: { said: HOST_REPORTS.tableRemoved, evidence: { table: 'T2', students: 2, ended: 1 } },
    });
    for (const s of students.slice(2)) await s.until(() => s.view?.seat === null);
    await host.until(() => host.hostView!.tables.length === 1 && host.hostView!.results.length === 3);
    expect(host.hostView!.results.at(-1)).toMatchObject({ table: 'T2', game: 3, players: { A: 'Cy', B: 'Di' } });
    // Removed: it cannot be removed again, nor started, nor seated.
    for (const c of [
      { type: 'removeTable', table: 'T2' },
      { type: 'startGames', table: 'T2' },
      { type: 'setSeat', table: 'T2', seat: 'A', occupant: { type: 'bot' } },
    ])
      expect(await cmd(c)).toEqual({ ok: false, error: { rule: SESSION_RULES.unknownTable, evidence: { table: 'T2' } } });
    // A new table gets a new id, not the removed one's.
    expect(await cmd({ type: 'createTable', scenario: 'two-generals' })).toEqual({ ok: true });
    await host.until(() => host.hostView!.tables.map((t) => t.id).join() === 'T1,T3');

    // The server restarts on the same log: the same tables, the same results.
    const live = server.valley.registry.byId.get(session.sessionId)!.state;
    await server.valley.idle();
    servers.splice(servers.indexOf(server), 1);
    await server.close();
    const again = await startServer({ dataDir: server.dataDir });
    servers.push(again);
    const back = again.valley.registry.byId.get(session.sessionId)!.state;
    expect(back.tableOrder).toEqual(live.tableOrder);
    expect(back.tables).toEqual(live.tables);
    expect(back.results).toEqual(live.results);
  });
});

describe('clearing the results from the screen', () => {
  it('the console shows none of them, the CSV and the log keep every one', async () => {
    const { server, session, host, cmd } = await afterARound();
    expect(await cmd({ type: 'clearResults' })).toEqual({ ok: true, report: { said: HOST_REPORTS.resultsCleared, evidence: { n: 2 } } });
    await host.until(() => host.hostView!.results.length === 0);
    expect(host.hostView!.resultsFrom).toBe(2);
    // A new game's result comes to the screen alone.
    expect(await cmd({ type: 'startGames', table: 'T1' })).toEqual({ ok: true });
    expect(await cmd({ type: 'controlGame', table: 'T1', control: { type: 'end' } })).toEqual({ ok: true });
    await host.until(() => host.hostView!.results.length === 1);
    expect(host.hostView!.results[0]).toMatchObject({ table: 'T1', game: 3 });
    // A second console, attached afresh, sees the same.
    const other = track(await hostClient(server.url, session));
    expect(other.hostView!.results.map((r) => r.game)).toEqual([3]);

    const auth = { authorization: `Bearer ${session.hostToken}` };
    const csv = parse(await (await fetch(`${server.url}/api/sessions/${session.sessionId}/results.csv`, { headers: auth })).text(), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(csv.map((r) => r.game)).toEqual(['1', '2', '3']);
    const log = await (await fetch(`${server.url}/api/sessions/${session.sessionId}/log`, { headers: auth })).text();
    expect(log).toContain('"type":"resultsCleared","count":2');
  });
});

describe('the new commands are the host key’s only, and checked at the edge', () => {
  it('refuses a student, a malformed command, an unknown table, and nothing to clear', async () => {
    const { host, students, cmd } = await afterARound();
    const student = students[0]!;
    for (const c of [{ type: 'removeTable', table: 'T1' }, { type: 'clearResults' }, { type: 'autoSeat', bots: true, scenario: 'paxos' }])
      expect(await student.call(EVENTS.hostCommand, c)).toMatchObject({ ok: false, error: { rule: ERRORS.notHost } });
    for (const c of [
      { type: 'removeTable', table: 'X1' },
      { type: 'removeTable' },
      { type: 'removeTable', table: 'T1', extra: 1 },
      { type: 'clearResults', all: true },
      { type: 'removeTable', table: 'T5001' },
    ])
      expect(await cmd(c), JSON.stringify(c)).toMatchObject({ ok: false, error: { rule: ERRORS.badMessage } });
    expect(await cmd({ type: 'removeTable', table: 'T9' })).toEqual({ ok: false, error: { rule: SESSION_RULES.unknownTable, evidence: { table: 'T9' } } });
    expect(await cmd({ type: 'clearResults' })).toMatchObject({ ok: true });
    expect(await cmd({ type: 'clearResults' })).toEqual({ ok: false, error: { rule: SESSION_RULES.noResults, evidence: {} } });
    // Nothing the refusals touched changed: both tables are there, every student seated.
    expect(host.hostView!.tables.map((t) => t.id)).toEqual(['T1', 'T2']);
    expect(host.hostView!.players.every((p) => p.seat !== null)).toBe(true);
  });

  it('a session with no students says so', async () => {
    const server = await startServer();
    servers.push(server);
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'paxos' })).toEqual({
      ok: false,
      error: { rule: SESSION_RULES.noStudents, evidence: {} },
    });
  });
});
