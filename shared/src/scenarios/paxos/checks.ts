// Shape checks that hold in every mode (they are not protocol rules a student may break on purpose).
import { refuse } from '../../scenario.ts';
import { MAX_ROUND } from './ballot.ts';
import { RULES } from './common.ts';
import { type State, VALUE_MAX, roleOf } from './model.ts';

export const MAX_ROUND_OK = (round: number) => Number.isInteger(round) && round >= 1 && round <= MAX_ROUND;

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;

export function checkValue(value: string) {
  const v = value.trim();
  const len = [...v].length;
  if (len === 0 || len > VALUE_MAX || v !== value || INVISIBLE.test(v)) return refuse(RULES.badValue, { max: VALUE_MAX });
  return null;
}

/** Prepare and Accept go to acceptors of this table, at least one, each once. */
export function checkRecipients(state: State, to: string[]) {
  if (to.length === 0) return refuse(RULES.noRecipients);
  if (new Set(to).size !== to.length) return refuse(RULES.noRecipients);
  for (const seat of to) {
    if (roleOf(seat) !== 'acceptor' || !(seat in state.acceptors)) return refuse(RULES.notAnAcceptor, { seat });
  }
  return null;
}
