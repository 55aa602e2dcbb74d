// Every scenario the game knows, by id.
import type { AnyScenario } from '../scenario.ts';
import { acks } from './acks/index.ts';
import { naive } from './naive/index.ts';
import { tickets } from './tickets/index.ts';
import { paxos } from './paxos/index.ts';
import { serializer } from './serializer/index.ts';
import { twoClients } from './two-clients/index.ts';
import { twoGenerals } from './two-generals/index.ts';
import { twoPhase } from './two-phase/index.ts';

/** The one list of scenarios: every other registry (schemas, words, client screens) is typed against it. */
export const scenarios = {
  // In the order a class walks them: Two Generals, the road's six levels, Paxos.
  'two-generals': twoGenerals,
  naive,
  acks,
  'two-clients': twoClients,
  serializer,
  'two-phase': twoPhase,
  tickets,
  paxos,
} satisfies Record<string, AnyScenario>;

export type ScenarioId = keyof typeof scenarios;
export const SCENARIO_IDS = Object.keys(scenarios) as ScenarioId[];

/**
 * Adds a scenario the build does not know (a test's fixture) to this registry; its schemas, words and
 * screens go to theirs (registerSchemas, registerWords, and the client's registerClient). The typed
 * registries above stay the way the product's own scenarios are named.
 */
export function registerScenario(sc: AnyScenario) {
  if (Object.hasOwn(scenarios, sc.id)) throw new Error(`scenario ${sc.id} is registered already`);
  (scenarios as Record<string, AnyScenario>)[sc.id] = sc;
  SCENARIO_IDS.push(sc.id as ScenarioId);
}

/** Whether a string names a registered scenario. */
export const isScenarioId = (id: string): id is ScenarioId => Object.hasOwn(scenarios, id);
