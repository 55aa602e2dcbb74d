// The recorded example games in examples/: built from the shared rules and bots in fake time, so they
// can be made again exactly. `npm run examples` rewrites them; a test checks the files still match and
// still replay, which keeps them valid as the log format evolves.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_IDS, paxos, px, road, scenarios, simulate, tg, twoGenerals, type AnyScenario, type SimOptions } from '@valley/shared';
import { botTable, encodeLog, gameUnits, madeHeader, settingsUnit, startedGame } from './session-log.ts';

const START = Date.UTC(2026, 8, 1, 9, 0, 0);

/** An example session: the host sets the scenario's settings, opens a table of bots and starts its game. */
function record(name: string, sc: AnyScenario, config: unknown, sessionSeed: number, opts: SimOptions = {}): string {
  const gameStart = START + 1000;
  const seats = sc.seatsFor(config);
  const game = startedGame(sessionSeed, 1, sc, config, seats);
  const sim = simulate(sc, game.config, game.seed, opts, gameStart);
  return encodeLog(madeHeader(`example-${name}`, 'DEMQ2', START, sessionSeed), [
    settingsUnit(START, sc, config),
    ...botTable(START, 'T1', sc, seats),
    ...gameUnits('T1', 1, gameStart, sc, game.seed, game.config, sim),
  ]);
}

/** The first session seed from `from` whose first game satisfies `want`. */
function findSeed(sc: AnyScenario, config: unknown, want: (state: unknown) => boolean, opts: SimOptions = {}, from = 1): number {
  for (let seed = from; seed < from + 10_000; seed++) {
    const game = startedGame(seed, 1, sc, config, sc.seatsFor(config));
    if (want(simulate(sc, game.config, game.seed, opts).state)) return seed;
  }
  throw new Error('no seed found');
}

export function buildExamples(): Record<string, string> {
  const tgConfig: tg.Config = { ...tg.defaultConfig, captureRate: 0.3, deadlineMs: 60_000, botBudget: 5 };
  const victory = findSeed(
    twoGenerals,
    tgConfig,
    (s) => (s as tg.State).outcome === 'victory' && (s as tg.State).messengers.some((m) => m.status === 'captured'),
  );
  const defeat = findSeed(twoGenerals, tgConfig, (s) => (s as tg.State).outcome === 'defeat');

  const crashConfig: px.Config = { ...px.defaultConfig, captureRate: 0.1, proposers: 1, acceptors: 3, learners: 1 };
  // The host crashes acceptor a2 two seconds in and restarts it eight seconds later.
  const crashes: SimOptions = {
    chaos: (state, at) => {
      const s = state as px.State;
      const t = at - s.startedAt;
      if (t < 2000) return { controls: [], wakeAt: s.startedAt + 2000 };
      if (t < 10_000) return { controls: s.acceptors.a2!.crashed ? [] : [{ type: 'crash', seat: 'a2' }], wakeAt: s.startedAt + 10_000 };
      return { controls: s.acceptors.a2!.crashed ? [{ type: 'restart', seat: 'a2' }] : [], wakeAt: null };
    },
  };
  const crashSeed = findSeed(
    paxos,
    crashConfig,
    (s) => (s as px.State).chosen.length > 0 && (s as px.State).messengers.some((m) => m.status === 'lost'),
    crashes,
  );

  const duelConfig: px.Config = { ...px.defaultConfig, captureRate: 0.05, proposers: 2, acceptors: 3, learners: 1 };
  const duelSeed = findSeed(paxos, duelConfig, (s) => {
    const st = s as px.State;
    const ballots = new Set(st.messengers.flatMap((m) => (m.payload.type === 'prepare' ? [px.showBallot(m.payload.ballot)] : [])));
    return ballots.size >= 5 && st.chosen.length > 0;
  });

  // Each level of the road: a game of bots that shows the failure the level exists to show.
  const levels: Record<string, string> = {};
  for (const id of SCENARIO_IDS) {
    const sc = scenarios[id] as AnyScenario & Partial<Pick<road.RoadScenario<road.RoadConfig, unknown, unknown, never, never>, 'protocol'>>;
    if (!sc.protocol) continue;
    const { failure, config: over } = sc.protocol.showcase;
    const config = { ...sc.defaultConfig, ...over, valley: false };
    const seed = findSeed(sc, config, (s) => (sc.verdict(s) as road.RoadVerdict).failures.includes(failure));
    levels[`road-${id}`] = record(`road-${id}`, sc, config, seed);
  }

  return {
    ...levels,
    'tg-victory': record('tg-victory', twoGenerals, tgConfig, victory),
    'tg-defeat': record('tg-defeat', twoGenerals, tgConfig, defeat),
    'paxos-crash': record('paxos-crash', paxos, crashConfig, crashSeed, crashes),
    'paxos-duel': record('paxos-duel', paxos, duelConfig, duelSeed),
  };
}

export const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '../examples');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(buildExamples())) {
    writeFileSync(join(examplesDir, `${name}.ndjson`), text);
    console.log(`examples/${name}.ndjson: ${text.split('\n').length - 2} events`);
  }
}
