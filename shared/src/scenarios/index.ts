// Every scenario the game knows, by id.
import type { AnyScenario } from '../scenario.ts';
import { paxos } from './paxos/index.ts';
import { twoGenerals } from './two-generals/index.ts';

export const scenarios: Record<string, AnyScenario> = {
  [twoGenerals.id]: twoGenerals,
  [paxos.id]: paxos,
};

export const SCENARIO_IDS = ['two-generals', 'paxos'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];
