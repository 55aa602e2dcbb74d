// Level 1 in `npm run simulate`: bot tables, counted per failure.
import { roadSimulation } from '../../road/simulation.ts';
import { naive } from './index.ts';

export const simulation = roadSimulation(naive, 'Road 1 (naive)');
