// Level 2 of the road on screen: the road's own screens, for the client and server with acknowledgements.
import { acks } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const acksClient: RoadBundle = roadClient(acks);
