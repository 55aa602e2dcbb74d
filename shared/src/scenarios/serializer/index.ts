// Level 4 of the road, state replication with a serializer, as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const serializer = roadScenario(protocol);
export * from './protocol.ts';
