// Every scenario's part in `npm run simulate`, by id: typed against the scenario registry, so a
// scenario without one does not compile.
import type { Simulation } from '../simulation.ts';
import type { ScenarioId } from './index.ts';
import { simulation as acks } from './acks/simulation.ts';
import { simulation as naive } from './naive/simulation.ts';
import { simulation as tickets } from './tickets/simulation.ts';
import { simulation as paxos } from './paxos/simulation.ts';
import { simulation as serializer } from './serializer/simulation.ts';
import { simulation as twoClients } from './two-clients/simulation.ts';
import { simulation as twoGenerals } from './two-generals/simulation.ts';
import { simulation as twoPhase } from './two-phase/simulation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const scenarioSimulations: Record<ScenarioId, Simulation<any, any>> = {
  'two-generals': twoGenerals,
  naive,
  serializer,
  'two-phase': twoPhase,
  tickets,
  acks,
  'two-clients': twoClients,
  paxos,
};

/** The simulation part of a scenario added with registerScenario (a test's fixture). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerSimulation(id: string, s: Simulation<any, any>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (scenarioSimulations as Record<string, Simulation<any, any>>)[id] = s;
}
