// The audience hook lets the server redraw only the screens an event touches. Its contract: a seat it
// leaves out sees exactly the same view after the event as before. Checked on every event of many
// random games of both scenarios, with the host's and the valley's hands in them (pause, resume, crash,
// restart, hold, release, capture, a new capture rate) and free-mode rule breaking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paxos, px, simulate, tg, twoGenerals, type AnyScenario, type GameControl } from '@valley/shared';

type Hand = { at: number; kind: GameControl['type']; target: number };

/** A script of host controls over time; targets are picked among what exists at that moment. */
function handsOf(script: Hand[], seats: string[]) {
  const todo = [...script].sort((x, y) => x.at - y.at);
  let i = 0;
  return (raw: unknown, at: number): { controls: GameControl[]; wakeAt: number | null } => {
    const s = raw as { messengers: { n: number; status: string }[] };
    const controls: GameControl[] = [];
    for (; i < todo.length && todo[i]!.at <= at; i++) {
      const c = todo[i]!;
      switch (c.kind) {
        case 'crash':
        case 'restart':
          controls.push({ type: c.kind, seat: seats[c.target % seats.length]! });
          break;
        case 'hold':
        case 'release':
        case 'capture': {
          const ms = s.messengers.filter((m) => (c.kind === 'release' ? m.status === 'held' : m.status === 'inFlight' || m.status === 'held'));
          if (ms.length) controls.push({ type: c.kind, n: ms[c.target % ms.length]!.n });
          break;
        }
        case 'setCaptureRate':
          controls.push({ type: 'setCaptureRate', captureRate: (c.target % 11) / 10 });
          break;
        default:
          controls.push({ type: c.kind });
      }
    }
    return { controls, wakeAt: todo[i]?.at ?? null };
  };
}

const hands = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 60_000 }),
    kind: fc.constantFrom<GameControl['type']>('pause', 'resume', 'crash', 'restart', 'hold', 'release', 'capture', 'setCaptureRate', 'end'),
    target: fc.nat({ max: 1000 }),
  }),
  { maxLength: 12 },
);

/** Replays a game event by event and checks the contract at each one; returns how many seats it spared. */
function checkGame(sc: AnyScenario, config: unknown, seed: number, script: Hand[]) {
  const seats = sc.seatsFor(config);
  const r = simulate(sc, config, seed, { chaos: handsOf(script, seats), maxEvents: 600 });
  let state = sc.init(config, seed, 0);
  let views = seats.map((s) => JSON.stringify(sc.view(state, s)));
  let spared = 0;
  for (const { at, event } of r.events) {
    state = sc.apply(state, event, at);
    const told = sc.audience!(state, event);
    const next = seats.map((s) => JSON.stringify(sc.view(state, s)));
    seats.forEach((seat, i) => {
      if (told === null || told.includes(seat)) return;
      spared++;
      expect(next[i], `${sc.id}: ${JSON.stringify(event)} changed ${seat}'s view, but its audience is ${JSON.stringify(told)}`).toBe(views[i]);
    });
    views = next;
  }
  return spared;
}

describe('audience: the seats an event may change are all the seats whose view changes', () => {
  it('Paxos, strict and free, with a valley seat, crashes, holds and host controls', () => {
    let spared = 0;
    fc.assert(
      fc.property(
        fc.record({
          proposers: fc.integer({ min: 1, max: 3 }),
          acceptors: fc.integer({ min: 3, max: 5 }),
          learners: fc.integer({ min: 0, max: 2 }),
          valley: fc.boolean(),
          mode: fc.constantFrom<'strict' | 'free'>('strict', 'free'),
          captureRate: fc.integer({ min: 0, max: 5 }).map((p) => p / 10),
        }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        hands,
        (t, seed, script) => {
          const config = paxos.fitConfig({ ...px.defaultConfig, ...t, deadlineMs: 120_000 }, paxos.seatsFor({ ...px.defaultConfig, ...t }));
          spared += checkGame(paxos, config, seed, script);
        },
      ),
      { numRuns: 60 },
    );
    // The hook must actually spare screens, or the server gains nothing from it.
    expect(spared).toBeGreaterThan(1000);
  });

  it('Two Generals, with pauses, resumes and ends', () => {
    let spared = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).map((p) => p / 10),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        hands,
        (captureRate, seed, script) => {
          spared += checkGame(twoGenerals, { ...tg.defaultConfig, captureRate }, seed, script);
        },
      ),
      { numRuns: 150 },
    );
    expect(spared).toBeGreaterThan(500);
  });
});
