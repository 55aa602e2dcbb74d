// Bots for every Paxos seat. They play correctly from their own view, through the same rules:
// an acceptor answers each Prepare and Accept as the rules allow; a proposer prepares a fresh ballot,
// proposes the value its promises require once a majority has promised, and retries with a higher
// ballot when refused or when nothing comes back; a learner declares on a majority of Accepted.
import type { BotStep } from '../../scenario.ts';
import { compareBallots } from './ballot.ts';
import type { Action } from './model.ts';
import type { View } from './view.ts';

const BOT_VALUES: Record<string, string> = { A: 'dawn', B: 'noon', C: 'dusk' };

export function bot(v: View, at: number): BotStep<Action> {
  if (v.status !== 'running' || v.crashed) return { actions: [], wakeAt: null };
  switch (v.role) {
    case 'acceptor':
      return { actions: acceptorMoves(v), wakeAt: null };
    case 'learner':
      return { actions: learnerMoves(v), wakeAt: null };
    case 'valley':
      // A bot valley keeps its hands off: the seeded dice decide every fate.
      return { actions: [], wakeAt: null };
    case 'proposer':
      return proposerMoves(v, at);
  }
}

function acceptorMoves(v: View): Action[] {
  // One at a time: the next answer depends on the card this one changes.
  const next = v.inbox.find((m) => !m.answered && (m.payload.type === 'prepare' || m.payload.type === 'accept'));
  if (!next || !v.acceptor) return [];
  const p = next.payload;
  if (p.type === 'prepare') return [compareBallots(p.ballot, v.acceptor.promised) > 0 ? { type: 'promise', n: next.n } : { type: 'refuse', n: next.n }];
  if (p.type === 'accept') return [compareBallots(p.ballot, v.acceptor.promised) >= 0 ? { type: 'acceptProposal', n: next.n } : { type: 'refuse', n: next.n }];
  return [];
}

function learnerMoves(v: View): Action[] {
  if (v.declared) return [];
  const won = v.tally.find((t) => t.acceptors.length >= v.quorum);
  return won ? [{ type: 'declare', value: won.value }] : [];
}

function proposerMoves(v: View, at: number): BotStep<Action> {
  const current = v.ballots[0];
  // Once a majority has accepted our proposal the value is chosen and we know it. With no learners
  // to tell, we are done; otherwise, if the game goes on (an Accepted to a learner was captured),
  // a new ballot makes the acceptors say it again — the promises force the same value (P2c).
  if (current && current.accepted.length >= v.quorum && v.seats.learners.length === 0) return { actions: [], wakeAt: null };
  // Patience grows with the proposer's letter, so two bots that collide drift apart (a duel ends).
  const patience = (v.config.delayMaxMs * (v.config.slowMotion ?? 1) * 2 + 500) * (1 + v.seats.proposers.indexOf(v.seat) * 0.6);
  const highestSeen = Math.max(v.round, ...v.inbox.flatMap((m) => (m.payload.type === 'nack' && m.payload.promised ? [m.payload.promised.round] : [])));
  const fresh = (): Action => ({ type: 'prepare', round: highestSeen + 1, to: v.seats.acceptors });
  if (!current) return { actions: [fresh()], wakeAt: at + patience };
  const lastSent = v.outbox.at(-1)?.sentAt ?? at;
  const refused = current.nacks.some((n) => compareBallots(n.promised, current.ballot) > 0);
  if (current.promises.length >= v.quorum && current.acceptSent === null) {
    const value = current.required?.value ?? BOT_VALUES[v.seat] ?? 'dawn';
    return { actions: [{ type: 'accept', round: current.ballot.round, value, to: v.seats.acceptors }], wakeAt: at + patience };
  }
  if (refused || at >= lastSent + patience) return { actions: [fresh()], wakeAt: at + patience };
  return { actions: [], wakeAt: lastSent + patience };
}
