// Paxos over the real server: bot tables at scale with every log checked, and students acting
// through the gateway with the rules refusing, in strict and in free mode.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, px, verifyLog } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);

const settings = (over: Partial<px.Config> = {}): px.Config => ({
  ...px.defaultConfig,
  captureRate: 0,
  delayMinMs: 1000,
  delayMaxMs: 1000,
  proposers: 1,
  acceptors: 3,
  learners: 0,
  ...over,
});

async function ok(c: Client, event: string, payload: unknown) {
  const r = await c.call(event, payload);
  expect(r, JSON.stringify(payload)).toMatchObject({ ok: true });
}

describe('Paxos over the real server', () => {
  it('bots play 50 tables to a chosen value; every log passes the checker and replays to the live state', async () => {
    // The host seats 300 bots one command at a time: lift the per-socket rate limit for this test.
    server = await startServer({ limits: { socketRate: 100_000, socketBurst: 100_000 } });
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    await ok(host, EVENTS.hostCommand, {
      type: 'setSettings',
      scenario: 'paxos',
      settings: settings({ captureRate: 0.2, delayMinMs: 500, delayMaxMs: 1500, proposers: 2, learners: 1 }),
    });
    for (let i = 0; i < 50; i++) await ok(host, EVENTS.hostCommand, { type: 'createTable', scenario: 'paxos' });
    const live = server.valley.registry.byId.get(session.sessionId)!;
    for (const id of live.state.tableOrder) {
      for (const seat of Object.keys(live.state.tables[id]!.seats)) {
        await ok(host, EVENTS.hostCommand, { type: 'setSeat', table: id, seat, occupant: { type: 'bot' } });
      }
    }
    await ok(host, EVENTS.hostCommand, { type: 'startGames', table: null });
    for (let step = 0; step < 400 && live.state.results.length < 50; step++) await server.clock.advance(1000);
    expect(live.state.results).toHaveLength(50);
    for (const r of live.state.results) {
      const v = r.verdict as px.PaxosVerdict;
      expect(v.safe).toBe(true);
      expect(v.chosen).not.toBeNull();
      expect(v.values).toHaveLength(1);
    }
    const text = await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
    expect(verifyLog(text)).toMatchObject({ ok: true, problems: [], games: 50 });
    const parsed = parseLog(text);
    expect(parsed.ok && parsed.state).toEqual(live.state);
  });

  async function table(over: Partial<px.Config>, names: string[]) {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    await ok(host, EVENTS.hostCommand, { type: 'setSettings', scenario: 'paxos', settings: settings(over) });
    const players = [];
    for (const n of names) players.push(track(await playerClient(server.url, session.code, n)));
    await ok(host, EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'paxos' });
    await ok(host, EVENTS.hostCommand, { type: 'startGames', table: null });
    const act = (c: Client, action: px.Action) => c.call(EVENTS.playerAct, { action });
    const view = (c: Client) => c.view?.game?.view as px.PaxosView;
    return { host, players, act, view, session };
  }

  it('students play a table by hand; the server refuses a broken rule with its evidence', async () => {
    const { host, players, act, view } = await table({}, ['Pia', 'Ari', 'Bea', 'Cal']);
    const [p, a1, a2, a3] = players as unknown as [Client, Client, Client, Client];
    await p.until(() => view(p)?.role === 'proposer');
    expect(await act(p, { type: 'prepare', round: 2, to: ['a1', 'a2', 'a3'] })).toEqual({ ok: true });
    await server.clock.advance(1000);
    // Acceptors a1 and a2 promise; that is a majority of three.
    for (const a of [a1, a2]) {
      await a.until(() => view(a)?.inbox.length === 1);
      expect(await act(a, { type: 'promise', n: view(a).inbox[0]!.n })).toEqual({ ok: true });
    }
    // Before the promises arrive, Accept is refused: no majority yet.
    expect(await act(p, { type: 'accept', round: 2, value: 'dawn', to: ['a1', 'a2', 'a3'] })).toEqual({
      ok: false,
      error: { rule: 'paxos/accept-without-majority', evidence: { ballot: '2.A', promises: 0, needed: 2 } },
    });
    await server.clock.advance(1000);
    await p.until(() => view(p)?.ballots[0]?.promises.length === 2);
    expect(await act(p, { type: 'accept', round: 2, value: 'dawn', to: ['a1', 'a2', 'a3'] })).toEqual({ ok: true });
    await server.clock.advance(1000);
    // a3 never promised and gets the Accept; a1 and a2 accept: a majority, so dawn is chosen.
    for (const a of [a1, a2]) {
      await a.until(() => view(a)?.inbox.length === 2);
      expect(await act(a, { type: 'acceptProposal', n: view(a).inbox[1]!.n })).toEqual({ ok: true });
    }
    await host.until(() => (host.hostView!.tables[0]!.game!.state as px.State).chosen.length === 1);
    expect((host.hostView!.tables[0]!.game!.state as px.State).chosen[0]).toMatchObject({ value: 'dawn', acceptors: ['a1', 'a2'] });
    // A student cannot act for another seat: the action is the connection's seat's, and a3 is an acceptor.
    expect(await act(a3, { type: 'prepare', round: 9, to: ['a1'] })).toMatchObject({ ok: false, error: { rule: 'paxos/wrong-role' } });
    // A round a student can type but no ballot can have is refused by the rules, in words; one of the
    // wrong type never reaches them.
    expect(await act(p, { type: 'prepare', round: 1.5, to: ['a1'] })).toMatchObject({ ok: false, error: { rule: 'paxos/bad-round' } });
    expect(await act(p, { type: 'prepare', round: '2', to: ['a1'] } as never)).toMatchObject({ ok: false, error: { rule: 'protocol/bad-message' } });
    expect(await act(p, { type: 'accept', round: 3, value: 'x'.repeat(100), to: ['a1'] })).toMatchObject({
      ok: false,
      error: { rule: 'protocol/bad-message' },
    });
    // An Accept to a non-acceptor.
    expect(await act(p, { type: 'prepare', round: 3, to: ['A'] })).toEqual({ ok: false, error: { rule: 'paxos/not-an-acceptor', evidence: { seat: 'A' } } });
  });

  it('the host crashes an acceptor: messengers to it are lost, its promise survives the restart', async () => {
    const { host, players, act, view } = await table({}, ['Pia', 'Ari', 'Bea', 'Cal']);
    const [p, a1] = players as unknown as [Client, Client];
    await p.until(() => view(p)?.role === 'proposer');
    await act(p, { type: 'prepare', round: 1, to: ['a1'] });
    await server.clock.advance(1000);
    await a1.until(() => view(a1)?.inbox.length === 1);
    await act(a1, { type: 'promise', n: 1 });
    await ok(host, EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'crash', seat: 'a1' } });
    await a1.until(() => view(a1)?.crashed === true);
    expect(await act(a1, { type: 'refuse', n: 1 })).toMatchObject({ ok: false, error: { rule: 'paxos/seat-crashed' } });
    await act(p, { type: 'prepare', round: 2, to: ['a1'] });
    await server.clock.advance(1000);
    await host.until(() => (host.hostView!.tables[0]!.game!.state as px.State).messengers.some((m) => m.status === 'lost'));
    await ok(host, EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'restart', seat: 'a1' } });
    await a1.until(() => view(a1)?.crashed === false);
    expect(view(a1).acceptor!.promised).toEqual({ round: 1, proposer: 'A' });
    expect(view(a1).inbox).toHaveLength(1);
  });

  it('a student seated as the valley holds, releases and captures messengers; nobody else can', async () => {
    const { host, players, act, view } = await table({ valley: true }, ['Pia', 'Ari', 'Bea', 'Cal', 'Val']);
    const [p, a1, , , valley] = players as unknown as [Client, Client, Client, Client, Client];
    await valley.until(() => view(valley)?.role === 'valley');
    await act(p, { type: 'prepare', round: 1, to: ['a1', 'a2'] });
    await valley.until(() => view(valley).crossing.length === 2);
    // The valley sees every messenger crossing it, with what it carries.
    expect(view(valley).crossing.map((m) => [m.n, m.from, m.to, m.payload.type])).toEqual([
      [1, 'A', 'a1', 'prepare'],
      [2, 'A', 'a2', 'prepare'],
    ]);
    expect(await act(valley, { type: 'hold', n: 1 })).toEqual({ ok: true });
    expect(await act(valley, { type: 'capture', n: 2 })).toEqual({ ok: true });
    expect(await act(valley, { type: 'capture', n: 2 })).toEqual({ ok: false, error: { rule: 'paxos/not-in-flight', evidence: { n: 2 } } });
    expect(await act(a1, { type: 'release', n: 1 })).toMatchObject({ ok: false, error: { rule: 'paxos/wrong-role' } });
    await server.clock.advance(5000);
    expect(view(a1).inbox).toHaveLength(0);
    expect(await act(valley, { type: 'release', n: 1 })).toEqual({ ok: true });
    await server.clock.advance(0);
    await a1.until(() => view(a1)?.inbox.length === 1);
    const state = host.hostView!.tables[0]!.game!.state as px.State;
    expect(state.messengers.map((m) => m.status)).toEqual(['delivered', 'captured']);
  });

  it('in free mode a broken rule goes through and the checker flags two chosen values', async () => {
    const { host, players, act, view, session } = await table({ mode: 'free', proposers: 2 }, ['Pia', 'Quin', 'Ari', 'Bea', 'Cal']);
    const [pa, pb, a1, a2, a3] = players as unknown as [Client, Client, Client, Client, Client];
    await pa.until(() => view(pa)?.role === 'proposer');
    // A gets a majority for 1.A and dawn is chosen by a1 and a2.
    await act(pa, { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
    await server.clock.advance(1000);
    for (const a of [a1, a2, a3]) await act(a, { type: 'promise', n: view(a).inbox[0]!.n });
    await server.clock.advance(1000);
    await act(pa, { type: 'accept', round: 1, value: 'dawn', to: ['a1', 'a2'] });
    await server.clock.advance(1000);
    for (const a of [a1, a2]) await act(a, { type: 'acceptProposal', n: view(a).inbox[1]!.n });
    // B ignores what the promises report (a rule broken on purpose) and proposes dusk with 2.B.
    await act(pb, { type: 'prepare', round: 2, to: ['a1', 'a2', 'a3'] });
    await server.clock.advance(1000);
    for (const a of [a1, a2, a3]) await act(a, { type: 'promise', n: view(a).inbox.at(-1)!.n });
    await server.clock.advance(1000);
    await pb.until(() => view(pb)?.ballots[0]?.promises.length === 3);
    expect(await act(pb, { type: 'accept', round: 2, value: 'dusk', to: ['a1', 'a2', 'a3'] })).toEqual({ ok: true });
    await server.clock.advance(1000);
    for (const a of [a2, a3]) await act(a, { type: 'acceptProposal', n: view(a).inbox.at(-1)!.n });
    await host.until(() => (host.hostView!.tables[0]!.game!.state as px.State).chosen.length === 2);
    const state = host.hostView!.tables[0]!.game!.state as px.State;
    expect(px.safety(state)).toEqual({ ok: false, first: { ballot: '1.A', value: 'dawn' }, second: { ballot: '2.B', value: 'dusk' } });
    expect(state.broken.map((b) => b.rule)).toEqual(['paxos/accept-wrong-value']);
    await server.valley.idle();
    const text = await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
    const v = verifyLog(text);
    expect(v.ok).toBe(false);
    expect(v.problems[0]!.reason).toContain('two values chosen: dawn (1.A) and dusk (2.B)');
  });
});
