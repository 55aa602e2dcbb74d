// Level 4 of the road on screen: the road's own screens, for clients, the serializer and the servers.
import { serializer } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const serializerClient: RoadBundle = roadClient(serializer);
