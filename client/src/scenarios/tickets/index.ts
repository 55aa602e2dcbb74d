// Level 6 of the road on screen: the road's own screens, for the ticket protocol.
import { tickets } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const ticketsClient: RoadBundle = roadClient(tickets);
