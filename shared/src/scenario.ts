// The one interface every scenario implements. The server, bots, client and replay use only this,
// so adding a scenario touches no server code.
import type { z } from 'zod';
import type { Diagram, Label } from './diagram.ts';
import type { gameControl } from './protocol/common.ts';
import type { MessengerFact, ValleySettings } from './valley.ts';

/** A refusal is a value: a stable rule id and the evidence that breaks it, turned into words by the client. */
export interface Refusal {
  rule: string;
  evidence: Record<string, string | number>;
}

export type Decision<E> = { ok: true; events: E[] } | { ok: false; refusal: Refusal };

export const refuse = (rule: string, evidence: Refusal['evidence'] = {}): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: { rule, evidence },
});

/** What the host may do to a running game: declared once, as its wire schema (protocol/common.ts). */
export type GameControl = z.infer<typeof gameControl>;

/** Where a game stands: every scenario's state carries these (the host's table cards read them). */
export interface GameStatus {
  status: 'running' | 'paused' | 'ended';
  startedAt: number;
  deadlineAt: number;
  pausedAt: number | null;
  endedAt: number | null;
}

export interface BotStep<A> {
  actions: A[];
  /** When the bot wants to be asked again even if nothing reaches it (a resend timer), or null. */
  wakeAt: number | null;
}

export interface Scenario<Config, State extends GameStatus, Action, Event, View, Verdict> {
  readonly id: string;
  /** Every rule id a refusal of this scenario can name: its words explain each one (a test checks). */
  readonly rules: Readonly<Record<string, string>>;
  /** The seats a table of this scenario has under these settings. */
  seatsFor(config: Config): string[];
  /** The settings a game starts with at a table with these seats (a Paxos table's counts follow its seats). */
  fitConfig(config: Config, seats: string[]): Config;
  readonly defaultConfig: Config;
  init(config: Config, seed: number, at: number): State;
  /** A seat's intent, checked against the rules: the events it causes, or a refusal naming the rule. */
  decide(state: State, seat: string, action: Action, at: number): Decision<Event>;
  apply(state: State, event: Event, at: number): State;
  /** The next moment something happens on its own (a delivery, a deadline), or null. */
  due(state: State): number | null;
  /** The host steers a running game: pause, resume, or end it now. */
  control(state: State, command: GameControl, at: number): Decision<Event>;
  /** The events that happen on their own at `at` (everything due by then). */
  tick(state: State, at: number): Event[];
  /** What one seat may see: only what reached it, until the game ends. */
  view(state: State, seat: string): View;
  verdict(state: State): Verdict;
  /** A finished game's verdict in words (catalogue labels, one sentence each): what the command line prints. */
  summary(verdict: Verdict): Label[];
  /** Optional: a seat's name in words ("Client C1"), where the words have no `seat.<id>` entry for it. */
  seatLabel?(seat: string): Label;
  /** Optional: what the seats decided or chose in a finished game (one label each), for the class results table. */
  decisions?(verdict: Verdict): Label[];
  ended(state: State): boolean;
  /** The game as a space-time diagram: the one picture the projector, the replay and the CLI draw. */
  diagram(state: State): Diagram;
  /** Properties every game must keep (Paxos: at most one value chosen); each broken one, in words. */
  check?(state: State): string[];
  /** What the log checker reads of this scenario's events: the primary facts it recomputes verdicts from. */
  readonly facts: Facts<State, Event>;
  /**
   * Optional: a number that changes whenever what `seat` can see may have changed. Drivers skip asking
   * a bot again while it stays the same (and its timer is not due), which keeps large runs fast.
   */
  attention?(state: State, seat: string): number;
  /**
   * Optional: the seats whose view() this event may change, given a state the event has been applied
   * to (null: every seat). The server redraws only those screens; without it, every seat's. A test
   * checks every event of many random games: a seat left out sees exactly the same view.
   */
  audience?(state: State, event: Event): readonly string[] | null;
  /** A bot plays a seat from that seat's view only, through the same decide(). */
  bot(view: View, at: number): BotStep<Action>;
  /**
   * Optional: a game of bots that shows what this scenario teaches (a road level's failure) within a
   * minute: its settings, and the first of the seeds `seedOf(0)`, `seedOf(1)`, … that shows it (null if none does).
   * With `chosen` (the seed a log recorded for it), no search: that seed, if it is one of those the search
   * tries and it shows the failure, else null.
   */
  showcase?(config: Config, seedOf: (k: number) => number, chosen?: number): { config: Config; seed: number } | null;
  /** Optional: the scenario a class plays after this one ("Next level" moves a table's students there together). */
  readonly next?: string;
  /** Optional: the seats bots take unless the host seats a student there (a level's servers, shown on the projector). */
  botSeats?(config: Config): string[];
  /**
   * Optional: this event with the free text students typed (a note, a value) replaced by `label`'s
   * neutral words, for a log a teacher publishes. Without it, the event is shared as it is.
   */
  redact?(event: Event, label: RedactLabel): Event;
  /** Optional: the same for an action, through the same `label`, so a value typed once reads the same everywhere. */
  redactAction?(action: Action, label: RedactLabel): Action;
}

/**
 * The checker's contract (log/verify.ts): every scenario says which of its events are facts about
 * messengers, what valley a messenger sent now crosses, which events record a rule broken on purpose,
 * and how its summary lines (a chosen value, an outcome) must agree with the facts. Required, so a
 * scenario without a checker does not compile.
 */
export interface Facts<State, Event> {
  /** What an event says about a messenger, if anything (sent with its fate, delivered, captured, …). */
  messenger(event: Event): MessengerFact | null;
  /** The game's seed and the valley's settings in force now: a new messenger's fate follows from them. */
  valley(state: State): { seed: number; settings: ValleySettings };
  /** A rule broken on purpose (free mode) that this event records, if any. */
  broken(event: Event): { seat: string; rule: string; evidence: Record<string, string | number> } | null;
  /** A summary line checked against the facts (state: just before and just after it); each disagreement, in words. */
  audit(before: State, event: Event, after: State): string[];
}

/** A neutral label for a piece of free text of a kind ('note', 'value'): equal texts get equal labels, distinct ones distinct. */
export type RedactLabel = (kind: string, text: string) => string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenario = Scenario<any, any, any, any, any, any>;
