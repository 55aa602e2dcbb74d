// Level 1 of the road, the naive client and server, as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const naive = roadScenario(protocol);
export * from './protocol.ts';
