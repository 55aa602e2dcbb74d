import { describe, expect, it } from 'vitest';
import { paxos, px } from '@valley/shared';
import { Game, R, b } from '../support/paxos.ts';

const delivered = { type: 'delivered', afterMs: 1000 } as const;
const ALL = ['a1', 'a2', 'a3'];

describe('Paxos proposers: Prepare (phase 1a)', () => {
  it('a proposer prepares a fresh ballot: one Prepare messenger to each acceptor named', () => {
    const g = new Game();
    expect(g.act('A', { type: 'prepare', round: 1, to: ['a1', 'a2'] })).toEqual({
      ok: true,
      events: [
        { type: 'messengerSent', n: 1, from: 'A', to: 'a1', payload: { type: 'prepare', ballot: b('1.A') }, fate: delivered, answers: null },
        { type: 'messengerSent', n: 2, from: 'A', to: 'a2', payload: { type: 'prepare', ballot: b('1.A') }, fate: delivered, answers: null },
      ],
    });
    expect(g.state.rounds).toEqual({ A: 1 });
    g.advance(999);
    expect(g.messenger(1).status).toBe('inFlight');
    g.advance(1);
    expect(g.messenger(1).status).toBe('delivered');
  });

  it('a proposer refuses to reuse a round, or go back to a lower one (ballot-not-fresh)', () => {
    const g = new Game();
    g.prepare('A', 2, ALL);
    expect(g.act('A', { type: 'prepare', round: 2, to: ALL })).toEqual({
      ok: false,
      refusal: { rule: R.ballotNotFresh, evidence: { ballot: '2.A', used: '2.A' } },
    });
    expect(g.act('A', { type: 'prepare', round: 1, to: ['a1'] })).toEqual({
      ok: false,
      refusal: { rule: R.ballotNotFresh, evidence: { ballot: '1.A', used: '2.A' } },
    });
    // A higher round is fresh, and another proposer's rounds are its own: 2.B is not 2.A.
    expect(g.act('A', { type: 'prepare', round: 3, to: ['a1'] }).ok).toBe(true);
    expect(g.act('B', { type: 'prepare', round: 2, to: ['a1'] }).ok).toBe(true);
  });

  it('refuses a round that is not a whole number from 1 to 9999 (bad-round)', () => {
    const g = new Game();
    for (const round of [0, -1, 1.5, 10_000, Number.NaN]) {
      expect(g.act('A', { type: 'prepare', round, to: ALL })).toEqual({ ok: false, refusal: { rule: R.badRound, evidence: { round } } });
      expect(g.act('A', { type: 'accept', round, value: 'dawn', to: ALL })).toEqual({ ok: false, refusal: { rule: R.badRound, evidence: { round } } });
    }
    expect(g.act('A', { type: 'prepare', round: 9999, to: ALL }).ok).toBe(true);
  });

  it('refuses a Prepare or an Accept with nobody to carry it to, or the same acceptor twice (no-recipients)', () => {
    const g = new Game();
    expect(g.act('A', { type: 'prepare', round: 1, to: [] })).toEqual({ ok: false, refusal: { rule: R.noRecipients, evidence: {} } });
    expect(g.act('A', { type: 'prepare', round: 1, to: ['a1', 'a1'] })).toEqual({ ok: false, refusal: { rule: R.noRecipients, evidence: {} } });
    g.phase1('A', 1, ['a1', 'a2']);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: [] })).toEqual({ ok: false, refusal: { rule: R.noRecipients, evidence: {} } });
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1'] }).ok).toBe(true);
  });

  it('refuses to send a Prepare or an Accept to a learner, a proposer or an acceptor the table lacks (not-an-acceptor)', () => {
    const g = new Game();
    expect(g.act('A', { type: 'prepare', round: 1, to: ['a1', 'l1'] })).toEqual({ ok: false, refusal: { rule: R.notAnAcceptor, evidence: { seat: 'l1' } } });
    expect(g.act('A', { type: 'prepare', round: 1, to: ['a4'] })).toEqual({ ok: false, refusal: { rule: R.notAnAcceptor, evidence: { seat: 'a4' } } });
    g.phase1('A', 1, ['a1', 'a2']);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['l1'] })).toEqual({
      ok: false,
      refusal: { rule: R.notAnAcceptor, evidence: { seat: 'l1' } },
    });
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1', 'B'] })).toEqual({
      ok: false,
      refusal: { rule: R.notAnAcceptor, evidence: { seat: 'B' } },
    });
    // Nothing was sent by the refused actions.
    expect(g.state.messengers.filter((m) => m.payload.type === 'accept')).toEqual([]);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1'] }).ok).toBe(true);
  });
});

describe('Paxos proposers: Accept (phase 2a)', () => {
  it('a proposer sends Accept(b, v) once a majority has promised b and none reported a value: its own value', () => {
    const g = new Game();
    g.prepare('A', 1, ALL); // 1–3
    g.advance(1000);
    g.promise('a1', 'a2'); // 4, 5
    g.advance(1000);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ALL })).toEqual({
      ok: true,
      events: ALL.map((to, i) => ({
        type: 'messengerSent',
        n: 6 + i,
        from: 'A',
        to,
        payload: { type: 'accept', ballot: b('1.A'), value: 'dawn' },
        fate: delivered,
        answers: null,
      })),
    });
  });

  it('a proposer may not send Accept before promises from a majority have reached it (accept-without-majority)', () => {
    const g = new Game(); // 3 acceptors: a majority is 2
    g.prepare('A', 1, ALL);
    g.advance(1000);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ALL })).toEqual({
      ok: false,
      refusal: { rule: R.acceptWithoutMajority, evidence: { ballot: '1.A', promises: 0, needed: 2 } },
    });
    g.promise('a1', 'a2');
    // Promised but still crossing the valley: they do not count yet.
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ALL })).toMatchObject({ ok: false, refusal: { evidence: { promises: 0 } } });
    g.advance(1000);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ALL }).ok).toBe(true);
  });

  it('one promise is not a majority of five, and promises for an older ballot do not count for a newer one', () => {
    const g = new Game({ acceptors: 5 });
    g.phase1('A', 1, ['a1', 'a2']);
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1'] })).toEqual({
      ok: false,
      refusal: { rule: R.acceptWithoutMajority, evidence: { ballot: '1.A', promises: 2, needed: 3 } },
    });
    g.phase1('A', 2, ['a3', 'a4']);
    expect(g.act('A', { type: 'accept', round: 2, value: 'dawn', to: ['a1'] })).toMatchObject({
      ok: false,
      refusal: { evidence: { ballot: '2.A', promises: 2, needed: 3 } },
    });
    g.phase1('A', 3, ['a1', 'a2', 'a5']);
    expect(g.act('A', { type: 'accept', round: 3, value: 'dawn', to: ['a1'] }).ok).toBe(true);
  });

  it('a proposer must propose the value a promise reported, not its own (accept-wrong-value)', () => {
    const g = new Game();
    g.set('a2', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    g.phase1('B', 2, ['a2', 'a3']); // a2 reports (1.A, dawn); a3 reports nothing
    expect(g.act('B', { type: 'accept', round: 2, value: 'noon', to: ALL })).toEqual({
      ok: false,
      refusal: { rule: R.acceptWrongValue, evidence: { value: 'noon', required: 'dawn', from: '1.A' } },
    });
    expect(g.act('B', { type: 'accept', round: 2, value: 'dawn', to: ALL }).ok).toBe(true);
  });

  it('when promises report two different accepted proposals, the value of the highest ballot is required', () => {
    for (const [high, low] of [
      ['a1', 'a2'],
      ['a2', 'a1'],
    ] as const) {
      const g = new Game({ proposers: 3 });
      g.set(low, { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
      g.set(high, { promised: b('2.B'), acceptedBallot: b('2.B'), acceptedValue: 'noon' });
      g.phase1('C', 3, ['a1', 'a2']);
      expect(px.requiredValue(px.promisesFor(g.state, 'C', b('3.C')))).toEqual({ ballot: b('2.B'), value: 'noon' });
      for (const value of ['dawn', 'dusk']) {
        expect(g.act('C', { type: 'accept', round: 3, value, to: ALL })).toEqual({
          ok: false,
          refusal: { rule: R.acceptWrongValue, evidence: { value, required: 'noon', from: '2.B' } },
        });
      }
      expect(g.act('C', { type: 'accept', round: 3, value: 'noon', to: ALL }).ok).toBe(true);
    }
  });

  it("a proposer's own value is allowed only when no promise in its majority reported one", () => {
    const free = new Game({ proposers: 3 });
    free.set('a2', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    free.phase1('C', 2, ['a1', 'a3']); // a majority that never heard of dawn
    expect(free.act('C', { type: 'accept', round: 2, value: 'dusk', to: ['a1', 'a3'] }).ok).toBe(true);

    const bound = new Game({ proposers: 3 });
    bound.set('a2', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    bound.phase1('C', 2, ['a1', 'a2']);
    expect(bound.act('C', { type: 'accept', round: 2, value: 'dusk', to: ['a1', 'a3'] })).toMatchObject({
      ok: false,
      refusal: { rule: R.acceptWrongValue, evidence: { required: 'dawn', from: '1.A' } },
    });
  });

  it('a proposer may not carry a second value with the same ballot', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    g.propose('A', 1, 'dawn', ['a1']);
    // Had this gone through, a2 and a3 could accept (1.A, noon) while a1 holds (1.A, dawn): two values, one ballot.
    expect(g.act('A', { type: 'accept', round: 1, value: 'noon', to: ['a2', 'a3'] })).toEqual({
      ok: false,
      refusal: { rule: R.acceptWrongValue, evidence: { value: 'noon', required: 'dawn', from: '1.A' } },
    });
    // Sending the same proposal again is fine.
    expect(g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a2', 'a3'] }).ok).toBe(true);
  });

  it('a promise that arrives after Accept(b, v) has left cannot change the value b carries', () => {
    const g = new Game();
    g.set('a3', { promised: b('1.B'), acceptedBallot: b('1.B'), acceptedValue: 'noon' });
    g.prepare('A', 2, ALL);
    g.advance(1000);
    g.promise('a1', 'a2');
    g.advance(1000);
    g.propose('A', 2, 'dawn', ['a1']); // a1 and a2 reported nothing: dawn is A's to choose
    g.promise('a3'); // a3 reports (1.B, noon), too late
    g.advance(1000);
    expect(px.requiredValue(px.promisesFor(g.state, 'A', b('2.A')))).toEqual({ ballot: b('1.B'), value: 'noon' });
    expect(g.act('A', { type: 'accept', round: 2, value: 'noon', to: ['a2', 'a3'] })).toEqual({
      ok: false,
      refusal: { rule: R.acceptWrongValue, evidence: { value: 'noon', required: 'dawn', from: '2.A' } },
    });
    expect(g.act('A', { type: 'accept', round: 2, value: 'dawn', to: ['a2', 'a3'] }).ok).toBe(true);
  });

  it('refuses an empty, padded, invisible or overlong value (bad-value)', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    for (const value of ['', ' ', ' dawn', 'dawn ', 'da\u200bwn', 'x'.repeat(25), '\u0007']) {
      expect(g.act('A', { type: 'accept', round: 1, value, to: ALL })).toEqual({ ok: false, refusal: { rule: R.badValue, evidence: { max: 24 } } });
    }
    expect(g.act('A', { type: 'accept', round: 1, value: '黎明'.repeat(12), to: ALL }).ok).toBe(true);
  });
});

describe('Paxos acceptors: Promise (phase 1b)', () => {
  it('an acceptor promises a higher ballot and tells the proposer it has accepted nothing', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1']);
    g.advance(1000);
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({
      ok: true,
      events: [
        { type: 'promised', acceptor: 'a1', ballot: b('1.A') },
        { type: 'messengerSent', n: 2, from: 'a1', to: 'A', payload: { type: 'promise', ballot: b('1.A'), accepted: null }, fate: delivered, answers: 1 },
      ],
    });
    expect(g.card('a1')).toEqual({ promised: b('1.A'), acceptedBallot: null, acceptedValue: null, crashed: false });
  });

  it("an acceptor's promise reports the last proposal it accepted", () => {
    const g = new Game();
    g.set('a1', { promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' });
    g.prepare('B', 2, ['a1']);
    g.advance(1000);
    expect(g.ok('a1', { type: 'promise', n: 1 })[1]).toMatchObject({
      payload: { type: 'promise', ballot: b('2.B'), accepted: { ballot: b('1.A'), value: 'dawn' } },
    });
  });

  it('an acceptor refuses to promise a ballot no higher than its promise (promise-not-higher), and may send a Nack instead', () => {
    const g = new Game();
    g.set('a1', { promised: b('4.A') });
    g.prepare('B', 3, ['a1']); // 1
    g.prepare('A', 4, ['a1']); // 2
    g.advance(1000);
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({
      ok: false,
      refusal: { rule: R.promiseNotHigher, evidence: { acceptor: 'a1', promised: '4.A', ballot: '3.B' } },
    });
    expect(g.act('a1', { type: 'promise', n: 2 })).toEqual({
      ok: false,
      refusal: { rule: R.promiseNotHigher, evidence: { acceptor: 'a1', promised: '4.A', ballot: '4.A' } },
    });
    expect(g.act('a1', { type: 'refuse', n: 1 })).toEqual({
      ok: true,
      events: [
        { type: 'messengerSent', n: 3, from: 'a1', to: 'B', payload: { type: 'nack', ballot: b('3.B'), promised: b('4.A') }, fate: delivered, answers: 1 },
      ],
    });
    expect(g.card('a1').promised).toEqual(b('4.A'));
    // 4.B is higher than 4.A: the proposer's letter breaks the tie.
    g.prepare('B', 4, ['a1']);
    g.advance(1000);
    expect(g.act('a1', { type: 'promise', n: g.last('a1', 'prepare') }).ok).toBe(true);
    expect(g.card('a1').promised).toEqual(b('4.B'));
  });
});

describe('Paxos acceptors: Accepted (phase 2b)', () => {
  it('an acceptor accepts a ballot equal to its promise and tells the proposer and every learner', () => {
    const g = new Game({ learners: 2 });
    g.phase1('A', 1, ['a1', 'a2']); // 1, 2 prepares; 3, 4 promises
    g.propose('A', 1, 'dawn', ['a1']); // 5
    g.advance(1000);
    expect(g.act('a1', { type: 'acceptProposal', n: 5 })).toEqual({
      ok: true,
      events: [
        { type: 'accepted', acceptor: 'a1', ballot: b('1.A'), value: 'dawn' },
        ...['A', 'l1', 'l2'].map((to, i) => ({
          type: 'messengerSent',
          n: 6 + i,
          from: 'a1',
          to,
          payload: { type: 'accepted', ballot: b('1.A'), value: 'dawn' },
          fate: delivered,
          answers: 5,
        })),
      ],
    });
    expect(g.card('a1')).toEqual({ promised: b('1.A'), acceptedBallot: b('1.A'), acceptedValue: 'dawn', crashed: false });
  });

  it('an acceptor that promised nothing accepts, and accepting a ballot raises its promise to it', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    g.propose('A', 1, 'dawn', ['a3']);
    g.advance(1000);
    expect(g.ok('a3', { type: 'acceptProposal', n: g.last('a3', 'accept') })[0]).toEqual({ type: 'accepted', acceptor: 'a3', ballot: b('1.A'), value: 'dawn' });
    expect(g.card('a3').promised).toEqual(b('1.A'));
  });

  it('an acceptor refuses Accept below its promise (accept-below-promise), and keeps its card', () => {
    const g = new Game();
    g.set('a1', { promised: b('4.A') });
    g.phase1('B', 3, ['a2', 'a3']);
    g.propose('B', 3, 'noon', ['a1']);
    g.advance(1000);
    const n = g.last('a1', 'accept');
    expect(g.act('a1', { type: 'acceptProposal', n })).toEqual({
      ok: false,
      refusal: { rule: R.acceptBelowPromise, evidence: { acceptor: 'a1', promised: '4.A', ballot: '3.B' } },
    });
    expect(g.card('a1')).toEqual({ promised: b('4.A'), acceptedBallot: null, acceptedValue: null, crashed: false });
    expect(g.act('a1', { type: 'refuse', n }).ok).toBe(true);
  });

  it('an acceptor answers each messenger once (already-answered)', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1', 'a2']); // 1, 2
    g.advance(1000);
    g.ok('a1', { type: 'promise', n: 1 });
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.alreadyAnswered, evidence: { n: 1 } } });
    expect(g.act('a1', { type: 'refuse', n: 1 })).toEqual({ ok: false, refusal: { rule: R.alreadyAnswered, evidence: { n: 1 } } });
    g.promise('a2');
    g.advance(1000);
    g.propose('A', 1, 'dawn', ['a1']); // 5
    g.advance(1000);
    g.ok('a1', { type: 'refuse', n: 5 });
    expect(g.act('a1', { type: 'acceptProposal', n: 5 })).toEqual({ ok: false, refusal: { rule: R.alreadyAnswered, evidence: { n: 5 } } });
  });

  it('an acceptor can answer only a Prepare or Accept that reached it (unknown-messenger)', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1', 'a2']); // 1 to a1, 2 to a2
    // Still crossing the valley.
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 1 } } });
    g.advance(1000);
    // Another acceptor's messenger, one that never was, and a Prepare answered as if it were an Accept.
    expect(g.act('a2', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 1 } } });
    expect(g.act('a1', { type: 'promise', n: 99 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 99 } } });
    expect(g.act('a1', { type: 'acceptProposal', n: 1 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 1 } } });
    g.ok('a1', { type: 'promise', n: 1 }); // 3, a promise to A
    g.advance(1000);
    // A promise is not something an acceptor answers.
    expect(g.act('a1', { type: 'refuse', n: 3 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 3 } } });
  });
});

describe('the chosen marker', () => {
  it('marks a value chosen the moment a majority accepts one ballot, before any learner hears of it', () => {
    const g = new Game({ learners: 1 });
    g.phase1('A', 1, ALL); // 1–3 prepares, 4–6 promises
    g.propose('A', 1, 'dawn', ALL); // 7–9
    g.advance(1000);
    // From now on every messenger is captured: nobody will ever hear an Accepted.
    g.control({ type: 'setCaptureRate', captureRate: 1 });
    expect(g.ok('a1', { type: 'acceptProposal', n: 7 }).map((e) => e.type)).toEqual(['accepted', 'messengerSent', 'messengerSent']);
    expect(g.state.chosen).toEqual([]);
    expect(g.ok('a2', { type: 'acceptProposal', n: 8 }).slice(0, 2)).toEqual([
      { type: 'accepted', acceptor: 'a2', ballot: b('1.A'), value: 'dawn' },
      { type: 'valueChosen', ballot: b('1.A'), value: 'dawn', acceptors: ['a1', 'a2'] },
    ]);
    expect(g.state.chosen).toEqual([{ ballot: b('1.A'), value: 'dawn', at: 3000, acceptors: ['a1', 'a2'] }]);
    // The third acceptance chooses nothing new.
    expect(g.ok('a3', { type: 'acceptProposal', n: 9 }).map((e) => e.type)).not.toContain('valueChosen');
    g.advance(5000);
    expect(g.state.declared).toEqual({});
    expect(g.act('l1', { type: 'declare', value: 'dawn' })).toEqual({
      ok: false,
      refusal: { rule: R.declareWithoutMajority, evidence: { value: 'dawn', count: 0, needed: 2 } },
    });
    expect(paxos.verdict(g.state)).toMatchObject({ chosen: 'dawn', chosenBallot: '1.A', safe: true, values: ['dawn'], violations: [] });
  });

  it('acceptances of one ballot spread over time still choose once a majority is reached', () => {
    const g = new Game({ acceptors: 5 });
    g.phase1('A', 1, ['a1', 'a2', 'a3']);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    expect(g.state.chosen).toEqual([]);
    g.phase2('A', 1, 'dawn', ['a4']);
    expect(g.state.chosen).toMatchObject([{ value: 'dawn', acceptors: ['a1', 'a2', 'a4'] }]);
  });
});

describe('Paxos learners: declaring', () => {
  it('a learner declares a value once a majority of Accepted for one ballot reached it', () => {
    const g = new Game({ learners: 2 });
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    expect(g.act('l1', { type: 'declare', value: 'dawn' })).toEqual({ ok: true, events: [{ type: 'declared', learner: 'l1', value: 'dawn' }] });
    expect(g.state.declared).toEqual({ l1: { value: 'dawn', at: 4000 } });
  });

  it('a learner may not declare without a majority of Accepted (declare-without-majority)', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1']);
    expect(g.act('l1', { type: 'declare', value: 'dawn' })).toEqual({
      ok: false,
      refusal: { rule: R.declareWithoutMajority, evidence: { value: 'dawn', count: 1, needed: 2 } },
    });
    expect(g.act('l1', { type: 'declare', value: 'noon' })).toEqual({
      ok: false,
      refusal: { rule: R.declareWithoutMajority, evidence: { value: 'noon', count: 0, needed: 2 } },
    });
  });

  it('Accepted for the same value under two ballots do not add up to a majority', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1']);
    g.phase1('B', 2, ['a2', 'a3']); // neither has accepted anything: B may choose, and chooses dawn too
    g.phase2('B', 2, 'dawn', ['a2']);
    expect(g.act('l1', { type: 'declare', value: 'dawn' })).toMatchObject({ ok: false, refusal: { evidence: { count: 1, needed: 2 } } });
    expect(g.state.chosen).toEqual([]);
  });

  it('a learner may not declare an empty or overlong value (bad-value)', () => {
    const g = new Game();
    for (const value of ['', 'x'.repeat(25), ' dawn']) {
      expect(g.act('l1', { type: 'declare', value })).toEqual({ ok: false, refusal: { rule: R.badValue, evidence: { max: 24 } } });
    }
  });

  it('a learner declares once (already-declared)', () => {
    const g = new Game({ learners: 2 });
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    g.ok('l1', { type: 'declare', value: 'dawn' });
    expect(g.act('l1', { type: 'declare', value: 'dawn' })).toEqual({ ok: false, refusal: { rule: R.alreadyDeclared, evidence: { value: 'dawn' } } });
  });

  it('the game ends when every learner has declared', () => {
    const g = new Game({ learners: 2 });
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1', 'a2']);
    g.ok('l1', { type: 'declare', value: 'dawn' });
    expect(g.state.status).toBe('running');
    expect(g.act('l2', { type: 'declare', value: 'dawn' })).toEqual({
      ok: true,
      events: [
        { type: 'declared', learner: 'l2', value: 'dawn' },
        { type: 'gameEnded', reason: 'allDeclared' },
      ],
    });
    expect(g.state).toMatchObject({ status: 'ended', endedAt: 4000 });
    expect(g.act('A', { type: 'prepare', round: 2, to: ALL })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'ended' } } });
    expect(g.control({ type: 'pause' })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'ended' } } });
    // Everything is revealed after the game.
    expect(paxos.view(g.state, 'l1').debrief).toMatchObject({ safe: true, chosen: [{ value: 'dawn' }] });
  });
});

describe('Paxos: who may act', () => {
  it('refuses a seat the table does not have (not-a-seat)', () => {
    const g = new Game({ proposers: 2, acceptors: 3, learners: 1 });
    for (const seat of ['C', 'a4', 'l2', 'x', '']) {
      expect(g.act(seat, { type: 'prepare', round: 1, to: ALL })).toEqual({ ok: false, refusal: { rule: R.notASeat, evidence: { seat } } });
    }
    expect(g.act('B', { type: 'prepare', round: 1, to: ALL }).ok).toBe(true);
  });

  it('refuses an action of another role (wrong-role)', () => {
    const g = new Game();
    expect(g.act('a1', { type: 'prepare', round: 1, to: ALL })).toEqual({
      ok: false,
      refusal: { rule: R.wrongRole, evidence: { seat: 'a1', action: 'prepare' } },
    });
    expect(g.act('A', { type: 'declare', value: 'dawn' })).toEqual({ ok: false, refusal: { rule: R.wrongRole, evidence: { seat: 'A', action: 'declare' } } });
    expect(g.act('l1', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.wrongRole, evidence: { seat: 'l1', action: 'promise' } } });
    expect(g.act('A', { type: 'acceptProposal', n: 1 })).toEqual({
      ok: false,
      refusal: { rule: R.wrongRole, evidence: { seat: 'A', action: 'acceptProposal' } },
    });
    expect(g.act('A', { type: 'prepare', round: 1, to: ALL }).ok).toBe(true);
  });

  it('refuses every action while paused, after the deadline and after the end (not-running)', () => {
    const g = new Game({ deadlineMs: 10_000 });
    g.prepare('A', 1, ['a1']);
    g.control({ type: 'pause' });
    expect(g.act('B', { type: 'prepare', round: 1, to: ALL })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'paused' } } });
    g.control({ type: 'resume' });
    expect(g.act('B', { type: 'prepare', round: 1, to: ALL }).ok).toBe(true);
    g.now = 10_000; // the action arrives before the deadline's tick has been processed
    expect(g.act('B', { type: 'prepare', round: 2, to: ALL })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'ended' } } });
    g.control({ type: 'end' });
    expect(g.act('B', { type: 'prepare', round: 2, to: ALL })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'ended' } } });
  });

  it('a crashed acceptor can do nothing (seat-crashed) until it restarts', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1']);
    g.advance(1000);
    g.control({ type: 'crash', seat: 'a1' });
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.seatCrashed, evidence: { seat: 'a1' } } });
    g.control({ type: 'restart', seat: 'a1' });
    expect(g.act('a1', { type: 'promise', n: 1 }).ok).toBe(true);
  });
});

describe('Paxos: crashes', () => {
  it('a crashed acceptor loses the messengers that arrive while it is down', () => {
    const g = new Game();
    expect(g.control({ type: 'crash', seat: 'a1' })).toEqual({ ok: true, events: [{ type: 'crashed', seat: 'a1' }] });
    const mark = g.log.length;
    g.prepare('A', 1, ['a1', 'a2']);
    g.advance(1000);
    expect(g.since(mark).slice(2)).toEqual([
      { type: 'messengerLost', n: 1 },
      { type: 'messengerDelivered', n: 2 },
    ]);
    g.control({ type: 'restart', seat: 'a1' });
    expect(paxos.view(g.state, 'a1').inbox).toEqual([]);
    expect(g.act('a1', { type: 'promise', n: 1 })).toEqual({ ok: false, refusal: { rule: R.unknownMessenger, evidence: { n: 1 } } });
  });

  it('an acceptor keeps its promise and accepted proposal across a crash (stable storage)', () => {
    const g = new Game();
    g.phase1('A', 1, ['a1', 'a2']);
    g.phase2('A', 1, 'dawn', ['a1']);
    g.phase1('B', 2, ['a1']);
    const card = { promised: b('2.B'), acceptedBallot: b('1.A'), acceptedValue: 'dawn' };
    expect(g.card('a1')).toEqual({ ...card, crashed: false });
    g.control({ type: 'crash', seat: 'a1' });
    expect(g.card('a1')).toEqual({ ...card, crashed: true });
    expect(g.control({ type: 'restart', seat: 'a1' })).toEqual({ ok: true, events: [{ type: 'restarted', seat: 'a1' }] });
    expect(g.card('a1')).toEqual({ ...card, crashed: false });
    // Its promise still binds it, and its promises still report what it accepted.
    g.prepare('A', 2, ['a1']);
    g.prepare('B', 3, ['a1']);
    g.advance(1000);
    const [lower, higher] = g.inbox('a1', 'prepare').slice(-2);
    expect(g.act('a1', { type: 'promise', n: lower! })).toMatchObject({
      ok: false,
      refusal: { rule: R.promiseNotHigher, evidence: { promised: '2.B', ballot: '2.A' } },
    });
    expect(g.ok('a1', { type: 'promise', n: higher! })[1]).toMatchObject({ payload: { accepted: { ballot: b('1.A'), value: 'dawn' } } });
  });

  it('crashing a crashed acceptor or restarting a running one changes nothing; only acceptors crash', () => {
    const g = new Game();
    expect(g.control({ type: 'restart', seat: 'a1' })).toEqual({ ok: true, events: [] });
    g.control({ type: 'crash', seat: 'a1' });
    expect(g.control({ type: 'crash', seat: 'a1' })).toEqual({ ok: true, events: [] });
    expect(g.control({ type: 'crash', seat: 'A' })).toEqual({ ok: false, refusal: { rule: R.notAnAcceptor, evidence: { seat: 'A' } } });
    expect(g.control({ type: 'crash', seat: 'l1' })).toEqual({ ok: false, refusal: { rule: R.notAnAcceptor, evidence: { seat: 'l1' } } });
  });
});

describe('Paxos: the host and the valley', () => {
  it('the host holds a messenger past its time and releases it: it arrives at once', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1', 'a2']);
    expect(g.control({ type: 'hold', n: 1 })).toEqual({ ok: true, events: [{ type: 'messengerHeld', n: 1, until: null }] });
    g.advance(5000);
    expect(g.messenger(1).status).toBe('held');
    expect(g.messenger(2).status).toBe('delivered');
    expect(g.control({ type: 'release', n: 1 })).toEqual({ ok: true, events: [{ type: 'messengerReleased', n: 1 }] });
    g.advance(0);
    expect(g.messenger(1)).toMatchObject({ status: 'delivered', endsAt: 5000 });
    expect(paxos.view(g.state, 'a1').inbox).toMatchObject([{ n: 1, arrivedAt: 5000 }]);
  });

  it('a messenger released before its time arrives when it would have', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1']);
    g.control({ type: 'hold', n: 1 });
    g.advance(400);
    g.control({ type: 'release', n: 1 });
    g.advance(599);
    expect(g.messenger(1).status).toBe('inFlight');
    g.advance(1);
    expect(g.messenger(1).status).toBe('delivered');
  });

  it('the host captures a messenger in flight or held; nothing else can be held, released or captured', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1', 'a2', 'a3']);
    expect(g.control({ type: 'capture', n: 1 })).toEqual({ ok: true, events: [{ type: 'messengerCaptured', n: 1 }] });
    g.control({ type: 'hold', n: 2 });
    expect(g.control({ type: 'capture', n: 2 })).toEqual({ ok: true, events: [{ type: 'messengerCaptured', n: 2 }] });
    g.advance(1000);
    expect(g.state.messengers.map((m) => m.status)).toEqual(['captured', 'captured', 'delivered']);
    expect(g.inbox('a1')).toEqual([]);
    for (const c of [
      { type: 'hold', n: 3 },
      { type: 'release', n: 3 },
      { type: 'capture', n: 3 },
      { type: 'release', n: 1 },
      { type: 'hold', n: 99 },
    ] as const) {
      expect(g.control(c)).toEqual({ ok: false, refusal: { rule: R.notInFlight, evidence: { n: c.n } } });
    }
  });

  it('a pause stops the clock: deliveries and the deadline move later by the pause', () => {
    const g = new Game({ deadlineMs: 60_000 });
    g.prepare('A', 1, ['a1']);
    g.advance(500);
    expect(g.control({ type: 'pause' })).toEqual({ ok: true, events: [{ type: 'paused' }] });
    expect(g.control({ type: 'pause' })).toEqual({ ok: false, refusal: { rule: R.notRunning, evidence: { status: 'paused' } } });
    g.advance(10_000);
    expect(g.messenger(1).status).toBe('inFlight');
    expect(g.control({ type: 'resume' })).toEqual({ ok: true, events: [{ type: 'resumed' }] });
    expect(g.state.deadlineAt).toBe(70_000);
    expect(g.messenger(1).endsAt).toBe(11_000);
    g.advance(499);
    expect(g.messenger(1).status).toBe('inFlight');
    g.advance(1);
    expect(g.messenger(1).status).toBe('delivered');
    expect(g.control({ type: 'resume' })).toEqual({ ok: false, refusal: { rule: R.notPaused, evidence: { status: 'running' } } });
  });

  it('changing the capture rate changes the fates of messengers sent later, not those already sent', () => {
    const g = new Game();
    g.prepare('A', 1, ['a1']);
    expect(g.control({ type: 'setCaptureRate', captureRate: 1 })).toEqual({ ok: true, events: [{ type: 'captureRateChanged', captureRate: 1 }] });
    expect(g.state.config.captureRate).toBe(1);
    expect(g.ok('B', { type: 'prepare', round: 1, to: ['a1'] })[0]).toMatchObject({ n: 2, fate: { type: 'captured', afterMs: 500 } });
    g.advance(1000);
    expect(g.state.messengers.map((m) => [m.status, m.endsAt])).toEqual([
      ['delivered', 1000],
      ['captured', 500],
    ]);
    for (const captureRate of [1.5, -0.1, Number.NaN]) {
      expect(g.control({ type: 'setCaptureRate', captureRate })).toEqual({ ok: false, refusal: { rule: R.badCaptureRate, evidence: { captureRate } } });
    }
  });

  it('the game ends at the deadline; a messenger due after it never arrives', () => {
    const g = new Game({ deadlineMs: 5000 });
    g.prepare('A', 1, ['a1']);
    g.advance(4500);
    g.prepare('B', 1, ['a1']);
    g.advance(1000);
    expect(g.state).toMatchObject({ status: 'ended', endedAt: 5000 });
    expect(g.log.at(-1)!.event).toEqual({ type: 'gameEnded', reason: 'deadline' });
    expect(g.state.messengers.map((m) => m.status)).toEqual(['delivered', 'inFlight']);
  });

  it('the host may end the game at any time', () => {
    const g = new Game();
    expect(g.control({ type: 'end' })).toEqual({ ok: true, events: [{ type: 'gameEnded', reason: 'host' }] });
    expect(g.state.status).toBe('ended');
  });
});
