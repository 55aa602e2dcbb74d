// Level 1 of the road on screen: the road's own screens, for the naive client and server.
import { naive } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const naiveClient: RoadBundle = roadClient(naive);
