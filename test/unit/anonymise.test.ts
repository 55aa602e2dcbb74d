// A shared log names nobody: students' names, their notes and the values they typed become labels,
// and the replay still shows the same game.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LOG_FORMAT,
  LOG_VERSION,
  anonymiseLog,
  decideHost,
  decideJoin,
  encodeLine,
  initialSession,
  labeller,
  paxos,
  parseLog,
  px,
  reduce,
  scenarioOf,
  tg,
  twoGenerals,
  type HostCommand,
  type LogEvent,
  type SessionEvent,
  type SessionHeader,
  type SessionState,
} from '@valley/shared';

const header: SessionHeader = {
  type: 'header',
  format: LOG_FORMAT,
  version: LOG_VERSION,
  sessionId: 'session-1',
  code: 'ABCDE',
  createdAt: 0,
  seed: 42,
  hostTokenHash: 'h'.repeat(64),
};

type Cause =
  | { type: 'act'; player: string; action: unknown; id?: string }
  | { type: 'bot'; table: string; seat: string; action: unknown }
  | { type: 'host'; command: unknown }
  | { type: 'tick'; table: string }
  | { type: 'join' };

/**
 * A session played through the rules and written as a log, one unit per write: each write's first
 * line carries how many lines it has and its cause, as the server writes it.
 */
class Recorder {
  state: SessionState = initialSession(header);
  lines: string[] = [encodeLine(header)];
  now = 0;

  write(events: SessionEvent[], cause: Cause) {
    events.forEach((e, i) => {
      const line = { seq: this.state.seq + 1, at: this.now, ...e, ...(i === 0 ? { unit: { lines: events.length, cause } } : {}) } as LogEvent;
      this.state = reduce(this.state, line);
      this.lines.push(encodeLine(line));
    });
  }
  join(name: string): string {
    const id = `P${this.state.playerOrder.length + 1}`;
    const r = decideJoin(this.state, name, id, `hash-of-${name}`);
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    this.write(r.events, { type: 'join' });
    return id;
  }
  host(command: HostCommand) {
    const r = decideHost(this.state, command, this.now);
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    this.write(r.events, { type: 'host', command });
  }
  private game(table: string) {
    const g = this.state.tables[table]!.game!;
    return { g, sc: scenarioOf(g.scenario) };
  }
  /** A seat's action at a table: a student's when `player` is given, a bot's otherwise. */
  act(table: string, seat: string, action: unknown, player?: string) {
    const { g, sc } = this.game(table);
    const r = sc.decide(g.state, seat, action, this.now);
    if (!r.ok) throw new Error(`${seat} ${JSON.stringify(action)}: ${JSON.stringify(r.refusal)}`);
    const cause: Cause = player ? { type: 'act', player, action, id: `x${this.lines.length}` } : { type: 'bot', table, seat, action };
    this.write(
      r.events.map((event) => ({ type: 'game', table, game: g.index, event })),
      cause,
    );
  }
  /** The valley's clock at a table, up to `at`. */
  advance(table: string, at: number) {
    this.now = at;
    const { g, sc } = this.game(table);
    const events = sc.tick(g.state, at);
    if (events.length > 0)
      this.write(
        events.map((event) => ({ type: 'game', table, game: g.index, event })),
        { type: 'tick', table },
      );
  }
  gameState<S>(table: string): S {
    return this.state.tables[table]!.game!.state as S;
  }
  get text() {
    return this.lines.join('');
  }
}

/** What parseLog rebuilds from an anonymised log, and the log's lines as objects. */
function anonymised(text: string) {
  const a = anonymiseLog(text);
  if (!a.ok) throw new Error(`refused: ${JSON.stringify(a)}`);
  const p = parseLog(a.text);
  if (!p.ok) throw new Error(`unparsable: ${JSON.stringify(p.error)}`);
  return {
    text: a.text,
    parsed: p,
    lines: a.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const quiet = { captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000 };

function twoGeneralsGame() {
  const r = new Recorder();
  const ada = r.join('Ada Lovelace');
  r.join('Bo Chen');
  r.host({ type: 'createTable', scenario: 'two-generals' });
  r.host({ type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, ...quiet } });
  r.host({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: ada } });
  r.host({ type: 'setSeat', table: 'T1', seat: 'B', occupant: { type: 'bot' } });
  r.host({ type: 'startGames', table: 'T1' });
  const note = (text: string): tg.Action => ({ type: 'sendMessenger', payload: { type: 'note', text } });
  r.act('T1', 'A', note('Ada here: dawn, by the old mill'), ada);
  r.act('T1', 'A', note('Ada here: dawn, by the old mill'), ada);
  r.act('T1', 'A', note('bring the cake'), ada);
  r.act('T1', 'B', note('Bo says yes'));
  r.act('T1', 'A', { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } }, ada);
  r.advance('T1', 2000);
  return r;
}

describe('an anonymised Two Generals log', () => {
  const r = twoGeneralsGame();
  const { text, parsed, lines } = anonymised(r.text);

  it('keeps no name and no note, nor any token hash', () => {
    for (const secret of ['Ada', 'Bo Chen', 'mill', 'cake', 'Bo says', 'hash-of', 'hhhh']) expect(text).not.toContain(secret);
  });

  it('labels each distinct note once, in the order they were first sent: equal stays equal, distinct stays distinct', () => {
    const sent = r.gameState<tg.State>('T1').messengers.map((m) => m.payload);
    const shared = (parsed.state.tables.T1!.game!.state as tg.State).messengers.map((m) => m.payload);
    expect(sent.map((p) => p.type)).toEqual(shared.map((p) => p.type));
    expect(shared).toEqual([
      { type: 'note', text: 'note 1' },
      { type: 'note', text: 'note 1' },
      { type: 'note', text: 'note 2' },
      { type: 'note', text: 'note 3' },
      { type: 'proposal', time: 6 },
    ]);
  });

  it("labels the note in a student's action and in a bot's action as in the events they caused", () => {
    const causes = lines.flatMap((l) => {
      const cause = (l.unit as { cause?: { type: string; action?: tg.Action } } | undefined)?.cause;
      return cause && (cause.type === 'act' || cause.type === 'bot') ? [cause.action] : [];
    });
    expect(causes).toEqual([
      { type: 'sendMessenger', payload: { type: 'note', text: 'note 1' } },
      { type: 'sendMessenger', payload: { type: 'note', text: 'note 1' } },
      { type: 'sendMessenger', payload: { type: 'note', text: 'note 2' } },
      { type: 'sendMessenger', payload: { type: 'note', text: 'note 3' } },
      { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } },
    ]);
  });

  it('replays to the same game: the same messengers, fates and outcome, with students named by seat', () => {
    const before = r.gameState<tg.State>('T1');
    const after = parsed.state.tables.T1!.game!.state as tg.State;
    expect(after.messengers.map(({ payload: _, ...m }) => m)).toEqual(before.messengers.map(({ payload: _, ...m }) => m));
    expect(twoGenerals.verdict(after)).toEqual(
      twoGenerals.verdict({ ...before, messengers: before.messengers.map((m, i) => ({ ...m, payload: after.messengers[i]!.payload })) }),
    );
    expect(Object.values(parsed.state.players).map((p) => p.name)).toEqual(['T1 A', 'Student 1']);
  });
});

function paxosGame() {
  const r = new Recorder();
  const ada = r.join('Ada');
  const bo = r.join('Bo');
  r.host({ type: 'setSettings', scenario: 'paxos', settings: { ...px.defaultConfig, ...quiet, proposers: 1, acceptors: 3, learners: 2, mode: 'free' } });
  r.host({ type: 'createTable', scenario: 'paxos' });
  const seats = Object.keys(r.state.tables.T1!.seats);
  expect(seats).toEqual(['A', 'a1', 'a2', 'a3', 'l1', 'l2']);
  r.host({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: ada } });
  r.host({ type: 'setSeat', table: 'T1', seat: 'l1', occupant: { type: 'player', playerId: bo } });
  for (const s of ['a1', 'a2', 'a3', 'l2']) r.host({ type: 'setSeat', table: 'T1', seat: s, occupant: { type: 'bot' } });
  r.host({ type: 'startGames', table: 'T1' });
  // Bo declares before anyone accepted anything (l2, the other learner, keeps the game going): a rule broken in free mode, with the value as evidence.
  r.act('T1', 'l1', { type: 'declare', value: "Bo's guess" }, bo);
  r.act('T1', 'A', { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] }, ada);
  r.advance('T1', 1000);
  const inbox = (seat: string, type: string) =>
    r.gameState<px.State>('T1').messengers.filter((m) => m.to === seat && m.status === 'delivered' && m.payload.type === type);
  for (const m of inbox('a1', 'prepare').concat(inbox('a2', 'prepare'), inbox('a3', 'prepare'))) r.act('T1', m.to, { type: 'promise', n: m.n });
  r.advance('T1', 2000);
  r.act('T1', 'A', { type: 'accept', round: 1, value: 'Ada’s cake', to: ['a1', 'a2', 'a3'] }, ada);
  r.advance('T1', 3000);
  for (const s of ['a1', 'a2', 'a3']) for (const m of inbox(s, 'accept')) r.act('T1', s, { type: 'acceptProposal', n: m.n });
  r.advance('T1', 4000);
  return r;
}

describe('an anonymised Paxos log', () => {
  const r = paxosGame();
  const { text, parsed, lines } = anonymised(r.text);
  const before = r.gameState<px.State>('T1');
  const after = parsed.state.tables.T1!.game!.state as px.State;

  it('keeps no value a proposer or learner typed, wherever it travelled', () => {
    expect(text).not.toMatch(/cake|guess/);
    // The value got everywhere a value goes: accept and accepted messengers, acceptances, the chosen value.
    expect(before.chosen.map((c) => c.value)).toEqual(['Ada’s cake']);
    // Each acceptor tells the proposer and both learners.
    expect(before.messengers.filter((m) => m.payload.type === 'accepted')).toHaveLength(9);
  });

  it('gives each distinct value one label, in actions, messengers, acceptances, the chosen value, declarations and broken-rule evidence', () => {
    expect(after.declared.l1?.value).toBe('value 1');
    expect(after.broken).toMatchObject([{ seat: 'l1', rule: px.PAXOS_RULES.declareWithoutMajority, evidence: { value: 'value 1' } }]);
    expect(after.chosen.map((c) => c.value)).toEqual(['value 2']);
    expect(Object.values(after.acceptors).map((a) => a.acceptedValue)).toEqual(['value 2', 'value 2', 'value 2']);
    expect(after.messengers.flatMap((m) => ('value' in m.payload ? [m.payload.value] : []))).toEqual(Array(3 + 9).fill('value 2'));
    const actions = lines.flatMap((l) => {
      const a = (l.unit as { cause?: { action?: px.Action } } | undefined)?.cause?.action;
      return a && (a.type === 'accept' || a.type === 'declare') ? [a.value] : [];
    });
    expect(actions).toEqual(['value 1', 'value 2']);
  });

  it('replays to the same game: the same messengers, acceptances, safety verdict and debrief shape', () => {
    expect(after.messengers.map(({ payload: _, ...m }) => m)).toEqual(before.messengers.map(({ payload: _, ...m }) => m));
    expect(paxos.verdict(after).safe).toBe(paxos.verdict(before).safe);
    expect(paxos.check!(after)).toEqual([]);
    expect(Object.values(parsed.state.players).map((p) => p.name)).toEqual(['T1 A', 'T1 l1']);
  });

  it('a promise that reports an earlier proposal carries that proposal’s label', () => {
    const promise: px.Event = {
      type: 'messengerSent',
      n: 9,
      from: 'a1',
      to: 'A',
      fate: { type: 'delivered', afterMs: 1000 },
      answers: 3,
      payload: { type: 'promise', ballot: { round: 2, proposer: 'A' }, accepted: { ballot: { round: 1, proposer: 'A' }, value: 'dusk' } },
    };
    const label = labeller();
    expect(label('value', 'dawn')).toBe('value 1');
    expect(paxos.redact!(promise, label)).toEqual({
      ...promise,
      payload: { ...promise.payload, accepted: { ballot: { round: 1, proposer: 'A' }, value: 'value 2' } },
    });
    const empty: px.Event = { ...promise, payload: { type: 'promise', ballot: { round: 2, proposer: 'A' }, accepted: null } };
    expect(paxos.redact!(empty, label)).toEqual(empty);
    const wrong: px.Event = {
      type: 'ruleBroken',
      seat: 'A',
      rule: px.PAXOS_RULES.acceptWrongValue,
      evidence: { value: 'dawn', required: 'dusk', from: '1.A' },
    };
    expect(paxos.redact!(wrong, label)).toEqual({ ...wrong, evidence: { value: 'value 1', required: 'value 2', from: '1.A' } });
  });
});

describe('anonymising', () => {
  it('labels texts of different kinds apart: a note and a value that read the same are not linked', () => {
    const label = labeller();
    expect([label('note', 'dawn'), label('value', 'dawn'), label('value', 'noon'), label('note', 'dawn')]).toEqual(['note 1', 'value 1', 'value 2', 'note 1']);
  });

  it('blanks the values of a log written before units (format 1), such as the recorded examples', () => {
    const text = readFileSync(join(import.meta.dirname, '../../examples/paxos-duel.ndjson'), 'utf8');
    const original = parseLog(text);
    if (!original.ok) throw new Error('unparsable');
    const { text: shared, parsed } = anonymised(text);
    expect(text).toMatch(/dawn/);
    expect(shared).not.toMatch(/dawn|noon/);
    const verdict = (s: SessionState) => paxos.verdict(s.tables.T1!.game!.state as px.State);
    expect(verdict(parsed.state).safe).toBe(verdict(original.state).safe);
    expect(parsed.events.length).toBe(original.events.length);
  });

  it("refuses, naming the line, a student's action whose game cannot be found, rather than share its text", () => {
    const r = new Recorder();
    r.join('Ada');
    r.write([{ type: 'tableCreated', table: 'T1', scenario: 'paxos', seats: ['A'] }], {
      type: 'act',
      player: 'P1',
      action: { type: 'declare', value: 'secret' },
    });
    expect(anonymiseLog(r.text)).toEqual({ ok: false, line: 3, reason: 'an action whose game cannot be found' });
  });

  it('refuses a damaged log with its line', () => {
    expect(anonymiseLog('{"type":"header"}\n')).toMatchObject({ ok: false, line: 1 });
  });
});
