// Paxos explained in words from the game's primary facts (the messengers sent and delivered, each
// acceptor's acceptances), never from the `valueChosen` summary line: why each chosen value was the one chosen,
// and each rule broken in free mode said of the seat that broke it (the rule's own entry speaks to
// the student who tried it: "you must propose …").
import type { Label } from '../../diagram.ts';
import { compareBallots, sameBallot, showBallot, type Ballot } from './ballot.ts';
import { requiredValue } from './proposer.ts';
import { type Messenger, type Proposal, type State, quorum } from './model.ts';

const label = (key: string, params: Record<string, string | number> = {}): Label => ({ key, params });

/** The promises for `ballot` that had reached its proposer when it sent `accept`: what Phase 2a could read. */
function promisesBefore(state: State, ballot: Ballot, accept: Messenger): { from: string; accepted: Proposal | null }[] {
  const seen = new Map<string, Proposal | null>();
  for (const m of state.messengers) {
    if (m.to !== ballot.proposer || m.payload.type !== 'promise' || m.status !== 'delivered' || m.endsAt > accept.sentAt) continue;
    if (sameBallot(m.payload.ballot, ballot) && !seen.has(m.from)) seen.set(m.from, m.payload.accepted);
  }
  return [...seen].map(([from, accepted]) => ({ from, accepted }));
}

/** The proposals a majority of acceptors accepted, from the acceptors' own `accepted` facts, in ballot order. */
function chosenProposals(state: State): { ballot: Ballot; value: string; acceptors: string[] }[] {
  const needed = quorum(state.config);
  return Object.values(state.acceptances)
    .filter((a) => a.acceptors.length >= needed)
    .sort((a, b) => compareBallots(a.ballot, b.ballot));
}

/**
 * Why the value was the one chosen, a few lines per chosen proposal: which proposer's ballot a majority
 * accepted, and what its promises made it carry — an earlier accepted value (P2c), or none, so its own.
 * With two values chosen, the lines show where the second one slipped past the rule.
 */
export function whyChosen(state: State): Label[] {
  const lines: Label[] = [];
  const n = state.config.acceptors;
  for (const p of chosenProposals(state)) {
    const b = showBallot(p.ballot);
    const by = [...p.acceptors].sort();
    lines.push(label('px.why.majority', { value: p.value, ballot: b, proposer: p.ballot.proposer, acceptors: by.join(', '), k: by.length, n }));
    const accept = state.messengers.find((m) => m.from === p.ballot.proposer && m.payload.type === 'accept' && sameBallot(m.payload.ballot, p.ballot));
    if (!accept) continue;
    const promises = promisesBefore(state, p.ballot, accept);
    if (promises.length < quorum(state.config)) {
      lines.push(label('px.why.noMajority', { proposer: p.ballot.proposer, ballot: b, k: promises.length, q: quorum(state.config) }));
    }
    const required = requiredValue(promises);
    const from = promises.filter((x) => x.accepted && required && sameBallot(x.accepted.ballot, required.ballot)).map((x) => x.from);
    if (!required)
      lines.push(label('px.why.free', { proposer: p.ballot.proposer, ballot: b, value: p.value, promisers: promises.map((x) => x.from).join(', ') }));
    else if (required.value === p.value)
      lines.push(label('px.why.carried', { proposer: p.ballot.proposer, value: p.value, earlier: showBallot(required.ballot), from: from.join(', ') }));
    else
      lines.push(
        label('px.why.ignored', {
          proposer: p.ballot.proposer,
          value: p.value,
          required: required.value,
          earlier: showBallot(required.ballot),
          from: from.join(', '),
        }),
      );
  }
  return lines;
}

/** A rule broken in free mode, said of the seat that broke it, with its evidence. */
export function brokenLabel(b: State['broken'][number]): Label {
  return label(`px.broke.${b.rule}`, { seat: b.seat, ...b.evidence });
}
