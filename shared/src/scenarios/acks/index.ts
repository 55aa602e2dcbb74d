// Level 2 of the road, the client and server with acknowledgements, as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const acks = roadScenario(protocol);
export * from './protocol.ts';
