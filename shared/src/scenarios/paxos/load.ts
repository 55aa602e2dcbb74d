// Paxos in the load benchmark (`npm run bench`): its tables and settings there (one proposer, the
// acceptors, one learner), and its bot students as they play it.
import type { LoadMove, ScenarioLoad } from '../../load.ts';
import { compareBallots, showBallot, type Ballot } from './ballot.ts';
import { bot } from './bot.ts';
import { defaultConfig, type Action, type Config } from './model.ts';
import type { View } from './view.ts';

/** A messenger's key, the same for its sender (`move`) and its receiver (`arrivals`). */
const key = (game: string, from: string, to: string, type: string, ballot: string) => `${game}/${from}>${to}/${type}/${ballot}`;

export const load: ScenarioLoad<View, Config> = {
  prefix: 'P',
  settings: (seats) => {
    if (seats < 3) throw new Error(`a Paxos table of the bench has a proposer, a learner and acceptors: not ${seats} seats`);
    return { proposers: 1, acceptors: seats - 2, learners: 1, mode: 'strict', deadlineMs: 3_600_000, valley: false };
  },
  tables: {
    // 3 acceptors in a class; 5 in the lecture hall.
    class: { tables: 4, seats: 5 },
    hall: { tables: 3, seats: 7 },
  },
  replay: { ...defaultConfig, proposers: 2, acceptors: 3, learners: 1, captureRate: 0.2, deadlineMs: 600_000 },
  /**
   * As students play it: acceptors and learners do what the rules ask (the scenario's own bot); the
   * proposer prepares a fresh ballot, proposes once a majority promised, and starts over with a
   * higher ballot when refused or when nothing has come back for a while.
   */
  move(v, o): LoadMove | null {
    if (v.status !== 'running') return null;
    if (v.role === 'proposer') {
      const cur = v.ballots[0];
      const highest = Math.max(v.round, ...v.inbox.flatMap((m) => (m.payload.type === 'nack' && m.payload.promised ? [m.payload.promised.round] : [])));
      const prepare = () => ({
        action: { type: 'prepare', round: highest + 1, to: v.seats.acceptors },
        keys: v.seats.acceptors.map((a) => key(o.game, v.seat, a, 'prepare', `${highest + 1}.${v.seat}`)),
      });
      if (!cur) return prepare();
      if (cur.promises.length >= v.quorum && cur.acceptSent === null) {
        const value = cur.required?.value ?? 'dawn';
        return {
          action: { type: 'accept', round: cur.ballot.round, value, to: v.seats.acceptors },
          keys: v.seats.acceptors.map((a) => key(o.game, v.seat, a, 'accept', cur.label)),
        };
      }
      const refused = cur.nacks.some((n) => compareBallots(n.promised, cur.ballot) > 0);
      if (refused || o.sinceLastActMs > 5000) return prepare();
      return null;
    }
    const step = bot(v, o.now);
    const action = step.actions[0] as Action | undefined;
    if (!action) return null;
    if (action.type === 'promise' || action.type === 'refuse' || action.type === 'acceptProposal') {
      const m = v.inbox.find((x) => x.n === action.n)!;
      const ballot = (m.payload as { ballot: Ballot }).ballot;
      const label = showBallot(ballot);
      const type = action.type === 'promise' ? 'promise' : action.type === 'refuse' ? 'nack' : 'accepted';
      const to = action.type === 'acceptProposal' ? [ballot.proposer, ...v.seats.learners] : [ballot.proposer];
      return { action, keys: to.map((t) => key(o.game, v.seat, t, type, label)) };
    }
    return { action, keys: [] };
  },
  arrivals(v, game, isNew) {
    const keys: string[] = [];
    for (const m of v.inbox) if (isNew(m.n)) keys.push(key(game, m.from, v.seat, m.payload.type, showBallot(m.payload.ballot)));
    return keys;
  },
};
