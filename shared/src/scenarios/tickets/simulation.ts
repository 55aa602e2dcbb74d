// Level 6 in `npm run simulate`: bot tables, counted per failure (`--set paxos=true` for the fix).
import { roadSimulation } from '../../road/simulation.ts';
import { tickets } from './index.ts';

export const simulation = roadSimulation(tickets, 'Road 6 (tickets)');
