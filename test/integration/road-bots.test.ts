// Every level of the road over the real server: 20 tables of bots each (the seeded valley playing the
// valley seat), every game played to its end; the results name each table's failures, and the log
// verifies and replays to the live state (replayThenClose). Levels are found through the registry,
// so a new level is covered the moment it is registered.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, scenarios, type road } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(() => replayThenClose(servers.splice(0), clients));

const LEVELS = SCENARIO_IDS.filter((id) => 'protocol' in scenarios[id]);
const TABLES = 20;

describe('the road over the real server', () => {
  it('has its levels registered', () => expect(LEVELS.length).toBeGreaterThan(0));

  it.each(LEVELS)(
    '%s: 20 bot tables play to the end, and every verdict names its failures',
    async (id) => {
      // One host sets up 20 tables seat by seat: more commands at once than a person sends.
      const server = await startServer({ limits: { socketRate: 100_000, socketBurst: 100_000 } });
      servers.push(server);
      const session = await createSession(server.url);
      const host = await hostClient(server.url, session);
      clients.push(host);
      const cmd = (c: unknown) => host.call(EVENTS.hostCommand, c);
      const sc = scenarios[id] as unknown as road.RoadScenario<road.RoadConfig, unknown, unknown, { type: string }, { type: string }>;
      const settings = { ...sc.defaultConfig, ...sc.protocol.showcase.config };
      expect(await cmd({ type: 'setSettings', scenario: id, settings })).toEqual({ ok: true });
      for (let i = 1; i <= TABLES; i++) {
        expect(await cmd({ type: 'createTable', scenario: id })).toEqual({ ok: true });
        for (const seat of sc.seatsFor(settings)) expect(await cmd({ type: 'setSeat', table: `T${i}`, seat, occupant: { type: 'bot' } })).toEqual({ ok: true });
      }
      expect(await cmd({ type: 'startGames', table: null })).toEqual({ ok: true });
      const live = () => server.valley.registry.byId.get(session.sessionId)!.state;
      // A failure that needs a crash (the showcase says which seat, and when): the host crashes it at every table.
      const crash = sc.protocol.showcase.crash;
      for (let step = 0; step < 2000 && live().results.length < TABLES; step++) {
        if (crash && step === Math.ceil(crash.atMs / 1000))
          for (const t of live().tableOrder)
            expect(await cmd({ type: 'controlGame', table: t, control: { type: 'crash', seat: crash.seat } })).toEqual({ ok: true });
        await server.clock.advance(1000);
      }
      expect(live().results).toHaveLength(TABLES);
      const verdicts = live().results.map((r) => r.verdict as road.RoadVerdict);
      // The level's own failure happens at some table under its showcase settings, and every verdict
      // agrees with the failures recomputed from the table's final state.
      expect(verdicts.some((v) => v.failures.includes(sc.protocol.showcase.failure))).toBe(true);
      for (const t of live().tableOrder) {
        const game = live().tables[t]!.game!;
        expect(sc.verdict(game.state as never).failures).toEqual((live().results.find((r) => r.table === t)!.verdict as road.RoadVerdict).failures);
      }
    },
    120_000,
  );
  it('"Show the failure": a table of bots shows each level\'s failure within a minute; "Same valley, next level" plays its seed under the next rules', async () => {
    const server = await startServer({ limits: { socketRate: 100_000, socketBurst: 100_000 } });
    servers.push(server);
    const session = await createSession(server.url);
    const host = await hostClient(server.url, session);
    clients.push(host);
    const cmd = (c: unknown) => host.call(EVENTS.hostCommand, c);
    const live = () => server.valley.registry.byId.get(session.sessionId)!.state;
    const shown = LEVELS.filter((id) => scenarios[id].showcase);
    expect(shown.length).toBeGreaterThanOrEqual(5);
    for (const id of shown) expect(await cmd({ type: 'showFailure', scenario: id }), id).toEqual({ ok: true });
    for (let step = 0; step < 70 && live().results.length < shown.length; step++) await server.clock.advance(1000);
    expect(live().results).toHaveLength(shown.length);
    for (const r of live().results) {
      const sc = scenarios[r.scenario as (typeof LEVELS)[number]] as unknown as road.RoadScenario<
        road.RoadConfig,
        unknown,
        unknown,
        { type: string },
        { type: string }
      >;
      expect((r.verdict as road.RoadVerdict).failures, r.scenario).toContain(sc.protocol.showcase.failure);
    }
    // The log's showFailure commands carry the seed each search chose (the checker reads it, not searching again).
    const lines = (await readFile(server.valley.store.path(session.sessionId), 'utf8'))
      .trimEnd()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { type: string; seed?: number; unit?: { lines: number; cause: { type: string; command?: { type: string; seed?: number } } } },
      );
    const logged = lines.flatMap((l, i) =>
      l.unit?.cause.command?.type === 'showFailure'
        ? [{ recorded: l.unit.cause.command.seed, started: lines.slice(i, i + l.unit.lines).find((x) => x.type === 'gameStarted')?.seed }]
        : [],
    );
    expect(logged).toHaveLength(shown.length);
    for (const x of logged) expect(x.recorded).toBeTypeOf('number');
    expect(logged.map((x) => x.recorded)).toEqual(logged.map((x) => x.started));
    // Level 2's attack (captured acknowledgements) under level 3's rules: the same seed, numbered commands.
    const t2 = live().tableOrder.find((t) => live().tables[t]!.scenario === 'acks')!;
    expect(await cmd({ type: 'sameValleyNext', table: t2 })).toEqual({ ok: true });
    const t3 = live().tableOrder.at(-1)!;
    expect(live().tables[t3]!.scenario).toBe('two-clients');
    expect(live().tables[t3]!.game!.seed).toBe(live().tables[t2]!.game!.seed);
    expect(await cmd({ type: 'sameValleyNext', table: t3 })).toMatchObject({ ok: false, error: { rule: 'session/game-not-ended' } });
    for (let step = 0; step < 300 && live().results.length < shown.length + 1; step++) await server.clock.advance(1000);
    expect(live().results).toHaveLength(shown.length + 1);
  }, 120_000);
});
