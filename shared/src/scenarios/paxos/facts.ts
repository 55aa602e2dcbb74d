// What the log checker reads of a Paxos game: messengers as the valley's facts, rules broken on
// purpose in free mode, and the valueChosen summary line held against the acceptances it summarises.
import type { Facts } from '../../scenario.ts';
import { messengerFact } from '../../valley.ts';
import { sameBallot, showBallot } from './ballot.ts';
import { proposalKey } from './common.ts';
import { type Event, type State, quorum } from './model.ts';

export const facts: Facts<State, Event> = {
  messenger: messengerFact,
  valley: (state) => ({ seed: state.seed, settings: state.config }),
  broken: (e) => (e.type === 'ruleBroken' ? { seat: e.seat, rule: e.rule, evidence: e.evidence } : null),
  audit(_before, e, after) {
    if (e.type !== 'valueChosen') return [];
    // A value is chosen when a majority of acceptors accepted one (ballot, value), counted from their
    // acceptances: a line that says so without them is a false summary.
    if (after.chosen.some((c) => sameBallot(c.ballot, e.ballot) && c.value === e.value)) return [];
    const count = after.acceptances[proposalKey(e.ballot, e.value)]?.acceptors.length ?? 0;
    return [
      `says ${e.value} was chosen at ${showBallot(e.ballot)}, but ${count} of ${after.config.acceptors} acceptors accepted it (${quorum(after.config)} needed)`,
    ];
  },
};
