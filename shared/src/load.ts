// What the load benchmark (`npm run bench`) needs of a scenario, so the bench names none: the
// settings and tables it seats, how its bot students play, and which messengers they time from send
// to delivery. A scenario that has one keeps it in its folder (load.ts); its registry
// (scenarios/loads.ts) is optional: a scenario without a load piece is left out of the bench's loads.

/** Tables of a scenario in one of the bench's loads, and how many seats each has. */
export interface LoadTables {
  /**
   * In `class` and `saturation`, how many tables (before the bench's `--scale`); in `hall`, the
   * scenario's share: its tables for every so many of the other scenarios' (their `tables`).
   */
  tables: number;
  seats: number;
}

/** What the bench tells a bot student's move besides the seat's view. */
export interface LoadMoveOptions {
  /** The game the view is of, as the bench names it (table and game index): the messenger keys start from it. */
  game: string;
  /** How many messengers a seat sends before it decides, where the scenario leaves that to the player. */
  sendsBeforeDecision: number;
  /** Milliseconds since this seat's last action (a seat waiting for answers may start over). */
  sinceLastActMs: number;
  /** The wall clock (Date.now()), for the scenario's own bot. */
  now: number;
  /** A string no other call gives in this process: the text of a messenger that must have a key of its own. */
  unique(): string;
}

/** A bot student's next action, and the keys of the messengers it sends (each timed until it arrives). */
export interface LoadMove {
  action: unknown;
  keys: string[];
}

export interface ScenarioLoad<View = unknown, Config = unknown> {
  /** What the bench names this scenario's bot students, before their worker and number ("P", "G"). */
  prefix: string;
  /** The settings (setSettings) of a bench session's tables of `seats` seats; the bench sets the valley's own on top. */
  settings(seats: number): Record<string, unknown>;
  /** Its tables in the bench's loads; a load it has none in is left without it. */
  tables: { class?: LoadTables; hall?: LoadTables; saturation?: LoadTables };
  /** The config its tables play with in the replay benchmark's generated log (none: not in that log). */
  replay?: Config;
  /** The seat's next move from its view, as a student playing briskly would; null: nothing to do now. */
  move(view: View, o: LoadMoveOptions): LoadMove | null;
  /**
   * The keys of the messengers that reached this seat in `game`, for those `isNew` says are new
   * (it is asked once per messenger number, and remembers): the keys their senders' moves gave.
   */
  arrivals(view: View, game: string, isNew: (n: number) => boolean): string[];
}
