// Single-decree Paxos as a Scenario.
import type { Scenario } from '../../scenario.ts';
import { bot } from './bot.ts';
import { diagram } from './diagram.ts';
import { RULES } from './common.ts';
import { facts } from './facts.ts';
import { redact, redactAction } from './redact.ts';
import { type Action, type Config, type Event, type State, defaultConfig, roleOf, seatLabel } from './model.ts';
import { allSeats, apply, attention, audience, control, decide, due, init, safety, tick } from './rules.ts';
import { type Verdict, type View, decisions, summary, verdict, view } from './view.ts';

export const paxos: Scenario<Config, State, Action, Event, View, Verdict> = {
  id: 'paxos',
  rules: RULES,
  seatsFor: (c) => allSeats(c),
  fitConfig: (c, seats) => ({
    ...c,
    proposers: seats.filter((s) => roleOf(s) === 'proposer').length,
    acceptors: seats.filter((s) => roleOf(s) === 'acceptor').length,
    learners: seats.filter((s) => roleOf(s) === 'learner').length,
    valley: seats.includes('V'),
  }),
  defaultConfig,
  init,
  decide,
  apply,
  control,
  due,
  tick,
  view: (state, seat) => {
    if (!roleOf(seat)) throw new Error(`not a Paxos seat: ${seat}`);
    return view(state, seat);
  },
  verdict,
  summary,
  seatLabel,
  decisions,
  diagram,
  ended: (s) => s.status === 'ended',
  attention,
  audience,
  facts,
  check: (s) => {
    const r = safety(s);
    return r.ok ? [] : [`two values chosen: ${r.first.value} (${r.first.ballot}) and ${r.second.value} (${r.second.ballot})`];
  },
  bot,
  redact,
  redactAction,
};

export * from './model.ts';
export * from './ballot.ts';
export { RULES as PAXOS_RULES } from './common.ts';
export { safety, type Safety } from './rules.ts';
export { payloadLabel } from './diagram.ts';
export { requiredValue, promisesFor } from './proposer.ts';
export { whyChosen, brokenLabel } from './explain.ts';
export { acceptBreaks, prepareBreaks } from './view.ts';
export type { View as PaxosView, Verdict as PaxosVerdict, BallotSummary, InboxItem, OutboxItem, Debrief as PaxosDebrief } from './view.ts';
