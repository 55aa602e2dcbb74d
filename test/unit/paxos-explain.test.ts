// Paxos in words, from the game's facts: why the chosen value was the one chosen (which proposer's
// ballot a majority accepted, what its promises made it carry), each rule broken in free mode said of
// who broke it, and what a seat's screen needs to show an illegal move as one.
import { describe, expect, it } from 'vitest';
import { paxos, px, simulate } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { render } from '../../client/src/i18n/render.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { Game, R, b } from '../support/paxos.ts';

const ALL = ['a1', 'a2', 'a3'];
const words = (labels: { key: string; params: Record<string, string | number> }[]) => labels.map((l) => render(en, l.key, l.params));

describe('why the value was the one chosen', () => {
  it('a first ballot with no earlier value: the proposer was free to propose its own', () => {
    const g = new Game();
    g.phase1('A', 1, ALL);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    expect(px.whyChosen(g.state)).toEqual([
      { key: 'px.why.majority', params: { value: 'dawn', ballot: '1.A', proposer: 'A', acceptors: 'a1, a2', k: 2, n: 3 } },
      { key: 'px.why.free', params: { proposer: 'A', ballot: '1.A', value: 'dawn', promisers: 'a1, a2, a3' } },
    ]);
  });

  it('a later ballot carried the value a promise reported (P2c), naming who reported it', () => {
    const g = new Game();
    g.phase1('A', 1, ALL);
    g.phase2('A', 1, 'dawn', ['a1']);
    // B's ballot: a1 reports dawn @ 1.A, so B must carry dawn, and a majority accepts it.
    g.phase1('B', 2, ['a1', 'a2']);
    g.phase2('B', 2, 'dawn', ALL);
    expect(px.whyChosen(g.state)).toEqual([
      { key: 'px.why.majority', params: { value: 'dawn', ballot: '2.B', proposer: 'B', acceptors: 'a1, a2, a3', k: 3, n: 3 } },
      { key: 'px.why.carried', params: { proposer: 'B', value: 'dawn', earlier: '1.A', from: 'a1' } },
    ]);
    expect(words(px.whyChosen(g.state))[1]).toBe(
      'When B sent its Accept, the promise from a1 reported dawn accepted with ballot 1.A, so B had to carry dawn on: it may already have been chosen.',
    );
  });

  it('two values chosen in free mode: the second shows the value it should have carried', () => {
    const g = new Game({ mode: 'free' });
    g.phase1('A', 1, ALL);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    g.phase1('B', 2, ['a2', 'a3']);
    g.phase2('B', 2, 'noon', ['a2', 'a3']);
    expect(px.safety(g.state).ok).toBe(false);
    const why = px.whyChosen(g.state);
    expect(why.map((l) => l.key)).toEqual(['px.why.majority', 'px.why.free', 'px.why.majority', 'px.why.ignored']);
    expect(why[3]!.params).toEqual({ proposer: 'B', value: 'noon', required: 'dawn', earlier: '1.A', from: 'a2' });
    // The breach itself, said of who broke it, in both languages, every placeholder filled.
    expect(g.state.broken).toHaveLength(1);
    const said = px.brokenLabel(g.state.broken[0]!);
    expect(render(en, said.key, said.params)).toBe(
      'Proposer B proposed noon, but a promise reported dawn accepted with ballot 1.A: it had to propose dawn, which may already have been chosen.',
    );
    expect(render(zh, said.key, said.params)).not.toMatch(/\{\w+\}/);
  });

  it('ignores a valueChosen summary line the acceptances do not back (the facts decide)', () => {
    const g = new Game();
    g.phase1('A', 1, ALL);
    g.phase2('A', 1, 'dawn', ['a1']);
    const forged = paxos.apply(g.state, { type: 'valueChosen', ballot: b('1.A'), value: 'dawn', acceptors: ['a1', 'a2'] }, g.now);
    expect(px.whyChosen(forged)).toEqual([]);
  });

  it('has words for every rule free mode lets a student break, in both languages', () => {
    for (const rule of [R.ballotNotFresh, R.acceptWithoutMajority, R.acceptWrongValue, R.promiseNotHigher, R.acceptBelowPromise, R.declareWithoutMajority]) {
      expect(en, rule).toHaveProperty([`px.broke.${rule}`]);
      expect(zh, rule).toHaveProperty([`px.broke.${rule}`]);
    }
  });
});

describe("what a Paxos seat's screen needs to show an illegal move as one", () => {
  it('an acceptor sees which yes-answers would break its promise, and only unanswered ones', () => {
    const g = new Game({ mode: 'free' });
    g.prepare('B', 2, ['a1']);
    g.prepare('A', 1, ['a1']);
    g.advance(1000);
    const [forB, forA] = g.inbox('a1', 'prepare');
    expect(paxos.view(g.state, 'a1').wouldBreak).toEqual([]);
    g.ok('a1', { type: 'promise', n: forB! });
    // Promised 2.B: a yes to Prepare(1.A) would break it (promise-not-higher).
    expect(paxos.view(g.state, 'a1').wouldBreak).toEqual([forA]);
    g.ok('a1', { type: 'refuse', n: forA! });
    expect(paxos.view(g.state, 'a1').wouldBreak).toEqual([]);
    // Nobody else's screen carries it.
    expect(paxos.view(g.state, 'A').wouldBreak).toEqual([]);
  });

  it("an acceptor's wouldBreak, built in the inbox's pass, is Phase 1b and 2b's conditions at every step of many games", () => {
    // An acceptor that says yes to every third messenger whatever it promised (free mode lets it) and
    // leaves the rest waiting: its inbox keeps answered and unanswered Prepares and Accepts, some of them
    // below its promise, while two proposers duel.
    const lazy = (view: unknown) => {
      const v = view as px.PaxosView;
      if (v.status !== 'running' || v.crashed) return { actions: [], wakeAt: null };
      const actions = v.inbox.flatMap((m): px.Action[] => {
        if (m.answered || m.n % 3 !== 0) return [];
        return m.payload.type === 'prepare' ? [{ type: 'promise', n: m.n }] : m.payload.type === 'accept' ? [{ type: 'acceptProposal', n: m.n }] : [];
      });
      return { actions, wakeAt: null };
    };
    // The conditions written out on their own, from the state alone (an ended game asks nothing more).
    const expected = (s: px.State, seat: string) => {
      if (s.status === 'ended') return [];
      const promised = s.acceptors[seat]!.promised;
      const answered = new Set(s.messengers.flatMap((m) => (m.answers === null ? [] : [m.answers])));
      return s.messengers
        .filter((m) => m.to === seat && m.status === 'delivered' && !answered.has(m.n))
        .filter((m) =>
          m.payload.type === 'prepare'
            ? px.compareBallots(m.payload.ballot, promised) <= 0
            : m.payload.type === 'accept' && px.compareBallots(m.payload.ballot, promised) < 0,
        )
        .map((m) => m.n);
    };
    const config: px.Config = { ...px.defaultConfig, mode: 'free', proposers: 2, acceptors: 3, learners: 0, captureRate: 0.1, deadlineMs: 60_000 };
    const seen = { prepare: 0, accept: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const r = simulate(paxos, config, seed, { players: { a1: lazy } });
      let s = paxos.init(config, seed, 0);
      for (const step of r.steps) {
        for (const e of step.events) s = paxos.apply(s, e as px.Event, step.at);
        for (const a of ['a1', 'a2', 'a3']) {
          const got = paxos.view(s, a).wouldBreak;
          expect(got, `seed ${seed}, ${a} at ${step.at}`).toEqual(expected(s, a));
          for (const n of got) seen[s.messengers.find((m) => m.n === n)!.payload.type as 'prepare' | 'accept']++;
        }
      }
      expect(paxos.view(r.state as px.State, 'a1').wouldBreak).toEqual([]);
    }
    // The games did put both kinds of broken yes on the screen.
    expect(seen.prepare).toBeGreaterThan(0);
    expect(seen.accept).toBeGreaterThan(0);
  });

  it('a proposer: Prepare with a round not above its last, or Accept without a majority or with the wrong value', () => {
    expect(px.prepareBreaks({ round: 0 }, 0)).toBe(R.badRound);
    expect(px.prepareBreaks({ round: 2 }, 2)).toBe(R.ballotNotFresh);
    expect(px.prepareBreaks({ round: 2 }, 3)).toBeNull();
    const g = new Game();
    g.phase1('A', 1, ['a1']);
    const s = paxos.view(g.state, 'A').ballots[0]!;
    expect(px.acceptBreaks(s, 2, 'dawn')).toBe(R.acceptWithoutMajority);
    const required = { ...s, promises: [...s.promises, { from: 'a2', accepted: null }], required: { ballot: b('0.B'), value: 'dusk' } };
    expect(px.acceptBreaks(required, 2, 'dawn')).toBe(R.acceptWrongValue);
    expect(px.acceptBreaks(required, 2, 'dusk')).toBeNull();
  });

  it('a refusal from an acceptor that promised nothing reads as a sentence', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1']);
    g.advance(1000);
    g.ok('a1', { type: 'refuse', n: g.last('a1', 'prepare') });
    const nack = g.state.messengers.at(-1)!;
    const l = px.payloadLabel(nack.payload);
    expect(render(en, l.key, l.params)).toBe('Nack(1.A): refused, it promised none');
  });
});
