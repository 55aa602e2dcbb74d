// How a seat reads on screen, whatever the scenario: its client bundle says.
import { bundleOf } from '../scenarios/index.ts';

export const seatLabel = (scenario: string, seat: string): string => bundleOf(scenario).seatLabel(seat);
