// What the log checker reads of a Two Generals game: messengers as the valley's facts, and the
// outcome the end line states held against the two decisions it follows from.
import type { Facts } from '../../scenario.ts';
import { messengerFact } from '../../valley.ts';
import type { Event, State } from './model.ts';

export const facts: Facts<State, Event> = {
  messenger: messengerFact,
  valley: (state) => ({ seed: state.seed, settings: state.config }),
  // Two Generals has no free mode: every rule is enforced.
  broken: () => null,
  audit(_before, e, after) {
    if (e.type !== 'gameEnded' || e.outcome === after.outcome) return [];
    return [`says the game ended in ${e.outcome}, but the decisions make it ${after.outcome}`];
  },
};
