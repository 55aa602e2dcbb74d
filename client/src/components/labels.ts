// How seats, ballots and messengers read on screen, for every scenario.
import { px } from '@valley/shared';
import { t, type Key } from '../i18n/index.ts';

export function seatLabel(scenario: string, seat: string): string {
  if (scenario === 'paxos') {
    const role = px.roleOf(seat);
    if (role === 'valley') return t('role.valley');
    return role ? t(`role.${role}` as Key, { seat }) : seat;
  }
  return t(`seat.${seat}` as Key);
}

export const ballot = (b: px.Ballot | null) => (b ? px.showBallot(b) : t('px.card.none'));

export function proposal(p: px.Proposal | null): string {
  return p ? `${p.value} @ ${px.showBallot(p.ballot)}` : t('px.ballot.none');
}

export function paxosPayload(p: px.Payload): string {
  switch (p.type) {
    case 'prepare':
      return t('px.msg.prepare', { ballot: ballot(p.ballot) });
    case 'promise':
      return t('px.msg.promise', { ballot: ballot(p.ballot), accepted: proposal(p.accepted) });
    case 'nack':
      return t('px.msg.nack', { ballot: ballot(p.ballot), promised: ballot(p.promised) });
    case 'accept':
      return t('px.msg.accept', { ballot: ballot(p.ballot), value: p.value });
    case 'accepted':
      return t('px.msg.accepted', { ballot: ballot(p.ballot), value: p.value });
  }
}
