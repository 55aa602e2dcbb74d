// A large session log made without a server: `tables` tables play game after game (the scenarios
// whose load piece has a `replay` config, dealt out in turn; bots in every seat, through shared's
// simulate()), their events interleaved in time as a lecture hall's would be, until the log holds
// at least `events` events. Returns the NDJSON text.
import { scenarioLoads, scenarios, simulate, type AnyScenario, type ScenarioId } from '@valley/shared';
import { botTable, encodeLog, gameUnits, madeHeader, settingsUnit, startedGame, type MadeUnit } from '../session-log.ts';

export function makeLog(events: number, tables = 400, seed = 20261124): string {
  const t0 = 1_700_000_000_000;
  const header = madeHeader('bench-replay-log-0001', 'BENCH', t0, seed);
  const out: { unit: MadeUnit; order: number }[] = [];
  let order = 0;
  const push = (unit: MadeUnit) => out.push({ unit, order: order++ });
  const kinds: { sc: AnyScenario; config: unknown }[] = Object.entries(scenarioLoads).flatMap(([id, load]) =>
    load.replay === undefined ? [] : [{ sc: scenarios[id as ScenarioId] as AnyScenario, config: load.replay }],
  );
  let game = 0;
  let total = 0;
  const clocks: number[] = [];
  for (const { sc, config } of kinds) push(settingsUnit(t0, sc, config));
  for (let i = 0; i < tables; i++) {
    const id = `T${i + 1}`;
    const { sc, config } = kinds[i % kinds.length]!;
    const seats = sc.seatsFor(config);
    for (const u of botTable(t0, id, sc, seats)) push(u);
    total += 1 + seats.length;
    clocks.push(t0 + 1000 + i * 10);
  }
  // Each table plays its next game when its last one has ended, until the log is long enough. Games
  // are started in time order (the table whose last game ended first starts next), so their numbers
  // follow the log as the host's startGames gives them — and the checker replays each start.
  while (total < events) {
    let i = 0;
    for (let k = 1; k < tables; k++) if (clocks[k]! < clocks[i]!) i = k;
    const id = `T${i + 1}`;
    const { sc, config } = kinds[i % kinds.length]!;
    game += 1;
    const start = clocks[i]!;
    const g = startedGame(seed, game, sc, config, sc.seatsFor(config));
    const r = simulate(sc, g.config, g.seed, {}, start);
    for (const u of gameUnits(id, game, start, sc, g.seed, g.config, r)) push(u);
    total += 1 + r.events.length;
    clocks[i] = r.endedAt + 5000;
  }
  // A table's units keep their order; tables interleave by time.
  out.sort((a, b) => a.unit.at - b.unit.at || a.order - b.order);
  return encodeLog(
    header,
    out.map((x) => x.unit),
  );
}
