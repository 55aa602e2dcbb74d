// Ballots (the seed's "tickets"): unique and totally ordered — by round, then by proposer — and
// printed as round.proposer, e.g. 3.B.

export interface Ballot {
  round: number;
  proposer: string;
}

export const MAX_ROUND = 9999;

export function compareBallots(a: Ballot | null, b: Ballot | null): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  return a.round - b.round || (a.proposer < b.proposer ? -1 : a.proposer > b.proposer ? 1 : 0);
}

export const sameBallot = (a: Ballot | null, b: Ballot | null) => compareBallots(a, b) === 0;
export const showBallot = (b: Ballot | null): string => (b ? `${b.round}.${b.proposer}` : '—');
