// The class results as CSV, fetched from the real server and parsed back with a CSV library: one row
// per finished game, a name typed as a formula neutralised, and nothing for a request without the key.
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarios, tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer, tracked } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const { clients, track } = tracked();
afterEach(() => replayThenClose([server], clients));

const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };

const csvOf = (text: string) => parse(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

describe('the class results as CSV', () => {
  it('has one row per finished game, neutralises formula-like names, and is only for the host', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const eve = track(await playerClient(server.url, session.code, '=HYPERLINK("x")'));
    const bo = track(await playerClient(server.url, session.code, '+1, "Bo"'));
    await host.until(() => host.hostView!.players.length === 2);
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'two-generals' })).toMatchObject({ ok: true });

    // Two games at the same table: one won, one where both hold.
    for (const [k, decision] of [
      [1, { type: 'attack', time: 6 }],
      [2, { type: 'hold' }],
    ] as const) {
      expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
      await eve.until(() => gameView(eve)?.status === 'running');
      if (decision.type === 'attack') {
        expect(await eve.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } } })).toEqual({ ok: true });
        await server.clock.advance(1000);
        await bo.until(() => gameView(bo)!.received.length === 1);
      }
      await server.clock.advance(5000);
      expect(await eve.call(EVENTS.playerAct, { action: { type: 'commit', decision } })).toEqual({ ok: true });
      expect(await bo.call(EVENTS.playerAct, { action: { type: 'commit', decision } })).toEqual({ ok: true });
      await host.until(() => host.hostView!.results.length === k);
    }

    const url = `${server.url}/api/sessions/${session.sessionId}/results.csv`;
    const auth = { authorization: `Bearer ${session.hostToken}` };

    // Without the key, or with a wrong one, or with a student's: refused, and no names in the answer.
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer ' + 'x'.repeat(32) }, { authorization: `Bearer ${eve.token}` }]) {
      const res = await fetch(url, { headers });
      expect([401, 403]).toContain(res.status);
      expect(await res.text()).not.toContain('HYPERLINK');
    }
    // Nor does the key in the URL open it.
    expect((await fetch(`${url}?token=${session.hostToken}`)).status).toBe(403);

    const res = await fetch(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(`valley-${session.code}-results.csv`);
    const rows = csvOf(await res.text());
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.table, r.game, r.scenario])).toEqual([
      ['T1', '1', 'two-generals'],
      ['T1', '2', 'two-generals'],
    ]);
    const [won, held] = rows as [Record<string, string>, Record<string, string>];
    expect(won['seat 1']).toBe('General A');
    // The names come back whole (quotes and comma kept by the quoting), with a ' before a formula.
    expect(won['player 1']).toBe(`'=HYPERLINK("x")`);
    expect(won['player 2']).toBe(`'+1, "Bo"`);
    expect(won.outcome).toBe('Victory (1 messengers sent, 0 captured)');
    expect(won['messengers sent']).toBe('1');
    expect(won['messengers captured']).toBe('0');
    expect(won['decisions or chosen value']).toBe('General A: attack at 06:00; General B: attack at 06:00');
    expect(Number(won['duration (s)'])).toBeGreaterThanOrEqual(6);
    expect(held.outcome).toMatch(/^No battle/);
    expect(held['decisions or chosen value']).toBe('General A: hold; General B: hold');
    // No cell of the file starts as a formula.
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+@]/);

    // The anonymised form names each student by where they sat, never by name.
    const anon = await fetch(`${url}?anonymous=1`, { headers: auth });
    expect(anon.status).toBe(200);
    const anonText = await anon.text();
    expect(anonText).not.toContain('HYPERLINK');
    expect(anonText).not.toContain('Bo');
    const anonRows = csvOf(anonText);
    expect(anonRows).toHaveLength(2);
    expect(anonRows[0]!['player 1']).toBe('T1 General A');
    expect(anonRows[0]!['player 2']).toBe('T1 General B');
    expect(anonRows[0]!.outcome).toBe(won.outcome);
  });

  it('has a row for a road level and for Paxos, with the failures and the chosen value, in the language asked for', async () => {
    server = await startServer({ limits: { socketRate: 100_000, socketBurst: 100_000 } });
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const cmd = (c: unknown) => host.call(EVENTS.hostCommand, c);
    // A bot table showing level 3's failure, and a Paxos table of bots.
    expect(await cmd({ type: 'showFailure', scenario: 'two-clients' })).toEqual({ ok: true });
    expect(await cmd({ type: 'createTable', scenario: 'paxos' })).toEqual({ ok: true });
    for (const seat of scenarios.paxos.seatsFor(scenarios.paxos.defaultConfig))
      expect(await cmd({ type: 'setSeat', table: 'T2', seat, occupant: { type: 'bot' } })).toEqual({ ok: true });
    expect(await cmd({ type: 'startGames', table: 'T2' })).toEqual({ ok: true });
    const live = () => server.valley.registry.byId.get(session.sessionId)!.state;
    for (let step = 0; step < 300 && live().results.length < 2; step++) await server.clock.advance(1000);
    expect(live().results).toHaveLength(2);

    const url = `${server.url}/api/sessions/${session.sessionId}/results.csv`;
    const auth = { authorization: `Bearer ${session.hostToken}` };
    const en = csvOf(await (await fetch(url, { headers: auth })).text());
    const road = en.find((r) => r.scenario === 'two-clients')!;
    const paxos = en.find((r) => r.scenario === 'paxos')!;
    expect(road.failures!.split('; ')).toContain('diverged');
    expect(road['player 1']).toBe('bot');
    expect(paxos['decisions or chosen value']).not.toBe('');
    expect(Number(paxos['messengers sent'])).toBeGreaterThan(0);

    // In Chinese: the headers, the outcome and the seats in the console's language; the same rows.
    const zhRes = await fetch(`${url}?lang=zh`, { headers: auth });
    expect(zhRes.status).toBe(200);
    const zh = csvOf(await zhRes.text());
    expect(zh).toHaveLength(2);
    const zhRoad = zh.find((r) => r['场景'] === 'two-clients')!;
    expect(zhRoad['故障']).toBe(road.failures);
    expect(zhRoad['结果']).toMatch(/[\u4e00-\u9fff]/);
    expect(zhRoad['座位 1']).toMatch(/[\u4e00-\u9fff]/);
    expect(zhRoad['玩家 1']).toBe('机器人');
    // Anything but a language we have is English.
    const other = csvOf(await (await fetch(`${url}?lang=xx`, { headers: auth })).text());
    expect(Object.keys(other[0]!)).toEqual(Object.keys(en[0]!));
  });
});
