// The learner's step: declare a value chosen only on Accepted(b, v) from a majority of acceptors for one b.
import { refuse } from '../../scenario.ts';
import { showBallot } from './ballot.ts';
import { RULES, rule, type Ruling } from './common.ts';
import { checkValue } from './checks.ts';
import { type Event, type State, quorum } from './model.ts';

/** For each ballot, the distinct acceptors whose Accepted(b, v) reached `seat`. */
export function acceptedTally(state: State, seat: string): { ballot: string; value: string; acceptors: string[] }[] {
  const tally = new Map<string, { ballot: string; value: string; acceptors: string[] }>();
  for (const m of state.messengers) {
    if (m.to !== seat || m.status !== 'delivered' || m.payload.type !== 'accepted') continue;
    const key = `${showBallot(m.payload.ballot)}|${m.payload.value}`;
    const t = tally.get(key) ?? { ballot: showBallot(m.payload.ballot), value: m.payload.value, acceptors: [] };
    if (!t.acceptors.includes(m.from)) t.acceptors.push(m.from);
    tally.set(key, t);
  }
  return [...tally.values()];
}

export function declare(state: State, seat: string, value: string): Ruling {
  const bad = checkValue(value);
  if (bad) return bad;
  if (state.declared[seat]) return refuse(RULES.alreadyDeclared, { value: state.declared[seat].value });
  const needed = quorum(state.config);
  const best = Math.max(
    0,
    ...acceptedTally(state, seat)
      .filter((t) => t.value === value)
      .map((t) => t.acceptors.length),
  );
  const r = rule(state, seat, best >= needed, RULES.declareWithoutMajority, { value, count: best, needed });
  if (!r.ok) return { ok: false, refusal: r.refusal };
  const events: Event[] = [...r.broken, { type: 'declared', learner: seat, value }];
  // The game ends once every learner has declared.
  if (Object.keys(state.declared).length + 1 >= state.config.learners) events.push({ type: 'gameEnded', reason: 'allDeclared' });
  return { ok: true, events };
}
