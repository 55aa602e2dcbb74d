// How a seat reads on screen, whatever the scenario: its client bundle says.
import { bundleOf } from '../scenarios/index.ts';

export const seatLabel = (scenario: string, seat: string): string => bundleOf(scenario).seatLabel(seat);

/** A seat's name inside a sentence ("You are the valley at table T1"). */
export const seatInSentence = (scenario: string, seat: string): string => {
  const b = bundleOf(scenario);
  return b.seatInSentence?.(seat) ?? b.seatLabel(seat);
};
