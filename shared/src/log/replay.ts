// Replaying a game from a session log: which games a log holds, one game's events, and the game's
// state after any number of them — computed by the scenario's own apply(), never re-implemented.
import { scenarioOf } from '../session/reduce.ts';
import type { LogEvent, SessionHeader, SessionState } from '../session/model.ts';
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

/** Every game a log holds, with its timeline, in the order they started. */
export function gamesIn(header: SessionHeader, events: LogEvent[]): Timeline[] {
  // A fold, not reduce() per event: a hall's log has hundreds of tables, and reduce() copies them all.
  const fold = new SessionFold(initialSession(header));
  const out = new Map<string, Timeline>();
  const last = new Map<string, unknown>();
  for (const e of events) {
    // Who sat where, by name, read just before the game starts (starting it moves no one).
    let players: Record<string, string> = {};
    if (e.type === 'gameStarted') {
      const before = fold.peek();
      players = {};
      for (const [seat, o] of Object.entries(before.tables[e.table]?.seats ?? {})) players[seat] = occupantName(before, o);
    }
    fold.push(e);
    const s = fold.peek();
    if (e.type === 'gameStarted') {
      const t = s.tables[e.table]!;
      out.set(`${e.table}/${e.game}`, {
        entry: { table: e.table, game: e.game, scenario: e.scenario, seed: e.seed, startedAt: e.at, endedAt: null, seats: Object.keys(t.seats), players, verdict: null },
        config: e.config,
        events: [],
      });
    } else if (e.type === 'game') {
      const tl = out.get(`${e.table}/${e.game}`);
      if (!tl) continue;
      tl.events.push({ seq: e.seq, at: e.at, event: e.event });
      last.set(`${e.table}/${e.game}`, s.tables[e.table]!.game!.state);
    }
  }
  // Each game's verdict from its last state (once, not at every event: logs can be long).
  for (const [key, tl] of out) {
    const sc = scenarioOf(tl.entry.scenario);
    const state = last.get(key) ?? sc.init(tl.config, tl.entry.seed, tl.entry.startedAt);
    tl.entry.verdict = sc.verdict(state);
    if (sc.ended(state)) tl.entry.endedAt = tl.events.at(-1)?.at ?? tl.entry.startedAt;
  }
  return [...out.values()];
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
