// What a scenario is on screen: the student's seat, the host's table card and settings form, the class
// results, the replay's panels, and how its seats are named. Each scenario's folder here implements it;
// the pages (Play, Host, Replay) use only this.
import type { ComponentType } from 'preact';
import type { GameControl, GameResult } from '@valley/shared';

export interface SeatProps<View = unknown, Action = unknown> {
  view: View;
  table: string;
  /** The other seats at the table: seat → a name, 'bot' or '' (empty). */
  tablemates: Record<string, string>;
  /** Send an action of this seat; resolves with whether the server took it. */
  act: (action: Action) => Promise<boolean>;
  /** The last refusal, in words. */
  error: string | null;
}

export interface ClientBundle<State = unknown, View = unknown, Verdict = unknown, Config = unknown, Action = unknown> {
  /** A seat's name on screen ("General A", "Acceptor a1"). */
  seatLabel(seat: string): string;
  /** The same name inside a sentence, where it differs ("Ada as the valley", not "as The valley"). */
  seatInSentence?(seat: string): string;
  /** Extra classes for a seat's badge on the host's card (a role's colour), if any. */
  seatClass?(seat: string): string;
  /** The student's screen at a seat. */
  Seat: ComponentType<SeatProps<View, Action>>;
  /** The host's table card is twice as wide (many seats, cards of their own). */
  wideCard: boolean;
  /**
   * The card's body while it is on screen, from the live game. `focus`: the table enlarged on the
   * projector (the whole screen's width, words read from the back of a room), not a card in the grid.
   */
  TableBody: ComponentType<{ state: State; control: (c: GameControl) => Promise<boolean>; focus?: boolean }>;
  /** The card off screen: the verdict's counts and outcome. */
  TableSummary: ComponentType<{ verdict: Verdict }>;
  /** The form for the settings of new games; `save` sends them. */
  SettingsForm: ComponentType<{ settings: Config; save: (settings: Config) => Promise<boolean> }>;
  /** The class results of this scenario's finished games (given only when there is at least one). */
  Results: ComponentType<{ results: GameResult[] }>;
  /** A finished game's outcome in a few words (the replay's list of games). */
  outcome(verdict: Verdict): string;
  /** Replay: what one seat holds at the cursor, in a line. */
  SeatLine: ComponentType<{ view: View }>;
  /** Replay: the verdict at the cursor. */
  VerdictPanel: ComponentType<{ state: State }>;
}
