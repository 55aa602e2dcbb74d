// Level 3 of the road, two clients and two servers, as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const twoClients = roadScenario(protocol);
export * from './protocol.ts';
