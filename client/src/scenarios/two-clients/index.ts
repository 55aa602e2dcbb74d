// Level 3 of the road on screen: the road's own screens, for two clients and two servers.
import { twoClients } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const twoClientsClient: RoadBundle = roadClient(twoClients);
