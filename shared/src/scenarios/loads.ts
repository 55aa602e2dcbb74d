// Every scenario's part in the load benchmark (`npm run bench`), by id. Optional: a scenario without
// a load piece is left out of the bench's loads (the hall's mix among them). The bench seats its
// tables, and the replay benchmark's log deals them out, in this order.
import type { ScenarioLoad } from '../load.ts';
import type { ScenarioId } from './index.ts';
import { load as paxos } from './paxos/load.ts';
import { load as twoGenerals } from './two-generals/load.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenarioLoad = ScenarioLoad<any, any>;

export const scenarioLoads: Partial<Record<ScenarioId, AnyScenarioLoad>> = {
  paxos,
  'two-generals': twoGenerals,
};
