// Two Generals as a Scenario: the object the server, bots, client and replay use.
import type { Scenario } from '../../scenario.ts';
import { bot } from './bot.ts';
import { diagram } from './diagram.ts';
import { facts } from './facts.ts';
import { redact, redactAction } from './redact.ts';
import { type Action, type Config, type Event, type State, SEATS, defaultConfig, isGeneral } from './model.ts';
import { RULES, apply, audience, control, decide, due, init, tick } from './rules.ts';
import { type Verdict, type View, decisions, summary, verdict, view } from './view.ts';

export const twoGenerals: Scenario<Config, State, Action, Event, View, Verdict> = {
  id: 'two-generals',
  // Where the road begins: the same valley, now between a client and a server.
  next: 'naive',
  rules: RULES,
  seatsFor: () => [...SEATS],
  fitConfig: (config) => config,
  defaultConfig,
  init,
  decide,
  apply,
  control,
  due,
  tick,
  view: (state, seat) => {
    if (!isGeneral(seat)) throw new Error(`not a general: ${seat}`);
    return view(state, seat);
  },
  verdict,
  summary,
  decisions,
  diagram,
  ended: (s) => s.status === 'ended',
  audience,
  facts,
  bot,
  redact,
  redactAction,
};

export * from './model.ts';
export { knowledge, chainDepths, type Rung } from './knowledge.ts';
export { RULES as TG_RULES, knownTimes, outcomeOf } from './rules.ts';
export type { View as TGView, Verdict as TGVerdict, Debrief, SentView, ReceivedView } from './view.ts';
export { BOT_PLAN } from './bot.ts';
export { payloadLabel } from './diagram.ts';
export { whyOutcome, who, type OutcomeFacts } from './explain.ts';
