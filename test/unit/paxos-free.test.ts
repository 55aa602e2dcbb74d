// Free mode: the teacher lets students break the protocol's rules. Each broken rule goes through and is
// recorded; scripted classroom mistakes choose two values, and the safety checker shows how.
import { describe, expect, it } from 'vitest';
import { forgetfulAcceptor, paxos, px, simulate, type Refusal } from '@valley/shared';
import { Game, R, acceptedIn, b, chosenValues, type Action } from '../support/paxos.ts';

const ALL = ['a1', 'a2', 'a3'];
const free = (over: Partial<px.Config> = {}) => new Game({ mode: 'free', ...over });

/** The first event of an allowed action in free mode is the breach, with the evidence strict mode would give. */
function breaks(g: Game, seat: string, action: Action, rule: string, evidence: Refusal['evidence']) {
  const at = g.now;
  const events = g.ok(seat, action);
  expect(events[0]).toEqual({ type: 'ruleBroken', seat, rule, evidence });
  expect(g.state.broken.at(-1)).toEqual({ seat, rule, evidence, at });
  return events.slice(1);
}

describe('free mode: every protocol rule may be broken, and each breach is recorded', () => {
  it('a proposer reuses a ballot (ballot-not-fresh)', () => {
    const g = free();
    g.prepare('A', 2, ['a1']);
    const rest = breaks(g, 'A', { type: 'prepare', round: 1, to: ['a2'] }, R.ballotNotFresh, { ballot: '1.A', used: '2.A' });
    expect(rest).toMatchObject([{ type: 'messengerSent', to: 'a2', payload: { type: 'prepare', ballot: b('1.A') } }]);
    // The round record keeps the highest round used.
    expect(g.state.rounds.A).toBe(2);
  });

  it('a proposer sends Accept without a majority of promises (accept-without-majority)', () => {
    const g = free();
    g.phase1('A', 1, ['a1']);
    const rest = breaks(g, 'A', { type: 'accept', round: 1, value: 'dawn', to: ALL }, R.acceptWithoutMajority, { ballot: '1.A', promises: 1, needed: 2 });
    expect(rest).toHaveLength(3);
  });

  it('a proposer ignores the value a promise reported (accept-wrong-value)', () => {
    const g = free();
    g.set('a1', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    g.phase1('B', 2, ['a1', 'a2']);
    breaks(g, 'B', { type: 'accept', round: 2, value: 'noon', to: ALL }, R.acceptWrongValue, { value: 'noon', required: 'dawn', from: '1.A' });
  });

  it('a proposer breaks two rules at once: both are recorded, in order', () => {
    const g = free();
    g.set('a1', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    g.phase1('B', 2, ['a1']);
    const events = g.ok('B', { type: 'accept', round: 2, value: 'noon', to: ALL });
    expect(events.slice(0, 2)).toEqual([
      { type: 'ruleBroken', seat: 'B', rule: R.acceptWithoutMajority, evidence: { ballot: '2.B', promises: 1, needed: 2 } },
      { type: 'ruleBroken', seat: 'B', rule: R.acceptWrongValue, evidence: { value: 'noon', required: 'dawn', from: '1.A' } },
    ]);
    expect(g.state.broken.map((x) => x.rule)).toEqual([R.acceptWithoutMajority, R.acceptWrongValue]);
  });

  it('an acceptor promises a lower ballot, forgetting its promise (promise-not-higher)', () => {
    const g = free();
    g.set('a1', { promised: b('4.A') });
    g.prepare('B', 3, ['a1']);
    g.advance(1000);
    const rest = breaks(g, 'a1', { type: 'promise', n: 1 }, R.promiseNotHigher, { acceptor: 'a1', promised: '4.A', ballot: '3.B' });
    expect(rest[0]).toEqual({ type: 'promised', acceptor: 'a1', ballot: b('3.B') });
    expect(g.card('a1').promised).toEqual(b('3.B'));
  });

  it('an acceptor accepts below its promise (accept-below-promise)', () => {
    const g = free();
    g.set('a1', { promised: b('4.A') });
    g.phase1('B', 3, ['a2', 'a3']);
    g.propose('B', 3, 'noon', ['a1']);
    g.advance(1000);
    const rest = breaks(g, 'a1', { type: 'acceptProposal', n: g.last('a1', 'accept') }, R.acceptBelowPromise, {
      acceptor: 'a1',
      promised: '4.A',
      ballot: '3.B',
    });
    expect(rest[0]).toEqual({ type: 'accepted', acceptor: 'a1', ballot: b('3.B'), value: 'noon' });
    // It holds the lower proposal; the higher promise stays.
    expect(g.card('a1')).toMatchObject({ promised: b('4.A'), acceptedBallot: b('3.B'), acceptedValue: 'noon' });
  });

  it('a learner declares without a majority (declare-without-majority), and the game still ends', () => {
    const g = free();
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1']);
    const rest = breaks(g, 'l1', { type: 'declare', value: 'noon' }, R.declareWithoutMajority, { value: 'noon', count: 0, needed: 2 });
    expect(rest).toEqual([
      { type: 'declared', learner: 'l1', value: 'noon' },
      { type: 'gameEnded', reason: 'allDeclared' },
    ]);
  });

  it('the shape of an action is never negotiable: free mode refuses what strict mode refuses outside the protocol', () => {
    const g = free({ learners: 2 });
    g.prepare('A', 1, ['a1', 'a2']);
    g.advance(1000);
    g.ok('a1', { type: 'promise', n: 1 });
    g.ok('l1', { type: 'declare', value: 'x' });
    const cases: [string, Action, string][] = [
      ['A', { type: 'prepare', round: 0, to: ALL }, R.badRound],
      ['A', { type: 'prepare', round: 2, to: [] }, R.noRecipients],
      ['A', { type: 'prepare', round: 2, to: ['l1'] }, R.notAnAcceptor],
      ['A', { type: 'accept', round: 1, value: '', to: ALL }, R.badValue],
      ['a1', { type: 'promise', n: 1 }, R.alreadyAnswered],
      ['a1', { type: 'promise', n: 42 }, R.unknownMessenger],
      ['l1', { type: 'declare', value: 'x' }, R.alreadyDeclared],
      ['a1', { type: 'prepare', round: 1, to: ALL }, R.wrongRole],
      ['D', { type: 'prepare', round: 1, to: ALL }, R.notASeat],
    ];
    for (const [seat, action, rule] of cases) expect(g.act(seat, action), `${seat} ${JSON.stringify(action)}`).toMatchObject({ ok: false, refusal: { rule } });
    g.control({ type: 'crash', seat: 'a2' });
    expect(g.act('a2', { type: 'promise', n: 2 })).toMatchObject({ ok: false, refusal: { rule: R.seatCrashed } });
    g.control({ type: 'end' });
    expect(g.act('A', { type: 'prepare', round: 2, to: ALL })).toMatchObject({ ok: false, refusal: { rule: R.notRunning } });
  });
});

/** A step that strict mode refuses stops the script with the refusal. */
class Refused extends Error {
  constructor(
    readonly seat: string,
    readonly refusal: Refusal,
  ) {
    super(`${seat}: ${refusal.rule}`);
  }
}

function step(g: Game, seat: string, action: Action) {
  const r = g.act(seat, action);
  if (!r.ok) throw new Refused(seat, r.refusal);
}
const prepare = (g: Game, seat: string, round: number, to: string[]) => step(g, seat, { type: 'prepare', round, to });
const promise = (g: Game, ...acceptors: string[]) => acceptors.forEach((a) => step(g, a, { type: 'promise', n: g.last(a, 'prepare') }));
const propose = (g: Game, seat: string, round: number, value: string, to: string[]) => step(g, seat, { type: 'accept', round, value, to });
const accept = (g: Game, ...acceptors: string[]) => acceptors.forEach((a) => step(g, a, { type: 'acceptProposal', n: g.last(a, 'accept') }));
const cross = (g: Game) => g.advance(1000);

interface Script {
  name: string;
  play: (g: Game) => void;
  /** What strict mode says at the step that breaks the protocol. */
  refusal: { seat: string; rule: string; evidence: Refusal['evidence'] };
  /** The two proposals chosen in free mode, in the order they were chosen. */
  chosen: [string, string][];
}

const SCRIPTS: Script[] = [
  {
    name: 'an acceptor forgets its promise and accepts an older ballot',
    play: (g) => {
      prepare(g, 'A', 1, ['a1', 'a2']);
      cross(g);
      promise(g, 'a1', 'a2');
      cross(g);
      prepare(g, 'B', 2, ['a2', 'a3']);
      cross(g);
      promise(g, 'a2', 'a3');
      cross(g);
      propose(g, 'B', 2, 'noon', ['a2', 'a3']);
      cross(g);
      accept(g, 'a2', 'a3'); // noon is chosen with 2.B
      // A still holds promises for 1.A from a1 and a2, and reported nothing: it proposes its own value.
      propose(g, 'A', 1, 'dawn', ['a1', 'a2']);
      cross(g);
      accept(g, 'a1', 'a2'); // a2 promised 2.B, yet accepts 1.A
    },
    refusal: { seat: 'a2', rule: R.acceptBelowPromise, evidence: { acceptor: 'a2', promised: '2.B', ballot: '1.A' } },
    chosen: [
      ['2.B', 'noon'],
      ['1.A', 'dawn'],
    ],
  },
  {
    name: 'a proposer ignores the accepted value a promise reported',
    play: (g) => {
      prepare(g, 'A', 1, ['a1', 'a2']);
      cross(g);
      promise(g, 'a1', 'a2');
      cross(g);
      propose(g, 'A', 1, 'dawn', ['a1', 'a2']);
      cross(g);
      accept(g, 'a1', 'a2'); // dawn is chosen with 1.A
      prepare(g, 'B', 2, ['a2', 'a3']);
      cross(g);
      promise(g, 'a2', 'a3'); // a2 reports (1.A, dawn)
      cross(g);
      propose(g, 'B', 2, 'noon', ['a2', 'a3']);
      cross(g);
      accept(g, 'a2', 'a3');
    },
    refusal: { seat: 'B', rule: R.acceptWrongValue, evidence: { value: 'noon', required: 'dawn', from: '1.A' } },
    chosen: [
      ['1.A', 'dawn'],
      ['2.B', 'noon'],
    ],
  },
  {
    name: 'a proposer reuses its ballot for a second value',
    play: (g) => {
      prepare(g, 'A', 1, ['a1', 'a2']);
      cross(g);
      promise(g, 'a1', 'a2');
      cross(g);
      propose(g, 'A', 1, 'dawn', ['a1', 'a2']);
      cross(g);
      accept(g, 'a1', 'a2'); // dawn is chosen with 1.A
      prepare(g, 'A', 1, ['a3']); // 1.A again
      cross(g);
      promise(g, 'a3');
      cross(g);
      propose(g, 'A', 1, 'noon', ['a2', 'a3']);
      cross(g);
      accept(g, 'a2', 'a3'); // a majority accepted (1.A, noon) too
    },
    refusal: { seat: 'A', rule: R.ballotNotFresh, evidence: { ballot: '1.A', used: '1.A' } },
    chosen: [
      ['1.A', 'dawn'],
      ['1.A', 'noon'],
    ],
  },
  {
    name: 'a proposer proposes on a minority of promises',
    play: (g) => {
      prepare(g, 'A', 1, ['a1', 'a2']);
      cross(g);
      promise(g, 'a1', 'a2');
      cross(g);
      propose(g, 'A', 1, 'dawn', ['a1', 'a2']);
      cross(g);
      accept(g, 'a1', 'a2'); // dawn is chosen with 1.A
      prepare(g, 'B', 2, ['a3']);
      cross(g);
      promise(g, 'a3'); // a3 has accepted nothing, and is all B asks
      cross(g);
      propose(g, 'B', 2, 'noon', ['a2', 'a3']);
      cross(g);
      accept(g, 'a2', 'a3');
    },
    refusal: { seat: 'B', rule: R.acceptWithoutMajority, evidence: { ballot: '2.B', promises: 1, needed: 2 } },
    chosen: [
      ['1.A', 'dawn'],
      ['2.B', 'noon'],
    ],
  },
];

describe('free mode: how two values come to be chosen, and the safety checker', () => {
  for (const s of SCRIPTS) {
    it(`${s.name}: two values are chosen and the checker flags them`, () => {
      const g = free();
      s.play(g);
      const chosen = g.state.chosen.map((c) => [px.showBallot(c.ballot), c.value]);
      expect(chosen).toEqual(s.chosen);
      // The marker agrees with a count made from scratch.
      expect(chosenValues(g.state, acceptedIn(g.log)).sort()).toEqual(s.chosen.map(([, v]) => v).sort());
      const [first, second] = s.chosen.map(([ballot, value]) => ({ ballot, value }));
      expect(px.safety(g.state)).toEqual({ ok: false, first, second });
      const v = paxos.verdict(g.state);
      expect(v).toMatchObject({ safe: false, chosen: first!.value, chosenBallot: first!.ballot, values: [first!.value, second!.value] });
      expect(v.violations).toEqual([{ first, second }]);
      expect(g.state.broken.map((x) => ({ seat: x.seat, rule: x.rule, evidence: x.evidence }))).toContainEqual(s.refusal);
      // The debrief, once the host ends the game, tells every seat.
      g.control({ type: 'end' });
      expect(paxos.view(g.state, 'l1').debrief).toMatchObject({ safe: false });
    });

    it(`${s.name}: strict mode refuses the step that would break the protocol`, () => {
      const g = new Game();
      let refused: Refused | null = null;
      try {
        s.play(g);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        refused = e;
      }
      expect(refused && { seat: refused.seat, ...refused.refusal }).toEqual(s.refusal);
      expect(px.safety(g.state)).toEqual({ ok: true });
      expect(new Set(g.state.chosen.map((c) => c.value)).size).toBeLessThanOrEqual(1);
    });
  }
});

describe('free mode with bots: a forgetful acceptor', () => {
  const config = (mode: px.Mode): px.Config => ({
    ...px.defaultConfig,
    mode,
    proposers: 3,
    acceptors: 3,
    learners: 0,
    captureRate: 0.2,
    delayMinMs: 500,
    delayMaxMs: 4000,
    deadlineMs: 120_000,
  });

  it('lets two values be chosen in some games, and the checker flags every one of them', () => {
    let unsafe = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = simulate(paxos, config('free'), seed, { players: { a1: forgetfulAcceptor } });
      const s = r.state as px.State;
      const values = chosenValues(s, acceptedIn(r.events));
      expect(new Set(s.chosen.map((c) => c.value))).toEqual(new Set(values));
      expect(paxos.verdict(s).safe, `seed ${seed}`).toBe(values.length <= 1);
      if (values.length > 1) {
        unsafe++;
        expect(s.broken.some((x) => x.seat === 'a1')).toBe(true);
      }
    }
    expect(unsafe).toBeGreaterThan(0);
  });

  it('in strict mode the same bot is refused and no game chooses two values', () => {
    let refused = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = simulate(paxos, config('strict'), seed, { players: { a1: forgetfulAcceptor } });
      const s = r.state as px.State;
      expect(chosenValues(s, acceptedIn(r.events)).length, `seed ${seed}`).toBeLessThanOrEqual(1);
      expect(paxos.verdict(s).safe).toBe(true);
      refused += r.refusals.filter((x) => x.seat === 'a1').length;
    }
    expect(refused).toBeGreaterThan(0);
  });
});
