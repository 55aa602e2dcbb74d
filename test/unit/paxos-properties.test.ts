// Property tests for Paxos over thousands of simulated bot games in fake time.
//
// Safety: in strict mode no game ever chooses two values, whatever the table, the valley, the crashes
// and the host's hands on the messengers. Liveness: with one proposer, a majority of acceptors that
// never crash and a valley that lets some messengers through, a value is always chosen (and every learner
// declares it).
//
// fast-check prints the seed and path of any failure; to replay one, run
//   VALLEY_FC_SEED=<seed> VALLEY_FC_PATH=<path> npx vitest run test/unit/paxos-properties.test.ts
// and add the case it finds below as a named regression. Ordinary runs play about 10,000 games in ~15–20 s
// on two cores; `npm run test:long` (VALLEY_LONG=1) plays 20× as many (180,000 safety and 22,000 liveness
// games, about five minutes) for a longer search.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paxos, px, simulate, type GameControl, type SimResult } from '@valley/shared';
import { acceptedIn, chosenValues } from '../support/paxos.ts';

const LONG = process.env.VALLEY_LONG === '1';
const runs = (n: number) => (LONG ? n * 20 : n);
const replay = process.env.VALLEY_FC_SEED ? { seed: Number(process.env.VALLEY_FC_SEED), path: process.env.VALLEY_FC_PATH } : {};
// A long search must not be cut short by vitest's per-test limit.
const timeout = LONG ? 3_600_000 : 60_000;

type Chaos = { at: number; kind: 'crash' | 'restart' | 'hold' | 'release' | 'capture'; target: number };

/**
 * The host's hands as a script over time: crash or restart an acceptor, hold, release or capture a
 * messenger. Targets are picked among what exists at that moment (target modulo the candidates).
 */
function chaosOf(script: Chaos[], acceptors: string[], stop?: (s: px.State) => boolean) {
  const todo = [...script].sort((x, y) => x.at - y.at);
  let i = 0;
  return (raw: unknown, at: number): { controls: GameControl[]; wakeAt: number | null } => {
    const s = raw as px.State;
    const controls: GameControl[] = [];
    for (; i < todo.length && todo[i]!.at <= at; i++) {
      const c = todo[i]!;
      const pick = <T>(xs: T[]) => (xs.length ? xs[c.target % xs.length] : undefined);
      if (c.kind === 'crash' || c.kind === 'restart') {
        controls.push({ type: c.kind, seat: acceptors[c.target % acceptors.length]! });
        continue;
      }
      const wanted = c.kind === 'hold' ? ['inFlight'] : c.kind === 'release' ? ['held'] : ['inFlight', 'held'];
      const m = pick(s.messengers.filter((x) => wanted.includes(x.status)));
      if (m) controls.push({ type: c.kind, n: m.n });
    }
    if (stop?.(s)) return { controls: [...controls, { type: 'end' }], wakeAt: null };
    // With a stop condition, look again every second of fake time; otherwise only when the script says.
    const next = todo[i]?.at ?? null;
    return { controls, wakeAt: stop ? Math.min(next ?? Infinity, at + 1000) : next };
  };
}

/** What every run must keep, whatever happened in it. */
function checkSafe(r: SimResult) {
  const s = r.state as px.State;
  const values = chosenValues(s, acceptedIn(r.events));
  // At most one value chosen, counted from scratch from every Accepted...
  expect(values.length, `chosen ${values.join(', ')}`).toBeLessThanOrEqual(1);
  // ...and the server's marker and checker agree with that count.
  expect([...new Set(s.chosen.map((c) => c.value))]).toEqual(values);
  expect(px.safety(s)).toEqual({ ok: true });
  expect(paxos.verdict(s)).toMatchObject({ safe: true, violations: [] });
  // A learner declares only the chosen value.
  for (const d of Object.values(s.declared)) expect(values).toContain(d.value);
  // Bots follow the rules: strict mode never had to refuse them.
  expect(r.refusals).toEqual([]);
  expect(s.broken).toEqual([]);
}

const valley = {
  captureRate: fc.integer({ min: 0, max: 60 }).map((p) => p / 100),
  delayMinMs: fc.integer({ min: 50, max: 2000 }),
  delaySpanMs: fc.integer({ min: 0, max: 2500 }),
  seed: fc.integer({ min: 0, max: 0xffff_ffff }),
};

const chaosScript = (maxAt: number, max: number) =>
  fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: maxAt }),
      kind: fc.constantFrom<Chaos['kind']>('crash', 'restart', 'hold', 'release', 'capture'),
      target: fc.nat({ max: 1000 }),
    }),
    { maxLength: max },
  );

function table(t: {
  proposers: number;
  acceptors: number;
  learners: number;
  captureRate: number;
  delayMinMs: number;
  delaySpanMs: number;
  deadlineMs: number;
}): px.Config {
  return {
    ...px.defaultConfig,
    mode: 'strict',
    proposers: t.proposers,
    acceptors: t.acceptors,
    learners: t.learners,
    captureRate: t.captureRate,
    delayMinMs: t.delayMinMs,
    delayMaxMs: t.delayMinMs + t.delaySpanMs,
    deadlineMs: t.deadlineMs,
  };
}

describe('Paxos safety (strict mode): no game ever chooses two values', () => {
  /**
   * A table and a valley, with a deadline counted in a bot proposer's rounds (each round waits up to
   * twice the longest crossing): short crossings do not make a game longer, only quicker. Kept small so
   * that ten thousand games fit in npm test.
   */
  const tables = (proposers: [number, number], acceptors: [number, number], learners: number, rounds: [number, number]) =>
    fc
      .record({
        proposers: fc.integer({ min: proposers[0], max: proposers[1] }),
        acceptors: fc.integer({ min: acceptors[0], max: acceptors[1] }),
        learners: fc.integer({ min: 0, max: learners }),
        captureRate: valley.captureRate,
        delayMinMs: valley.delayMinMs,
        delaySpanMs: valley.delaySpanMs,
        rounds: fc.integer({ min: rounds[0], max: rounds[1] }),
      })
      .map(({ rounds: n, ...t }) => ({ ...t, deadlineMs: n * (2 * (t.delayMinMs + t.delaySpanMs) + 500) }));

  function safetyProperty(t: fc.Arbitrary<Parameters<typeof table>[0]>, numRuns: number) {
    // How often the runs reach the situations that matter, so a generator that drifts into trivial games fails.
    const seen = { runs: 0, chosen: 0, proposedAfterChosen: 0, crashed: 0, held: 0 };
    fc.assert(
      fc.property(t, valley.seed, chaosScript(1000, 10), (tb, seed, script) => {
        const config = table(tb);
        // The script's moments are per mille of the game's length.
        const timed = script.map((c) => ({ ...c, at: Math.floor((c.at * config.deadlineMs) / 1000) }));
        const r = simulate(paxos, config, seed, { chaos: chaosOf(timed, px.seatsOf(config).acceptors) });
        checkSafe(r);
        const s = r.state as px.State;
        const first = s.chosen[0];
        seen.runs++;
        if (first) seen.chosen++;
        // The case P2c exists for: after a value is chosen, someone proposes with a higher ballot.
        if (first && s.messengers.some((m) => m.payload.type === 'accept' && px.compareBallots(m.payload.ballot, first.ballot) > 0)) seen.proposedAfterChosen++;
        if (r.events.some((e) => (e.event as px.Event).type === 'crashed')) seen.crashed++;
        if (r.events.some((e) => (e.event as px.Event).type === 'messengerHeld')) seen.held++;
      }),
      { numRuns: runs(numRuns), ...replay },
    );
    return seen;
  }

  /** About a third of the games choose a value; some go on to propose again over it; the host's hands are busy. */
  function expectCoverage(seen: { runs: number; chosen: number; proposedAfterChosen: number; crashed: number; held: number }, after: number) {
    if (process.env.VALLEY_FC_SEED) return; // a replay runs one case
    expect(seen.chosen / seen.runs).toBeGreaterThan(0.2);
    expect(seen.proposedAfterChosen / seen.runs).toBeGreaterThan(after);
    expect(seen.crashed / seen.runs).toBeGreaterThan(0.3);
    expect(seen.held / seen.runs).toBeGreaterThan(0.3);
  }

  it(
    'duelling proposers on small tables, with crashes, restarts and the host holding, releasing and capturing',
    () => {
      const seen = safetyProperty(tables([2, 3], [3, 5], 1, [2, 4]), 4500);
      expectCoverage(seen, 0.08);
    },
    timeout,
  );

  it(
    'any table from 1–3 proposers, 3–7 acceptors and 0–2 learners, with the same chaos',
    () => {
      const seen = safetyProperty(tables([1, 3], [3, 7], 2, [2, 3]), 4500);
      expectCoverage(seen, 0.03);
    },
    timeout,
  );
});

describe('Paxos liveness: one proposer and a live majority always choose a value', () => {
  const MIN = 60_000;

  function checkChosen(r: SimResult) {
    const s = r.state as px.State;
    checkSafe(r);
    expect(s.chosen.length, 'a value is chosen').toBeGreaterThan(0);
    expect(s.chosen[0]!.at).toBeLessThan(s.deadlineAt);
  }

  function checkDeclared(r: SimResult) {
    checkChosen(r);
    const s = r.state as px.State;
    const value = s.chosen[0]!.value;
    expect(Object.fromEntries(Object.entries(s.declared).map(([l, d]) => [l, d.value]))).toEqual(
      Object.fromEntries(px.seatsOf(s.config).learners.map((l) => [l, value])),
    );
  }

  // Stop a game once what the property waits for has happened: nothing after it can matter.
  const chosen = (s: px.State) => s.chosen.length > 0;
  const allDeclared = (s: px.State) => chosen(s) && Object.keys(s.declared).length === s.config.learners;

  const liveTable = (maxLoss: number, learners: [number, number]) =>
    fc.record({
      proposers: fc.constant(1),
      acceptors: fc.integer({ min: 3, max: 7 }),
      learners: fc.integer({ min: learners[0], max: learners[1] }),
      captureRate: fc.integer({ min: 0, max: maxLoss * 100 }).map((p) => p / 100),
      delayMinMs: valley.delayMinMs,
      delaySpanMs: valley.delaySpanMs,
    });

  /** Crash-and-restart windows for the acceptors outside a majority, every one back up within two minutes. */
  const windows = fc.array(fc.record({ at: fc.integer({ min: 0, max: 100_000 }), down: fc.integer({ min: 0, max: 20_000 }), target: fc.nat({ max: 1000 }) }), {
    maxLength: 6,
  });
  const minorityOf = (config: px.Config) => px.seatsOf(config).acceptors.slice(px.quorum(config));
  const crashRestart = (minority: string[], ws: { at: number; down: number; target: number }[]): Chaos[] =>
    minority.length
      ? ws.flatMap((w) => [
          { at: w.at, kind: 'crash' as const, target: w.target },
          { at: w.at + w.down, kind: 'restart' as const, target: w.target },
        ])
      : [];

  // At loss 0.5 a bot proposer needs a majority of round trips (each a quarter likely) and then a
  // majority of Accepts: on 4 or 6 acceptors with 4.5 s crossings that takes ten minutes on average,
  // and about one game in twenty needs more than 30 (measured). Two hours leaves no doubt.
  it(
    'loss up to 0.5, the acceptors outside the majority crashing and restarting: a value is chosen within two hours',
    () => {
      fc.assert(
        fc.property(liveTable(0.5, [0, 2]), valley.seed, windows, (tb, seed, ws) => {
          const config = table({ ...tb, deadlineMs: 120 * MIN });
          const minority = minorityOf(config);
          const r = simulate(paxos, config, seed, { chaos: chaosOf(crashRestart(minority, ws), minority, chosen) });
          checkChosen(r);
        }),
        { numRuns: runs(400), ...replay },
      );
    },
    timeout,
  );

  // A learner hears of a value only through a majority of Accepted for one ballot reaching it; the bot
  // proposer runs new ballots until every learner has declared. At loss 0.3 that is quick.
  it(
    'loss up to 0.3, the same crashes: every learner declares the chosen value within 30 minutes',
    () => {
      fc.assert(
        fc.property(liveTable(0.3, [1, 2]), valley.seed, windows, (tb, seed, ws) => {
          const config = table({ ...tb, deadlineMs: 30 * MIN });
          const minority = minorityOf(config);
          const r = simulate(paxos, config, seed, { chaos: chaosOf(crashRestart(minority, ws), minority, allDeclared) });
          checkDeclared(r);
        }),
        { numRuns: runs(400), ...replay },
      );
    },
    timeout,
  );

  it(
    'loss up to 0.15, the acceptors outside the majority crashed for good: a value is chosen and every learner declares it within 30 minutes',
    () => {
      fc.assert(
        fc.property(liveTable(0.15, [0, 2]), valley.seed, fc.integer({ min: 0, max: MIN }), (tb, seed, crashAt) => {
          const config = table({ ...tb, deadlineMs: 30 * MIN });
          const minority = minorityOf(config);
          const script: Chaos[] = minority.map((_, i) => ({ at: crashAt, kind: 'crash', target: i }));
          const r = simulate(paxos, config, seed, { chaos: chaosOf(script, minority, allDeclared) });
          checkDeclared(r);
          // The minority really was down (unless everything was over before the crash came).
          const s = r.state as px.State;
          if (crashAt <= s.endedAt!) expect(minority.filter((a) => !s.acceptors[a]!.crashed)).toEqual([]);
        }),
        { numRuns: runs(300), ...replay },
      );
    },
    timeout,
  );
});

describe('Paxos regressions found by these properties', () => {
  it('a slow, lossy valley can need more than 30 minutes: seed 148842052 (4 acceptors, loss 0.5, 2–4.5 s crossings) chooses after 31', () => {
    // Found while measuring the liveness property with a 30-minute deadline: about one game in twenty
    // at this corner failed it, which is why the property allows two hours at loss 0.5.
    const config = table({ proposers: 1, acceptors: 4, learners: 0, captureRate: 0.5, delayMinMs: 2000, delaySpanMs: 2500, deadlineMs: 120 * 60_000 });
    const r = simulate(paxos, config, 148842052, { chaos: chaosOf([], ['a1'], (s) => s.chosen.length > 0) });
    const s = r.state as px.State;
    checkSafe(r);
    expect(s.chosen[0]!.at).toBeGreaterThan(30 * 60_000);
    expect(s.chosen[0]!.at).toBeLessThan(120 * 60_000);
  });
});
