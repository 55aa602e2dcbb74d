// What a level of the road is: a protocol over the shared model. The engine (engine.ts) turns one into
// a Scenario; the level says only what its seats may send and do, what they remember, and what its
// failures depend on (which seats progress needs, whether something must be decided).
import type { BotStep, Decision } from '../scenario.ts';
import type { Label } from '../diagram.ts';
import type { CoreEvent, FailureId, Instance, Messenger, Offer, Op, Role, RoadConfig, RoadState } from './model.ts';
import type { Ctx } from './ctx.ts';
import type { RoadView } from './view.ts';

/** Which seats progress needs: all of them, or a majority of them. */
export interface Need {
  seats: string[];
  kind: 'all' | 'majority';
}

export interface Protocol<C extends RoadConfig, P extends { type: string }, M, A extends { type: string }, X extends { type: string } = never> {
  readonly id: string;
  /** The level's own rule ids (the engine adds the ones every level shares). */
  readonly rules: Readonly<Record<string, string>>;
  readonly defaultConfig: C;
  /** The seats besides clients, servers and the valley (level 4's serializer). */
  extraSeats?(config: C): { seat: string; role: Role }[];
  /** The commands each client works through (levels 5 and 6: only the first). */
  script(config: C, client: string): Op[];
  /** What a seat remembers at the start. */
  initMem(seat: string, role: Role, config: C): M;
  /** A seat's own action, checked against the level's rules. The seat is alive and the game running. */
  decide(ctx: Ctx<C, P, M, X>, seat: string, role: Role, action: A): Decision<CoreEvent<P, M> | X>;
  /** Events of the level's own (a ticket stored, say). */
  apply?(state: RoadState<C, P, M>, event: X, at: number): RoadState<C, P, M>;
  /** The command instance a messenger carries, if any (a messenger still crossing keeps it from being lost). */
  carries(payload: P): Instance | null;
  /** A messenger in words. */
  payloadLabel(payload: P): Label;
  /** What this seat may do now, and for each messenger that reached it, what it may do with it. */
  offers(ctx: Ctx<C, P, M, X>, seat: string, role: Role): Offer<A>[];
  messageOffers(ctx: Ctx<C, P, M, X>, seat: string, role: Role, m: Messenger<P>): Offer<A>[];
  /** What a seat holds, in words (its lock, its T_max, …), for its screen and the host's card. */
  holds(state: RoadState<C, P, M>, seat: string, role: Role): Label[];
  /** The seats progress needs at this moment: with one of them down, the game is stuck. */
  needs(state: RoadState<C, P, M>): Need[];
  /** Whether the level must decide something (levels 5, 6): with nothing decided at the end, no-decision. */
  readonly decides: boolean;
  /**
   * A client that has finished its part without being done with its script: it learnt that another
   * client's command was chosen instead of its own, say. It no longer keeps the game from ending.
   */
  settled?(state: RoadState<C, P, M>, client: string): boolean;
  /** Command instances stored by a majority of servers (chosen), if the level has such a thing. */
  chosen?(state: RoadState<C, P, M>): Instance[];
  /**
   * What a seat of this level cannot know, taken out of its view before the seat (or its bot) sees it:
   * a number the level's messengers do not carry under these settings, say. The board keeps the truth.
   */
  conceal?(view: RoadView<P, M, A>, state: RoadState<C, P, M>): RoadView<P, M, A>;
  /** A bot playing this seat faithfully, flaw included, from its view only. */
  bot(view: RoadView<P, M, A>, at: number): BotStep<A>;
  /**
   * The failure this level exists to show, and the settings under which bots show it often: the
   * example log in examples/ and "Show the failure" find a seed where it happens.
   */
  readonly showcase: {
    failure: FailureId;
    config: Partial<C>;
    /** A seat the showcase's scripted valley crashes (for good) this long after the start: for a failure that needs a crash. */
    crash?: { seat: string; atMs: number };
  };
  /** The level a class plays after this one. */
  readonly next?: string;
  /** Whether students play the servers (levels 5, 6); otherwise bots do, shown on the projector. */
  readonly studentServers?: boolean;
  /** Level-specific events that mark a seat's lane in the diagram. */
  mark?(event: X): { seat: string; label: Label } | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, any, any, any, any>;
