// Level 3 in `npm run simulate`: bot tables, counted per failure.
import { roadSimulation } from '../../road/simulation.ts';
import { twoClients } from './index.ts';

export const simulation = roadSimulation(twoClients, 'Road 3 (two clients)');
