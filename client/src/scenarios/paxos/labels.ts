// How Paxos seats, ballots, proposals and messengers read on screen.
import { px } from '@valley/shared';
import { say, t } from '../../i18n/index.ts';

export const seatLabel = (seat: string): string => say(px.seatLabel(seat));

export const seatInSentence = (seat: string): string => (seat === 'V' ? t('role.valley.inSentence') : seatLabel(seat));

export const ballot = (b: px.Ballot | null) => (b ? px.showBallot(b) : t('px.card.none'));

export function proposal(p: px.Proposal | null): string {
  return p ? `${p.value} @ ${px.showBallot(p.ballot)}` : t('px.ballot.none');
}

export const paxosPayload = (p: px.Payload): string => say(px.payloadLabel(p));
