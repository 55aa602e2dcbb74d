// Players that break Paxos's rules on purpose, for free-mode demos, the headless simulator and tests:
// they give the safety checker something to find.
import type { Action } from './model.ts';
import type { View } from './view.ts';

/**
 * An acceptor that forgets its promises (as if it had no stable storage): it promises every Prepare,
 * even one lower than it promised, and accepts every Accept. In strict mode the rules refuse it.
 */
export function forgetfulAcceptor(view: unknown): { actions: Action[]; wakeAt: null } {
  const v = view as View;
  if (v.status !== 'running' || v.crashed || v.role !== 'acceptor') return { actions: [], wakeAt: null };
  const actions = v.inbox.flatMap((m): Action[] => {
    if (m.answered) return [];
    if (m.payload.type === 'prepare') return [{ type: 'promise', n: m.n }];
    if (m.payload.type === 'accept') return [{ type: 'acceptProposal', n: m.n }];
    return [];
  });
  return { actions, wakeAt: null };
}
