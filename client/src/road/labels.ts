// A road seat's name on screen, from its id: clients C1–C3, servers S1–S3, the serializer Z, the valley V.
import { t } from '../i18n/index.ts';

export function seatLabel(seat: string): string {
  if (seat === 'V') return t('road.role.valley');
  if (seat === 'Z') return t('road.role.serializer', { seat });
  return t(seat.startsWith('C') ? 'road.role.client' : 'road.role.server', { seat });
}

export const seatInSentence = (seat: string): string => (seat === 'V' ? t('road.role.valley.inSentence') : seatLabel(seat));

export const roleClass = (seat: string) =>
  seat === 'V' ? 'role-valley' : seat === 'Z' ? 'role-serializer' : seat.startsWith('C') ? 'role-client' : 'role-server';
