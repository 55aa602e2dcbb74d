// A hall has hundreds of tables; a host screen shows a dozen. The host says which tables it shows and
// only those come with every messenger; the rest come with their status and verdict.
import { afterEach, describe, expect, it } from 'vitest';
import { tg, type HostTable, type HostView } from '@valley/shared';
import { EVENTS, MAX_WATCHED } from '@valley/shared/protocol';
import { Client, createSession, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);

const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };

/** A host screen that attaches showing `watch` only. */
async function watchingHost(url: string, session: { sessionId: string; hostToken: string }, watch: string[] | null) {
  const c = track(new Client(url));
  const r = await c.call<{ view: HostView }>(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken, watch });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  c.hostView = r.view;
  return c;
}

const table = (c: Client, id: string) => c.hostView!.tables.find((t) => t.id === id)!;
const sent = (t: HostTable) => (t.game?.state as tg.State | null | undefined)?.messengers.length ?? null;

describe('host screens watch the tables they show', () => {
  it('watched tables come in detail, the others by status; watching more brings them at once', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const setup = await watchingHost(server.url, session, null);
    // Four students at two tables, all playing.
    const students = [];
    for (const name of ['Ada', 'Bo', 'Cy', 'Di']) students.push(track(await playerClient(server.url, session.code, name)));
    for (const cmd of [
      { type: 'setSettings', scenario: 'two-generals', settings },
      { type: 'autoSeat', bots: false, scenario: 'two-generals' },
      { type: 'startGames', table: null },
    ])
      expect(await setup.call(EVENTS.hostCommand, cmd)).toMatchObject({ ok: true });
    setup.close();

    const host = await watchingHost(server.url, session, ['T1']);
    expect(table(host, 'T1').game!.state).not.toBeNull();
    expect(table(host, 'T2').game).toMatchObject({ status: 'running', state: null, verdict: { messengersSent: 0 } });

    // A messenger at each table: T1 arrives whole, T2 as its status and verdict only.
    const a1 = students.find((c) => c.view!.seat?.table === 'T1' && c.view!.seat.seat === 'A')!;
    const a2 = students.find((c) => c.view!.seat?.table === 'T2' && c.view!.seat.seat === 'A')!;
    for (const c of [a1, a2])
      expect(await c.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } } })).toEqual({ ok: true });
    await host.until(() => sent(table(host, 'T1')) === 1 && (table(host, 'T2').game!.verdict as tg.TGVerdict).messengersSent === 1);
    expect(table(host, 'T2').game!.state).toBeNull();

    // Scrolling T2 into view: the answer brings it whole, and its moves keep coming whole.
    const r = await host.call<{ tables: HostTable[] }>(EVENTS.hostWatch, { tables: ['T2'] });
    expect(r.ok && r.tables.map((t) => [t.id, sent(t)])).toEqual([['T2', 1]]);
    expect(await a2.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text: 'again' } } })).toEqual({ ok: true });
    await host.until(() => (table(host, 'T2').game!.state as tg.State | null)?.messengers.length === 2);
    // T1 is off screen now: its next move comes by status only.
    expect(await a1.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text: 'again' } } })).toEqual({ ok: true });
    await host.until(() => (table(host, 'T1').game!.verdict as tg.TGVerdict).messengersSent === 2);
    expect(table(host, 'T1').game!.state).toBeNull();
  });

  it('in a hall (over 40 tables) the tables off screen still come, by status, at a slower pace', async () => {
    // A host setting up a hall sends more commands than a student's socket may.
    server = await startServer({ limits: { socketRate: 10_000, socketBurst: 10_000 } });
    const session = await createSession(server.url);
    const host = await watchingHost(server.url, session, ['T1']);
    const cmd = async (c: Record<string, unknown>) => expect(await host.call(EVENTS.hostCommand, c), JSON.stringify(c)).toMatchObject({ ok: true });
    await cmd({ type: 'setSettings', scenario: 'two-generals', settings: { ...settings, botBudget: 5 } });
    for (let i = 0; i < 41; i++) await cmd({ type: 'createTable', scenario: 'two-generals' });
    for (const t of ['T1', 'T41']) for (const seat of ['A', 'B']) await cmd({ type: 'setSeat', table: t, seat, occupant: { type: 'bot' } });
    await host.until(() => host.hostView!.tables.length === 41);
    const seen: Record<string, number> = { T1: 0, T41: 0 };
    host.socket.on(EVENTS.hostTable, (m: { tables: HostTable[] }) => m.tables.forEach((t) => t.id in seen && seen[t.id]!++));
    await cmd({ type: 'startGames', table: 'T1' });
    await cmd({ type: 'startGames', table: 'T41' });
    // Bots send messengers; both tables move, and the one off screen comes too, as counts only.
    for (let k = 0; k < 20 && (sent(table(host, 'T1')) ?? 0) < 3; k++) await server.clock.advance(1000);
    await host.until(() => ((table(host, 'T41').game?.verdict as tg.TGVerdict | undefined)?.messengersSent ?? 0) >= 3, 5000);
    expect(table(host, 'T41').game!.state).toBeNull();
    expect(sent(table(host, 'T1'))).toBeGreaterThanOrEqual(3);
    expect(seen.T1).toBeGreaterThan(0);
    expect(seen.T41).toBeGreaterThan(0);
  });

  it('only a host may watch, and a watch list is bounded and checked', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const student = track(await playerClient(server.url, session.code, 'Ada'));
    expect(await student.call(EVENTS.hostWatch, { tables: ['T1'] })).toMatchObject({ ok: false, error: { rule: 'auth/not-host' } });
    const host = await watchingHost(server.url, session, []);
    const tooMany = Array.from({ length: MAX_WATCHED + 1 }, (_, i) => `T${i + 1}`);
    for (const tables of [tooMany, ['../etc'], ['T1', 5], 'T1']) {
      expect(await host.call(EVENTS.hostWatch, { tables })).toMatchObject({ ok: false, error: { rule: 'protocol/bad-message' } });
    }
    expect(await host.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken, watch: tooMany })).toMatchObject({
      ok: false,
      error: { rule: 'protocol/bad-message' },
    });
    // Tables that do not exist are simply not there.
    expect(await host.call(EVENTS.hostWatch, { tables: ['T9'] })).toMatchObject({ ok: true, tables: [] });
  });
});
