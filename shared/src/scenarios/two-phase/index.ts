// Level 5 of the road, the two-phase protocol, as a Scenario.
import { roadScenario } from '../../road/engine.ts';
import { protocol } from './protocol.ts';

export const twoPhase = roadScenario(protocol);
export * from './protocol.ts';
