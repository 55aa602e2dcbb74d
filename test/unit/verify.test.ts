// The checker believes nothing it can recompute: for each thing it checks, a forged log that breaks
// it is refused, naming its line; honest logs (every example, both formats) pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Replayer,
  decideHost,
  deriveSeed,
  initialSession,
  loggedCommand,
  openLog,
  parseLog,
  paxos,
  px,
  sameJson,
  scenarioOf,
  tg,
  twoGenerals,
  verifyLog,
  type AnyScenario,
  type GameControl,
  type HostCommand,
  type SessionEvent,
  type SimResult,
} from '@valley/shared';
import { botTable, encodeLog, gameUnits, madeHeader, settingsUnit, startedGame } from '../../scripts/session-log.ts';
import { makeLog } from '../../scripts/bench/replay-log.ts';

const root = join(import.meta.dirname, '../..');
const T0 = 1_800_000_000_000;

/** A game played by hand at table T1 (every seat a bot's), written as the server writes its log. */
function handPlayed(sc: AnyScenario, config: unknown, sessionSeed = 7) {
  const start = T0 + 1000;
  // Started as the host's startGames starts the session's first game: its seed and settings follow.
  const game = startedGame(sessionSeed, 1, sc, config, sc.seatsFor(config));
  let state = sc.init(game.config, game.seed, start);
  let at = start;
  const steps: SimResult['steps'] = [];
  const push = (cause: SimResult['steps'][number]['cause'], events: unknown[]) => {
    if (events.length === 0) return;
    steps.push({ at, cause, events });
    for (const e of events) state = sc.apply(state, e, at);
  };
  return {
    act(seat: string, action: unknown) {
      const r = sc.decide(state, seat, action, at);
      if (!r.ok) throw new Error(JSON.stringify(r.refusal));
      push({ type: 'seat', seat, action }, r.events);
    },
    control(c: GameControl) {
      const r = sc.control(state, c, at);
      if (!r.ok) throw new Error(JSON.stringify(r.refusal));
      push({ type: 'control', control: c }, r.events);
    },
    wait(ms: number) {
      at += ms;
      push({ type: 'tick' }, sc.tick(state, at));
    },
    view: (seat: string) => sc.view(state, seat),
    get state() {
      return state;
    },
    text: () =>
      encodeLog(madeHeader('verify-test-0001', 'VRFYT', T0, sessionSeed), [
        settingsUnit(T0, sc, config),
        ...botTable(T0, 'T1', sc, sc.seatsFor(config)),
        ...gameUnits('T1', 1, start, sc, game.seed, game.config, { steps } as SimResult),
      ]),
  };
}

/** A Paxos game where A gets dawn chosen at 1.A, then B ignores the promises and gets dusk chosen at 2.B (free mode). */
function twoValues(mode: px.Mode = 'free') {
  const config: px.Config = { ...px.defaultConfig, mode, captureRate: 0, delayMinMs: 10, delayMaxMs: 10, proposers: 2, acceptors: 3, learners: 0 };
  const g = handPlayed(paxos, config);
  const inbox = (seat: string) => (g.view(seat) as px.PaxosView).inbox;
  g.act('A', { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
  g.wait(10);
  for (const a of ['a1', 'a2', 'a3']) g.act(a, { type: 'promise', n: inbox(a)[0]!.n });
  g.wait(10);
  g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1', 'a2'] });
  g.wait(10);
  for (const a of ['a1', 'a2']) g.act(a, { type: 'acceptProposal', n: inbox(a).at(-1)!.n });
  g.act('B', { type: 'prepare', round: 2, to: ['a1', 'a2', 'a3'] });
  g.wait(10);
  for (const a of ['a1', 'a2', 'a3']) g.act(a, { type: 'promise', n: inbox(a).at(-1)!.n });
  g.wait(10);
  g.act('B', { type: 'accept', round: 2, value: 'dusk', to: ['a1', 'a2', 'a3'] });
  g.wait(10);
  for (const a of ['a2', 'a3']) g.act(a, { type: 'acceptProposal', n: inbox(a).at(-1)!.n });
  return g;
}

type Line = Record<string, unknown> & { seq?: number; at?: number; type?: string; event?: Record<string, unknown>; unit?: unknown };
const linesOf = (text: string): Line[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
const textOf = (lines: Line[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
/** As format 1 has it: no units, events renumbered from 1 (after lines were dropped or moved). */
function asVersion1(lines: Line[]): string {
  let seq = 0;
  return textOf(lines.map((l, i) => (i === 0 ? { ...l, version: 1 } : (({ unit: _u, ...rest }) => ({ ...rest, seq: ++seq }))(l))));
}
/** The line number (1-based, the header is 1) of the first line matching. */
const lineWhere = (lines: Line[], pred: (l: Line) => boolean) => {
  const i = lines.findIndex(pred);
  if (i < 0) throw new Error('no such line');
  return i + 1;
};
const gameEvent =
  (type: string, more: (e: Record<string, unknown>) => boolean = () => true) =>
  (l: Line) =>
    l.type === 'game' && l.event?.type === type && more(l.event);
const reasons = (text: string) => verifyLog(text).problems;

describe('honest logs pass', () => {
  it.each(['tg-victory', 'tg-defeat', 'paxos-crash', 'paxos-duel'])('the example %s verifies, every unit replayed through the rules', (name) => {
    const v = verifyLog(readFileSync(join(root, 'examples', `${name}.ndjson`), 'utf8'));
    expect(v).toMatchObject({ ok: true, problems: [], broken: [], games: 1, rulesReplayed: true });
  });

  it.each(['v1-tg-victory', 'v1-paxos-crash'])('a format 1 log (%s) still opens, replays to its verdict and verifies by its facts', (name) => {
    const text = readFileSync(join(root, 'test/fixtures', `${name}.ndjson`), 'utf8');
    expect(parseLog(text)).toMatchObject({ ok: true, header: { version: 1 }, warnings: [] });
    const opened = openLog(text);
    if (!opened.ok) throw new Error(opened.error.reason);
    const tl = opened.games[0]!;
    const r = new Replayer(tl);
    const verdict = scenarioOf(tl.entry.scenario).verdict(r.stateAt(r.length));
    if (name === 'v1-tg-victory') expect(verdict).toMatchObject({ outcome: 'victory' });
    else expect(verdict).toMatchObject({ chosen: expect.any(String), safe: true });
    expect(verifyLog(text)).toMatchObject({ ok: true, problems: [], games: 1, rulesReplayed: false });
  });

  it('a hand-played strict game verifies; its format 1 copy too', () => {
    const g = handPlayed(twoGenerals, { ...tg.defaultConfig, captureRate: 0 });
    g.act('A', { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } });
    g.wait(3000);
    g.act('B', { type: 'commit', decision: { type: 'attack', time: 6 } });
    g.act('A', { type: 'commit', decision: { type: 'attack', time: 6 } });
    expect(verifyLog(g.text())).toMatchObject({ ok: true, rulesReplayed: true });
    expect(verifyLog(asVersion1(linesOf(g.text())))).toMatchObject({ ok: true, rulesReplayed: false });
  });
});

describe('a value is chosen when a majority accepted it, counted from the acceptances', () => {
  it('two majorities at two ballots, with no valueChosen line at all, are two values chosen (format 1)', () => {
    const lines = linesOf(twoValues().text()).filter((l) => !gameEvent('valueChosen')(l));
    const text = asVersion1(lines);
    const relined = linesOf(text);
    // The second majority is made by a3's acceptance of 2.B.
    const line = lineWhere(
      relined,
      gameEvent('accepted', (e) => e.acceptor === 'a3'),
    );
    expect(reasons(text)).toContainEqual({ line, reason: 'table T1, game 1: two values chosen: dawn (1.A) and dusk (2.B)' });
    // And the replay's verdict, from the same facts, says so too.
    const opened = openLog(text);
    if (!opened.ok) throw new Error(opened.error.reason);
    const r = new Replayer(opened.games[0]!);
    expect(paxos.verdict(r.stateAt(r.length) as px.State)).toMatchObject({ chosen: 'dawn', safe: false, values: ['dawn', 'dusk'] });
  });

  it('the same without those lines in format 2: the units are not what the rules give', () => {
    const lines = linesOf(twoValues().text());
    const at = lineWhere(lines, gameEvent('valueChosen'));
    // Drop the summary line and shorten its unit to match: the file still reads.
    let unitStart = at - 1;
    while (lines[unitStart]!.unit === undefined) unitStart--;
    const u = lines[unitStart]!.unit as { lines: number };
    lines[unitStart] = { ...lines[unitStart]!, unit: { ...u, lines: u.lines - 1 } };
    lines.splice(at - 1, 1);
    let seq = 0;
    const text = textOf(lines.map((l, i) => (i === 0 ? l : { ...l, seq: ++seq })));
    expect(parseLog(text).ok).toBe(true);
    expect(reasons(text)).toContainEqual({
      line: at,
      reason: expect.stringContaining('not what the rules give for the bot at T1 a2: acceptProposal: expected {"acceptors":["a1","a2"]'),
    });
  });

  it('a valueChosen line without the majority it claims is a false summary', () => {
    const lines = linesOf(twoValues().text());
    const at = lineWhere(lines, gameEvent('valueChosen'));
    const forged = lines.map((l, i) => (i === at - 1 ? { ...l, event: { ...l.event, value: 'noon' } } : l));
    const text = asVersion1(forged);
    expect(reasons(text)).toContainEqual({
      line: at,
      reason: 'table T1, game 1: a summary line says noon was chosen at 1.A, but 0 of 3 acceptors accepted it (2 needed)',
    });
  });
});

describe('every delivery, capture or loss names a messenger sent earlier in the same game, still on its way, at most once', () => {
  const tgGame = () => readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8');

  it('a delivery of a messenger never sent', () => {
    const lines = linesOf(tgGame());
    const at = lineWhere(lines, gameEvent('messengerDelivered'));
    lines[at - 1] = { ...lines[at - 1]!, event: { type: 'messengerDelivered', n: 99 } };
    for (const text of [textOf(lines), asVersion1(lines)]) {
      expect(reasons(text)).toContainEqual({
        line: at,
        reason: 'table T1, game 1: messenger 99 is delivered, but no such messenger was sent before in this game',
      });
    }
  });

  it('a delivery written before its messenger was sent', () => {
    const lines = linesOf(tgGame());
    const sent = lineWhere(
      lines,
      gameEvent('messengerSent', (e) => e.n === 2),
    );
    const delivered = lineWhere(
      lines,
      gameEvent('messengerDelivered', (e) => e.n === 2),
    );
    const moved = [...lines];
    const [d] = moved.splice(delivered - 1, 1);
    moved.splice(sent - 1, 0, { ...d!, at: lines[sent - 1]!.at });
    expect(reasons(asVersion1(moved))).toContainEqual({
      line: sent,
      reason: 'table T1, game 1: messenger 2 is delivered, but no such messenger was sent before in this game',
    });
  });

  it('a messenger delivered twice', () => {
    const lines = linesOf(tgGame());
    const delivered = lineWhere(
      lines,
      gameEvent('messengerDelivered', (e) => e.n === 2),
    );
    const twice = [...lines.slice(0, delivered), lines[delivered - 1]!, ...lines.slice(delivered)];
    expect(reasons(asVersion1(twice))).toContainEqual({
      line: delivered + 1,
      reason: 'table T1, game 1: messenger 2 is delivered after its crossing had already ended',
    });
  });

  it('a delivery sooner than its crossing allows', () => {
    const lines = linesOf(tgGame());
    const sent = lineWhere(
      lines,
      gameEvent('messengerSent', (e) => e.n === 2),
    );
    const delivered = lineWhere(
      lines,
      gameEvent('messengerDelivered', (e) => e.n === 2),
    );
    const early = lines.map((l, i) => (i === delivered - 1 ? { ...l, at: lines[sent - 1]!.at! + 5 } : l));
    expect(reasons(asVersion1(early))).toContainEqual({
      line: delivered,
      reason: `table T1, game 1: messenger 2 arrives 5 ms after it left, before its ${(lines[sent - 1]!.event!.fate as { afterMs: number }).afterMs} ms crossing`,
    });
  });

  it('a delivery of a messenger the valley captures, and a capture by the valley of one it delivers', () => {
    const lines = linesOf(tgGame());
    // Messenger 1's draw captures it; the forger says it arrived.
    const captured = lineWhere(
      lines,
      gameEvent('messengerCaptured', (e) => e.n === 1),
    );
    const forged = lines.map((l, i) => (i === captured - 1 ? { ...l, event: { type: 'messengerDelivered', n: 1 } } : l));
    expect(reasons(textOf(forged))).toContainEqual({ line: captured, reason: "table T1, game 1: messenger 1 is delivered, but the valley's draw captures it" });
    // Messenger 2's draw delivers it; the valley's clock is said to have captured it.
    const delivered = lineWhere(
      lines,
      gameEvent('messengerDelivered', (e) => e.n === 2),
    );
    const taken = lines.map((l, i) => (i === delivered - 1 ? { ...l, event: { type: 'messengerCaptured', n: 2 } } : l));
    expect(reasons(textOf(taken))).toContainEqual({
      line: delivered,
      reason: 'table T1, game 1: messenger 2 is captured by the valley, but its draw delivers it and no hand captured it',
    });
  });
});

describe("a messenger's fate is the valley's seeded draw", () => {
  it('a fate the seed does not give is refused, in either format', () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const sent = lineWhere(
      lines,
      gameEvent('messengerSent', (e) => e.n === 1),
    );
    const captured = lineWhere(
      lines,
      gameEvent('messengerCaptured', (e) => e.n === 1),
    );
    const afterMs = (lines[sent - 1]!.event!.fate as { type: string; afterMs: number }).afterMs;
    expect(lines[sent - 1]!.event!.fate).toMatchObject({ type: 'captured' });
    // The forger makes the captured plan arrive: a fate of their own, and a delivery to match.
    const forged = lines.map((l, i) =>
      i === sent - 1
        ? { ...l, event: { ...l.event, fate: { type: 'delivered', afterMs } } }
        : i === captured - 1
          ? { ...l, event: { type: 'messengerDelivered', n: 1 } }
          : l,
    );
    const fate = {
      line: sent,
      reason: `table T1, game 1: messenger 1's fate is recorded as delivered after ${afterMs} ms, but the valley's seeded draw gives captured after ${afterMs} ms`,
    };
    expect(reasons(asVersion1(forged))).toContainEqual(fate);
    expect(reasons(textOf(forged))).toContainEqual(fate);
  });

  it('a change of capture rate recorded in the log changes the draw; without its line, the fates do not follow', () => {
    const config: px.Config = { ...px.defaultConfig, captureRate: 0, delayMinMs: 100, delayMaxMs: 100, proposers: 1, acceptors: 3, learners: 0 };
    const g = handPlayed(paxos, config, 11);
    g.control({ type: 'setCaptureRate', captureRate: 1 });
    g.act('A', { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
    g.wait(100);
    expect((g.state as px.State).messengers.map((m) => m.status)).toEqual(['captured', 'captured', 'captured']);
    expect(verifyLog(g.text())).toMatchObject({ ok: true, problems: [] });
    const lines = linesOf(g.text());
    const changed = lineWhere(lines, gameEvent('captureRateChanged'));
    const without = lines.filter((_, i) => i !== changed - 1);
    expect(reasons(asVersion1(without))).toContainEqual({
      line: changed,
      reason: "table T1, game 1: messenger 1's fate is recorded as captured after 50 ms, but the valley's seeded draw gives delivered after 100 ms",
    });
  });
});

describe('time never goes back', () => {
  it('an event stamped before the one before it', () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const at = lineWhere(
      lines,
      gameEvent('messengerDelivered', (e) => e.n === 3),
    );
    const back = lines.map((l, i) => (i === at - 1 ? { ...l, at: lines[at - 2]!.at! - 1 } : l));
    expect(reasons(asVersion1(back))).toContainEqual({ line: at, reason: `time goes back: ${lines[at - 2]!.at! - 1} after ${lines[at - 2]!.at}` });
  });
});

describe('format 2: every unit is what the rules give for its cause', () => {
  it('in a strict game, an acceptance below the acceptor’s promise is refused by the rules, naming the rule and its evidence', () => {
    const config: px.Config = { ...px.defaultConfig, mode: 'strict', captureRate: 0, delayMinMs: 10, delayMaxMs: 10, proposers: 2, acceptors: 3, learners: 0 };
    const g = handPlayed(paxos, config);
    const inbox = (seat: string) => (g.view(seat) as px.PaxosView).inbox;
    g.act('A', { type: 'prepare', round: 1, to: ['a1', 'a2'] });
    g.wait(10);
    for (const a of ['a1', 'a2']) g.act(a, { type: 'promise', n: inbox(a)[0]!.n });
    g.act('B', { type: 'prepare', round: 2, to: ['a1'] });
    g.wait(10);
    g.act('a1', { type: 'promise', n: inbox('a1').at(-1)!.n });
    g.act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1'] });
    g.wait(10);
    const accept = inbox('a1').at(-1)!.n;
    const honest = linesOf(g.text());
    // The forger appends a1 accepting 1.A although it promised 2.B: the events of a free-mode game.
    const free = paxos.decide(
      { ...(g.state as px.State), config: { ...config, mode: 'free' } },
      'a1',
      { type: 'acceptProposal', n: accept },
      honest.at(-1)!.at!,
    );
    if (!free.ok) throw new Error('free mode lets it through');
    const events = free.events.filter((e) => e.type !== 'ruleBroken');
    const seq = honest.at(-1)!.seq!;
    const forged = [
      ...honest,
      ...events.map((event, i) => ({
        seq: seq + 1 + i,
        at: honest.at(-1)!.at,
        type: 'game',
        table: 'T1',
        game: 1,
        event,
        ...(i === 0 ? { unit: { lines: events.length, cause: { type: 'bot', table: 'T1', seat: 'a1', action: { type: 'acceptProposal', n: accept } } } } : {}),
      })),
    ] as Line[];
    expect(reasons(textOf(forged))).toEqual([
      {
        line: honest.length + 1,
        reason: 'the rules refuse the bot at T1 a1: acceptProposal: paxos/accept-below-promise (acceptor a1, promised 2.B, ballot 1.A)',
      },
    ]);
  });

  it('a bot’s move changed after the fact (another hour) is not what the rules give', () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const at = lineWhere(
      lines,
      gameEvent('messengerSent', (e) => e.n === 2),
    );
    const forged = lines.map((l, i) => (i === at - 1 ? { ...l, event: { ...l.event, payload: { type: 'proposal', time: 7 } } } : l));
    expect(reasons(textOf(forged))).toContainEqual({
      line: at,
      reason: expect.stringContaining('not what the rules give for the bot at T1 A: sendMessenger: expected {"fate":'),
    });
  });

  it('a move said to be a bot’s at a seat no bot holds, and a cause the checker does not know', () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const at = lineWhere(
      lines,
      gameEvent('messengerSent', (e) => e.n === 2),
    );
    const unit = lines[at - 1]!.unit as { lines: number; cause: Record<string, unknown> };
    const elsewhere = lines.map((l, i) => (i === at - 1 ? { ...l, unit: { ...unit, cause: { ...unit.cause, seat: 'a9' } } } : l));
    expect(reasons(textOf(elsewhere))).toContainEqual({ line: at, reason: "a bot's move at T1 a9, where no bot sits" });
    const unknown = lines.map((l, i) => (i === at - 1 ? { ...l, unit: { ...unit, cause: { type: 'magic' } } } : l));
    expect(reasons(textOf(unknown))).toContainEqual({ line: at, reason: 'an unknown cause (magic)' });
  });

  it("a game's seed and settings are the host's startGames': a forged start is not what the rules give", () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const at = lineWhere(lines, (l) => l.type === 'gameStarted');
    const longer = lines.map((l, i) => (i === at - 1 ? { ...l, config: { ...(l.config as object), deadlineMs: 600_000, botBudget: 50 } } : l));
    expect(reasons(textOf(longer))).toContainEqual({ line: at, reason: expect.stringContaining("not what the rules give for the host's startGames") });
    const reseeded = lines.map((l, i) => (i === at - 1 ? { ...l, seed: 12345 } : l));
    expect(reasons(textOf(reseeded))).toContainEqual({ line: at, reason: expect.stringContaining("not what the rules give for the host's startGames") });
  });

  it('the large made log of the bench verifies too (its games started as the host starts them)', () => {
    expect(verifyLog(makeLog(4000, 8))).toMatchObject({ ok: true, problems: [], rulesReplayed: true });
  });

  it('the outcome a Two Generals end line states is held against the decisions', () => {
    const lines = linesOf(readFileSync(join(root, 'examples/tg-victory.ndjson'), 'utf8'));
    const at = lineWhere(lines, gameEvent('gameEnded'));
    const forged = lines.map((l, i) => (i === at - 1 ? { ...l, event: { ...l.event, outcome: 'defeat' } } : l));
    expect(reasons(asVersion1(forged))).toEqual([
      { line: at, reason: 'table T1, game 1: a summary line says the game ended in defeat, but the decisions make it victory' },
    ]);
    // The replay's verdict comes from the decisions, not from the line.
    const opened = openLog(asVersion1(forged));
    if (!opened.ok) throw new Error(opened.error.reason);
    const r = new Replayer(opened.games[0]!);
    expect(twoGenerals.verdict(r.stateAt(r.length) as tg.State)).toMatchObject({ outcome: 'victory' });
  });

  it("a free-mode game's broken rules are listed as such, with their lines; only the two values are a problem", () => {
    const text = twoValues('free').text();
    const lines = linesOf(text);
    const v = verifyLog(text);
    expect(v.broken).toEqual([
      { line: lineWhere(lines, gameEvent('ruleBroken')), reason: 'table T1, game 1: B broke paxos/accept-wrong-value (value dusk, required dawn, from 1.A)' },
    ]);
    expect(v.problems.map((p) => p.reason)).toEqual(['table T1, game 1: two values chosen: dawn (1.A) and dusk (2.B)']);
  });

  it('the same game in strict mode cannot be written: B’s accept is refused', () => {
    expect(() => twoValues('strict')).toThrow(/accept-wrong-value/);
  });
});

describe("a showcase's seed: the log records the one the search chose, and the checker reads it back", () => {
  // "Show the failure" searches seeds for a game of bots that shows the level's failure. The server logs
  // the seed it chose in the command; the checker plays that one game instead of searching again. A log
  // from before has no seed in its command: the checker searches, as the server did.
  const sc = scenarioOf('naive');
  const header = madeHeader('verify-test-0002', 'SHWFL', T0, 11);
  const session = initialSession(header);
  const at = T0 + 1000;
  // The seeds the search tries for the session's first game, in order (decideHost's).
  const seedOf = (k: number) => deriveSeed(header.seed, 1000 + k);
  const shows = (seed: number) => sc.showcase!(sc.defaultConfig, seedOf, seed) !== null;
  const cmd = { type: 'showFailure', scenario: 'naive' } as const;
  const logOf = (command: HostCommand, events: SessionEvent[]) => encodeLog(header, [{ at, cause: { type: 'host', command }, events }]);
  const decided = (c: HostCommand) => {
    const d = decideHost(session, c, at);
    if (!d.ok) throw new Error(JSON.stringify(d.refusal));
    return d;
  };
  const seedIn = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'gameStarted' ? [e.seed] : []))[0];

  it("the server's command carries the seed it chose, and the log verifies with it and, as an old log, without it", () => {
    const d = decided(cmd);
    const logged = loggedCommand(cmd, d);
    expect(logged).toEqual({ ...cmd, seed: seedIn(d.events) });
    expect(verifyLog(logOf(logged, d.events))).toMatchObject({ ok: true, problems: [] });
    expect(verifyLog(logOf(cmd, d.events))).toMatchObject({ ok: true, problems: [] });
    // Other commands are logged as they came.
    const start = { type: 'startGames', table: null } as const;
    expect(loggedCommand(start, { ok: true, events: [] })).toBe(start);
  });

  it('the recorded seed is the one replayed: a later seed that also shows the failure verifies only with its record', () => {
    const first = [...Array(200).keys()].find((k) => shows(seedOf(k)))!;
    const later = [...Array(200).keys()].find((k) => k > first && shows(seedOf(k)));
    expect(later).toBeDefined();
    const withLater = { ...cmd, seed: seedOf(later!) };
    const d = decided(withLater);
    expect(seedIn(d.events)).toBe(seedOf(later!));
    expect(verifyLog(logOf(withLater, d.events))).toMatchObject({ ok: true, problems: [] });
    // Without the record the checker searches, finds the first seed, and the game's start is not it.
    const startLine = 2 + d.events.findIndex((e) => e.type === 'gameStarted');
    expect(reasons(logOf(cmd, d.events))).toContainEqual({
      line: startLine,
      reason: expect.stringContaining("not what the rules give for the host's showFailure"),
    });
  });

  it('a recorded seed the search would never try, or one that does not show the failure, is refused', () => {
    const d = decided(cmd);
    const refused = { line: 2, reason: "the rules refuse the host's showFailure: session/no-showcase (scenario naive)" };
    expect(reasons(logOf({ ...cmd, seed: 12345 }, d.events))).toContainEqual(refused);
    const dull = [...Array(200).keys()].map(seedOf).find((seed) => !shows(seed));
    expect(dull).toBeDefined();
    expect(reasons(logOf({ ...cmd, seed: dull! }, d.events))).toContainEqual(refused);
  });
});

describe('the checker compares events as JSON, whatever the order of their keys', () => {
  it('takes the same values spelled in another order as the same, and a changed value as different', () => {
    expect(sameJson({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [2, 1] }, a: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson([{ x: 1 }], [{ x: 1 }, { x: 1 }])).toBe(false);
  });
});
