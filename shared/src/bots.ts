// One driver for the bots, used by the server and by simulate(): every seat it plays acts on what that
// seat sees until nobody has anything more to do at this moment. A seat whose world has not changed
// since it last looked (the scenario's attention, or a version number), and whose own timer is not
// due, is not asked again: it would decide the same nothing (this keeps thousands of games fast).
import type { AnyScenario, BotStep } from './scenario.ts';

/** Who plays a seat: the scenario's own bot, or another player (a rule-breaker in a test). */
export type BotPlayer = (view: unknown, at: number) => BotStep<unknown>;

export class BotDriver {
  private wakes = new Map<string, number>();
  private seen = new Map<string, number>();

  constructor(private sc: AnyScenario) {}

  /**
   * Play the seats at `now`, at most `rounds` rounds. `state()` is read afresh before every question;
   * `take` decides and applies one action against the state then, and says whether it went through.
   * `version()` stands in for the scenario's attention when it has none (anything that changes when
   * what a seat sees may have).
   */
  play(
    state: () => unknown,
    players: readonly (readonly [string, BotPlayer])[],
    now: number,
    take: (seat: string, action: unknown) => boolean,
    version: () => number,
    rounds = 50,
  ) {
    for (let round = 0; round < rounds; round++) {
      let acted = false;
      for (const [seat, player] of players) {
        const s = state();
        if (this.sc.ended(s)) return;
        const wake = this.wakes.get(seat);
        const look = this.sc.attention ? this.sc.attention(s, seat) : version();
        if (this.seen.get(seat) === look && (wake === undefined || wake > now)) continue;
        this.seen.set(seat, look);
        const step = player(this.sc.view(s, seat), now);
        if (step.wakeAt !== null) this.wakes.set(seat, step.wakeAt);
        else this.wakes.delete(seat);
        for (const action of step.actions) if (take(seat, action)) acted = true;
      }
      if (!acted) return;
    }
  }

  /** When this seat's player wants to be asked again even if nothing reaches it, if ever. */
  wakeOf(seat: string): number | undefined {
    return this.wakes.get(seat);
  }

  /** Every wake-up still to come after `now`. */
  wakesAfter(now: number): number[] {
    return [...this.wakes.values()].filter((w) => w > now);
  }

  /** Ask this seat again next time whatever it sees (its last move could not be made). */
  forget(seat: string) {
    this.seen.delete(seat);
  }
}
