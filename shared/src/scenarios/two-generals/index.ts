// Two Generals as a Scenario: the object the server, bots, client and replay use.
import type { Scenario } from '../../scenario.ts';
import { bot } from './bot.ts';
import { diagram } from './diagram.ts';
import { facts } from './facts.ts';
import { redact, redactAction } from './redact.ts';
import { type Action, type Config, type Event, type State, VALLEY, defaultConfig, isGeneral, seatsOf } from './model.ts';
import { RULES, apply, audience, control, decide, due, init, tick } from './rules.ts';
import { type ValleyView, type Verdict, type View, decisions, summary, valleyView, verdict, view } from './view.ts';

export const twoGenerals: Scenario<Config, State, Action, Event, View | ValleyView, Verdict> = {
  id: 'two-generals',
  // Where the road begins: the same valley, now between a client and a server.
  next: 'naive',
  rules: RULES,
  seatsFor: seatsOf,
  // A table's valley seat, if it has one, is the game's: settings changed later do not add or take it away.
  fitConfig: (config, seats) => {
    const valley = seats.includes(VALLEY);
    return valley === (config.valley === true) ? config : { ...config, valley };
  },
  defaultConfig,
  init,
  decide,
  apply,
  control,
  due,
  tick,
  view: (state, seat) => {
    if (seat === VALLEY && state.config.valley) return valleyView(state);
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
  // A bot at the valley seat lets every messenger cross as the seeded valley decides.
  bot: (v, at) => (v.seat === VALLEY ? { actions: [], wakeAt: null } : bot(v, at)),
  redact,
  redactAction,
};

export * from './model.ts';
export { knowledge, chainDepths, type Rung } from './knowledge.ts';
export { RULES as TG_RULES, knownTimes, outcomeOf } from './rules.ts';
export type { View as TGView, ValleyView as TGValleyView, Verdict as TGVerdict, Debrief, SentView, ReceivedView } from './view.ts';
export { BOT_PLAN } from './bot.ts';
export { payloadLabel } from './diagram.ts';
export { whyOutcome, who, type OutcomeFacts } from './explain.ts';
