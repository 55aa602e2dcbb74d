// Level 4 in `npm run simulate`: bot tables, counted per failure (--crashes makes stuck happen).
import { roadSimulation } from '../../road/simulation.ts';
import { serializer } from './index.ts';

export const simulation = roadSimulation(serializer, 'Road 4 (serializer)');
