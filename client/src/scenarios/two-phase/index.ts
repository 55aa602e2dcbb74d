// Level 5 of the road on screen: the road's own screens, for the two-phase protocol.
import { twoPhase } from '@valley/shared';
import { roadClient, type RoadBundle } from '../../road/bundle.tsx';

export const twoPhaseClient: RoadBundle = roadClient(twoPhase);
