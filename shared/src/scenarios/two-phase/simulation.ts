// Level 5 in `npm run simulate`: bot tables, counted per failure.
import { roadSimulation } from '../../road/simulation.ts';
import { twoPhase } from './index.ts';

export const simulation = roadSimulation(twoPhase, 'Road 5 (two-phase)');
