// Every scenario the game knows, by id.
import type { AnyScenario } from '../scenario.ts';
import { paxos } from './paxos/index.ts';
import { twoGenerals } from './two-generals/index.ts';

/** The one list of scenarios: every other registry (schemas, words, client screens) is typed against it. */
export const scenarios = {
  'two-generals': twoGenerals,
  paxos,
} satisfies Record<string, AnyScenario>;

export type ScenarioId = keyof typeof scenarios;
export const SCENARIO_IDS = Object.keys(scenarios) as ScenarioId[];

/** Whether a string names a registered scenario. */
export const isScenarioId = (id: string): id is ScenarioId => Object.hasOwn(scenarios, id);
