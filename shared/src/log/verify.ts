// The checker believes nothing it can recompute. From the primary facts of a log — sends with their
// fates, deliveries, captures, acceptances, decisions — it recomputes every verdict, and checks that:
//   - time never goes back (seq is checked as the log is read);
//   - every delivery, capture or loss names a messenger sent earlier in the same game and still on
//     its way, at most once, and a delivery comes no sooner than its crossing allows;
//   - every messenger's recorded fate is the one the valley's seeded draw gives for that game's seed,
//     its number and the settings in force (which only a control recorded in the log changes);
//   - each summary line (a value chosen, an outcome) agrees with the facts it summarises;
//   - each scenario's properties hold (Paxos: at most one value chosen, counted from acceptances);
//   - format 2: every unit is exactly what the scenario's own rules give for its recorded cause
//     (a student's or a bot's action, the valley's clock, the host's control) from the state before
//     it — so in a strict game every event a seat caused is one the rules allow. Rules broken on
//     purpose in a free-mode game are listed as such, not as problems.
// Each problem names its line (the header is line 1, event k is on line k + 1) and says what is wrong.
import { canonical, sameJson } from '../canonical.ts';
import type { AnyScenario, Decision } from '../scenario.ts';
import { messengerFate, type Fate } from '../valley.ts';
import { decideHost, seatOf, type HostCommand } from '../session/commands.ts';
import type { Cause, LogEvent, SessionEvent, SessionState } from '../session/model.ts';
import { SessionFold, initialSession, scenarioOf } from '../session/reduce.ts';
import { parseLog, type LogProblem } from './format.ts';

export interface Verification {
  ok: boolean;
  problems: LogProblem[];
  /** Rules broken on purpose in free-mode games, each with its line: what the lesson shows, not damage. */
  broken: LogProblem[];
  games: number;
  /** Whether every unit was replayed through the rules (format 2 records causes; format 1 does not). */
  rulesReplayed: boolean;
}

const showFate = (f: Fate) => `${f.type} after ${f.afterMs} ms`;
const sameFate = (a: Fate, b: Fate) => a.type === b.type && a.afterMs === b.afterMs;
const showEvidence = (e: Record<string, string | number>) =>
  Object.entries(e)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** What the checker keeps of each messenger: when it left, its fate, and where it is now. */
interface Crossing {
  sentAt: number;
  fate: Fate;
  where: 'onWay' | 'held' | 'ended';
}

function describeCause(c: Cause): string {
  const kind = (x: unknown) => String((x as { type?: unknown } | null)?.type ?? '?');
  switch (c.type) {
    case 'act':
      return `${c.player}'s ${kind(c.action)}`;
    case 'bot':
      return `the bot at ${c.table} ${c.seat}: ${kind(c.action)}`;
    case 'tick':
      return `the valley's clock at ${c.table}`;
    case 'host':
      return `the host's ${kind(c.command)}`;
    case 'join':
      return 'a student joining';
    default:
      return `an unknown cause ${kind(c)}`;
  }
}

/** The game events a seat's action gives at its table, wrapped as the log writes them. */
function atTable(table: string, game: number, r: Decision<unknown>): Decision<SessionEvent> {
  return r.ok ? { ok: true, events: r.events.map((event): SessionEvent => ({ type: 'game', table, game, event })) } : r;
}

/**
 * What the rules give for this cause from this state (null: a cause the checker does not replay —
 * a student joining, or a host command that moves no game, which reduce() itself validates).
 */
function rulesGive(s: SessionState, cause: Cause, at: number, movesGame: boolean): Decision<SessionEvent> | string | null {
  switch (cause.type) {
    case 'act': {
      const where = seatOf(s, cause.player);
      if (!where) return `${cause.player} acts, but has no seat`;
      const g = s.tables[where.table]!.game;
      if (!g) return `${cause.player} acts at ${where.table}, where no game was started`;
      return atTable(where.table, g.index, scenarioOf(g.scenario).decide(g.state, where.seat, cause.action, at));
    }
    case 'bot': {
      const t = s.tables[cause.table];
      if (t?.seats[cause.seat]?.type !== 'bot') return `a bot's move at ${cause.table} ${cause.seat}, where no bot sits`;
      if (!t.game) return `a bot's move at ${cause.table}, where no game was started`;
      return atTable(t.id, t.game.index, scenarioOf(t.game.scenario).decide(t.game.state, cause.seat, cause.action, at));
    }
    case 'tick': {
      const g = s.tables[cause.table]?.game;
      if (!g) return `the valley's clock at ${cause.table}, where no game was started`;
      return atTable(cause.table, g.index, { ok: true, events: scenarioOf(g.scenario).tick(g.state, at) });
    }
    case 'host':
      return movesGame || REPLAYED_HOST.has((cause.command as { type?: string }).type ?? '') ? decideHost(s, cause.command as HostCommand, at) : null;
    case 'join':
      return movesGame ? 'a student joining moves a game' : null;
    default:
      return `an unknown cause (${String((cause as { type?: unknown }).type)})`;
  }
}

/**
 * Host commands replayed through the rules even when they move no game: those that take tables away
 * or hide results, whose every line follows from the state before. (Seating commands are checked by
 * reduce() alone, so a log recorded under older seating rules still reads.)
 */
const REPLAYED_HOST = new Set(['removeTable', 'clearResults']);

const strip = ({ seq: _seq, at: _at, unit: _unit, ...e }: LogEvent): SessionEvent => e as SessionEvent;

export function verifyLog(text: string): Verification {
  const parsed = parseLog(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.error], broken: [], games: 0, rulesReplayed: false };
  const { header, events } = parsed;
  const replayRules = header.version >= 2;
  const problems: LogProblem[] = [];
  const broken: LogProblem[] = [];
  const fold = new SessionFold(initialSession(header));
  const games = new Set<string>();
  const crossings = new Map<string, Map<number, Crossing>>();
  const flagged = new Set<string>();
  let lastAt = header.createdAt;

  const checkGame = (sc: AnyScenario, key: string, state: unknown, line: number, where: string) => {
    if (flagged.has(key)) return;
    const reasons = sc.check?.(state) ?? [];
    for (const reason of reasons) problems.push({ line, reason: `${where}: ${reason}` });
    if (reasons.length > 0) flagged.add(key);
  };

  /** A messenger fact held against what the checker knows of that messenger. */
  const checkMessenger = (sc: AnyScenario, key: string, before: unknown, event: unknown, at: number, byHand: boolean | null): string[] => {
    const fact = sc.facts.messenger(event);
    if (!fact) return [];
    const ledger = crossings.get(key)!;
    const m = ledger.get(fact.n);
    const n = `messenger ${fact.n}`;
    if (fact.kind === 'sent') {
      if (m) return [`${n} is sent a second time`];
      const valley = sc.facts.valley(before);
      const drawn = messengerFate(valley.seed, fact.n, valley.settings);
      ledger.set(fact.n, { sentAt: at, fate: fact.fate, where: 'onWay' });
      return sameFate(drawn, fact.fate) ? [] : [`${n}'s fate is recorded as ${showFate(fact.fate)}, but the valley's seeded draw gives ${showFate(drawn)}`];
    }
    if (!m) return [`${n} is ${fact.kind}, but no such messenger was sent before in this game`];
    if (m.where === 'ended') return [`${n} is ${fact.kind} after its crossing had already ended`];
    const out: string[] = [];
    switch (fact.kind) {
      case 'delivered':
      case 'lost':
        if (m.where === 'held') out.push(`${n} is ${fact.kind} while the valley holds it`);
        if (m.fate.type !== 'delivered') out.push(`${n} is ${fact.kind}, but the valley's draw captures it`);
        if (at < m.sentAt + m.fate.afterMs) out.push(`${n} arrives ${at - m.sentAt} ms after it left, before its ${m.fate.afterMs} ms crossing`);
        m.where = 'ended';
        break;
      case 'captured':
        // The valley captures a messenger its draw captures, once it is halfway; a hand (the host, a
        // student playing the valley) may capture any messenger on its way. Format 1 cannot tell which.
        if (byHand === false && m.fate.type !== 'captured') out.push(`${n} is captured by the valley, but its draw delivers it and no hand captured it`);
        if (byHand === false && at < m.sentAt + m.fate.afterMs) out.push(`${n} is captured ${at - m.sentAt} ms after it left, before its ${m.fate.afterMs} ms`);
        m.where = 'ended';
        break;
      case 'held':
        if (m.where !== 'onWay') out.push(`${n} is held while already held`);
        m.where = 'held';
        break;
      case 'released':
        if (m.where !== 'held') out.push(`${n} is released, but the valley did not hold it`);
        m.where = 'onWay';
        break;
    }
    return out;
  };

  for (let i = 0; i < events.length;) {
    const first = events[i]!;
    const count = first.unit?.lines ?? 1;
    const unit = events.slice(i, i + count);
    const firstLine = i + 2;
    const cause = first.unit?.cause ?? null;
    // A unit that starts or moves a game is replayed through the rules (a game's seed and settings
    // are the host's startGames' to give, as its fates are the valley's).
    const movesGame = unit.some((e) => e.type === 'game' || e.type === 'gameStarted');

    // Every unit that records its cause is replayed (format 2: all of them).
    if (cause) {
      if (unit.some((e) => e.at !== first.at)) problems.push({ line: firstLine, reason: 'the lines of one unit carry different times' });
      const given = rulesGive(fold.peek(), cause, first.at, movesGame);
      if (typeof given === 'string') problems.push({ line: firstLine, reason: given });
      else if (given && !given.ok) {
        problems.push({
          line: firstLine,
          reason: `the rules refuse ${describeCause(cause)}: ${given.refusal.rule}${Object.keys(given.refusal.evidence).length ? ` (${showEvidence(given.refusal.evidence)})` : ''}`,
        });
      } else if (given && !sameJson(given.events, unit.map(strip))) {
        const k = unit.findIndex((e, j) => !sameJson(strip(e), given.events[j]));
        // Shorter than the rules give: the unit's last line is where it stops short.
        const at = k < 0 ? unit.length - 1 : k;
        const expected = given.events[at];
        problems.push({
          line: firstLine + at,
          reason: `not what the rules give for ${describeCause(cause)}: ${
            k < 0
              ? `${given.events.length - unit.length} more event(s) expected`
              : expected
                ? `expected ${canonical((expected as { event?: unknown }).event ?? expected)}`
                : 'nothing more was expected'
          }`,
        });
      }
    }

    unit.forEach((e, j) => {
      const line = firstLine + j;
      if (e.at < lastAt) problems.push({ line, reason: `time goes back: ${e.at} after ${lastAt}` });
      lastAt = Math.max(lastAt, e.at);
      const before = e.type === 'game' ? fold.peek().tables[e.table]?.game : null;
      fold.push(e);
      if (e.type === 'gameStarted') {
        const key = `${e.table}/${e.game}`;
        games.add(key);
        crossings.set(key, new Map());
      }
      if (e.type !== 'game' || !before) return;
      const key = `${e.table}/${e.game}`;
      const where = `table ${e.table}, game ${e.game}`;
      const sc = scenarioOf(before.scenario);
      const after = fold.peek().tables[e.table]!.game!.state;
      const byHand = cause ? cause.type !== 'tick' : replayRules ? false : null;
      for (const reason of checkMessenger(sc, key, before.state, e.event, e.at, byHand)) problems.push({ line, reason: `${where}: ${reason}` });
      for (const reason of sc.facts.audit(before.state, e.event, after)) problems.push({ line, reason: `${where}: a summary line ${reason}` });
      const b = sc.facts.broken(e.event);
      if (b) broken.push({ line, reason: `${where}: ${b.seat} broke ${b.rule}${Object.keys(b.evidence).length ? ` (${showEvidence(b.evidence)})` : ''}` });
      checkGame(sc, key, after, line, where);
    });
    i += count;
  }
  return { ok: problems.length === 0, problems, broken, games: games.size, rulesReplayed: replayRules };
}
