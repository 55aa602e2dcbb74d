// Level 6 of the road, the naive ticket protocol (and, with `paxos`, its three changes), as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const tickets = roadScenario(protocol);
export * from './protocol.ts';
