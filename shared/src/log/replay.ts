// Replaying a game from a session log: which games a log holds, one game's events, and the game's
// state after any number of them — computed by the scenario's own apply(), never re-implemented.
import { scenarioOf } from '../session/reduce.ts';
import type { LogEvent, SessionHeader, SessionState } from '../session/model.ts';
import { parseLog, type FoldObserver, type ParsedLog } from './format.ts';
import { occupantName } from '../session/reduce.ts';
import { SessionFold, initialSession } from '../session/reduce.ts';

export interface GameEntry {
  table: string;
  game: number;
  scenario: string;
  seed: number;
  startedAt: number;
  endedAt: number | null;
  seats: string[];
  /** Who sat where when the game started: names, or "bot". */
  players: Record<string, string>;
  verdict: unknown;
}

export interface Timeline {
  entry: GameEntry;
  config: unknown;
  /** The game's own events, in order, with their log sequence numbers and times. */
  events: { seq: number; at: number; event: unknown }[];
}

/**
 * The game index, built while a log is folded (a FoldObserver): each game's timeline, and who sat
 * where, by name, just before it started.
 */
class GameIndex implements FoldObserver {
  private readonly out: Timeline[] = [];
  /** Each table's latest game and its state after its last event so far. */
  private readonly current = new Map<string, { tl: Timeline; last: unknown }>();
  private readonly finished: { tl: Timeline; last: unknown }[] = [];
  private players: Record<string, string> = {};

  before(s: SessionState, e: LogEvent) {
    // Who sat where, by name, read just before the game starts (starting it moves no one).
    if (e.type !== 'gameStarted') return;
    this.players = {};
    for (const [seat, o] of Object.entries(s.tables[e.table]?.seats ?? {})) this.players[seat] = occupantName(s, o);
  }

  after(s: SessionState, e: LogEvent) {
    if (e.type === 'gameStarted') {
      const t = s.tables[e.table]!;
      const tl: Timeline = {
        entry: {
          table: e.table,
          game: e.game,
          scenario: e.scenario,
          seed: e.seed,
          startedAt: e.at,
          endedAt: null,
          seats: Object.keys(t.seats),
          players: this.players,
          verdict: null,
        },
        config: e.config,
        events: [],
      };
      this.out.push(tl);
      const prev = this.current.get(e.table);
      if (prev) this.finished.push(prev);
      this.current.set(e.table, { tl, last: undefined });
    } else if (e.type === 'game') {
      // The fold accepts a game event only for its table's running game.
      const cur = this.current.get(e.table);
      if (!cur || cur.tl.entry.game !== e.game) return;
      cur.tl.events.push({ seq: e.seq, at: e.at, event: e.event });
      cur.last = s.tables[e.table]!.game!.state;
    }
  }

  /** The games, in the order they started, each with its verdict from its last state. */
  games(): Timeline[] {
    // Once a game, not at every event: logs can be long.
    for (const { tl, last } of [...this.finished, ...this.current.values()]) {
      const sc = scenarioOf(tl.entry.scenario);
      const state = last ?? sc.init(tl.config, tl.entry.seed, tl.entry.startedAt);
      tl.entry.verdict = sc.verdict(state);
      if (sc.ended(state)) tl.entry.endedAt = tl.events.at(-1)?.at ?? tl.entry.startedAt;
    }
    return this.out;
  }
}

export type OpenedLog = Extract<ParsedLog, { ok: true }> & { games: Timeline[] };

/**
 * A log file opened for the replay page: parsed, folded and indexed in one pass (parseLog's fold
 * also builds the game index), or the first problem, with its line.
 */
export function openLog(text: string): OpenedLog | Extract<ParsedLog, { ok: false }> {
  const index = new GameIndex();
  const parsed = parseLog(text, index);
  if (!parsed.ok) return parsed;
  return { ...parsed, games: index.games() };
}

/** Every game a log holds, with its timeline, in the order they started (openLog does this while it parses). */
export function gamesIn(header: SessionHeader, events: LogEvent[]): Timeline[] {
  // A fold, not reduce() per event: a hall's log has hundreds of tables, and reduce() copies them all.
  const fold = new SessionFold(initialSession(header));
  const index = new GameIndex();
  for (const e of events) {
    index.before(fold.peek(), e);
    fold.push(e);
    index.after(fold.peek(), e);
  }
  return index.games();
}

const SNAPSHOT_EVERY = 256;

/**
 * A game's state after its first k events, fast enough to scrub: states are kept every few hundred
 * events, and a jump replays only the events since the nearest one.
 */
export class Replayer {
  private snapshots: unknown[] = [];
  readonly length: number;
  constructor(readonly timeline: Timeline) {
    this.length = timeline.events.length;
    const sc = scenarioOf(timeline.entry.scenario);
    let state = sc.init(timeline.config, timeline.entry.seed, timeline.entry.startedAt);
    this.snapshots.push(state);
    timeline.events.forEach((e, i) => {
      state = sc.apply(state, e.event, e.at);
      if ((i + 1) % SNAPSHOT_EVERY === 0) this.snapshots.push(state);
    });
  }

  /** The state after `k` events (0 = the game as it started). */
  stateAt(k: number): unknown {
    const n = Math.max(0, Math.min(this.length, Math.floor(k)));
    const sc = scenarioOf(this.timeline.entry.scenario);
    const base = Math.floor(n / SNAPSHOT_EVERY);
    let state = this.snapshots[base];
    for (let i = base * SNAPSHOT_EVERY; i < n; i++) {
      const e = this.timeline.events[i]!;
      state = sc.apply(state, e.event, e.at);
    }
    return state;
  }

  /** The time of the cursor after `k` events. */
  timeAt(k: number): number {
    if (k <= 0) return this.timeline.entry.startedAt;
    return this.timeline.events[Math.min(this.length, k) - 1]!.at;
  }
}
