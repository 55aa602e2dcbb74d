import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replayer, anonymiseLog, gamesIn, openLog, parseLog, px, road, scenarioOf, tg, verifyLog } from '@valley/shared';
import { makeLog } from '../../scripts/bench/replay-log.ts';
import { expectReplaysMatch } from '../support/replay-check.ts';
import { buildExamples, examplesDir } from '../../scripts/examples.ts';

const examples = buildExamples();

describe('the recorded examples', () => {
  it.each(Object.keys(examples))('%s is up to date with the rules and the log format', (name) => {
    // If this fails after a change to the rules or the format, run `npm run examples` and commit.
    expect(readFileSync(join(examplesDir, `${name}.ndjson`), 'utf8')).toBe(examples[name]);
  });

  it.each(Object.keys(examples))('%s replays to a finished game that passes the checker', (name) => {
    const text = examples[name]!;
    expect(verifyLog(text)).toMatchObject({ ok: true, games: 1 });
    const parsed = parseLog(text);
    if (!parsed.ok) throw new Error('unparsable');
    const [game] = gamesIn(parsed.header, parsed.events);
    expect(game!.entry.endedAt).not.toBeNull();
  });

  it('each shows what it is named for', () => {
    const final = (name: string) => {
      const p = parseLog(examples[name]!);
      if (!p.ok) throw new Error('unparsable');
      return p.state.tables.T1!.game!.state;
    };
    expect((final('tg-victory') as tg.State).outcome).toBe('victory');
    expect((final('tg-defeat') as tg.State).outcome).toBe('defeat');
    const crash = final('paxos-crash') as px.State;
    expect(crash.messengers.some((m) => m.status === 'lost')).toBe(true);
    expect(crash.chosen.length).toBeGreaterThan(0);
    // Each level of the road shows the failure it exists to show.
    for (const name of Object.keys(examples).filter((n) => n.startsWith('road-'))) {
      const id = name.slice('road-'.length);
      const sc = scenarioOf(id) as unknown as road.RoadScenario<road.RoadConfig, unknown, unknown, never, never>;
      expect(sc.verdict(final(name) as road.RoadState).failures, name).toContain(sc.protocol.showcase.failure);
    }
    const duel = final('paxos-duel') as px.State;
    expect(new Set(duel.messengers.flatMap((m) => (m.payload.type === 'prepare' ? [m.payload.ballot.proposer] : []))).size).toBe(2);
  });
});

describe('replaying a game', () => {
  const parsed = parseLog(examples['paxos-duel']!);
  if (!parsed.ok) throw new Error('unparsable');
  const [timeline] = gamesIn(parsed.header, parsed.events);

  it('the state at the end of the replay is the live state the session reduced to', () => {
    const r = new Replayer(timeline!);
    expect(r.stateAt(r.length)).toEqual(parsed.state.tables.T1!.game!.state);
  });

  it('any cursor gives the state of applying exactly that many events, back or forth', () => {
    const r = new Replayer(timeline!);
    const sc = scenarioOf('paxos');
    let state = sc.init(timeline!.config, timeline!.entry.seed, timeline!.entry.startedAt);
    const states = [state];
    for (const e of timeline!.events) states.push((state = sc.apply(state, e.event, e.at)));
    for (const k of [0, 1, 7, 100, timeline!.events.length, 50, 3]) expect(r.stateAt(k)).toEqual(states[k]);
    expect(r.stateAt(-5)).toEqual(states[0]);
    expect(r.stateAt(1e9)).toEqual(states.at(-1));
  });

  it('lists each game with its players and verdict', () => {
    expect(timeline!.entry).toMatchObject({ table: 'T1', game: 1, scenario: 'paxos', players: { A: 'bot', B: 'bot', a1: 'bot' } });
    expect((timeline!.entry.verdict as px.PaxosVerdict).safe).toBe(true);
  });
});

describe('opening a log in one pass', () => {
  it('gives what parseLog and then gamesIn give, for a log of many tables and games', () => {
    const text = makeLog(3000, 12);
    const parsed = parseLog(text);
    if (!parsed.ok) throw new Error('unparsable');
    const opened = openLog(text);
    if (!opened.ok) throw new Error('unopenable');
    const { games, ...rest } = opened;
    expect(rest).toEqual(parsed);
    expect(games.length).toBeGreaterThan(12);
    expect(games).toEqual(gamesIn(parsed.header, parsed.events));
  });

  it('refuses a damaged log with its line, as parseLog does', () => {
    const text = makeLog(200, 2);
    const lines = text.split('\n');
    lines[5] = '{"seq": 5';
    expect(openLog(lines.join('\n'))).toEqual(parseLog(lines.join('\n')));
    expect(openLog(lines.join('\n'))).toMatchObject({ ok: false, error: { line: 6, reason: 'not JSON' } });
  });
});

describe("the integration tests' replay check", () => {
  it('passes a log against the state it folds to, and catches a live state the replay does not reach', () => {
    const text = makeLog(2000, 6);
    const parsed = parseLog(text);
    if (!parsed.ok) throw new Error('unparsable');
    expect(expectReplaysMatch(text, parsed.state)).toBeGreaterThan(6);
    const T1 = parsed.state.tables.T1!;
    const changed = {
      ...parsed.state,
      tables: { ...parsed.state.tables, T1: { ...T1, game: { ...T1.game!, state: { ...(T1.game!.state as object), endedAt: 1 } } } },
    };
    expect(() => expectReplaysMatch(text, changed)).toThrow(/T1/);
    const lostResult = { ...parsed.state, results: parsed.state.results.slice(1) };
    expect(() => expectReplaysMatch(text, lostResult)).toThrow(/results/);
  });
});

describe('an anonymised log', () => {
  it('replaces names with the seat first held and blanks the token hashes, and still replays', () => {
    const log = [
      { type: 'header', format: 'valley-log', version: 1, sessionId: 'abcdefgh12', code: 'ABCDE', createdAt: 0, seed: 1, hostTokenHash: 'aa' },
      { seq: 1, at: 1, type: 'playerJoined', playerId: 'P1', name: 'Ada Lovelace', tokenHash: 'bb' },
      { seq: 2, at: 1, type: 'playerJoined', playerId: 'P2', name: 'Bo', tokenHash: 'cc' },
      { seq: 3, at: 2, type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] },
      { seq: 4, at: 2, type: 'seatChanged', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: 'P1' } },
    ]
      .map((l) => JSON.stringify(l) + '\n')
      .join('');
    const a = anonymiseLog(log);
    if (!a.ok) throw new Error('failed');
    expect(a.text).not.toContain('Ada');
    expect(a.text).not.toContain('"bb"');
    expect(a.text).not.toContain('"aa"');
    const p = parseLog(a.text);
    if (!p.ok) throw new Error('unparsable');
    expect(Object.values(p.state.players).map((x) => x.name)).toEqual(['T1 B', 'Student 1']);
  });

  it('refuses a damaged log with its line', () => {
    expect(anonymiseLog('{"type":"header"}\n')).toMatchObject({ ok: false, line: 1 });
  });
});
