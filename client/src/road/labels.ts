// A road seat's name on screen, from its id: clients C1–C3, servers S1–S3, the serializer Z, the valley V.
import { road } from '@valley/shared';
import { say, t } from '../i18n/index.ts';

export const seatLabel = (seat: string): string => say(road.roadSeatLabel(seat));

export const seatInSentence = (seat: string): string => (seat === 'V' ? t('road.role.valley.inSentence') : seatLabel(seat));

export const roleClass = (seat: string) =>
  seat === 'V' ? 'role-valley' : seat === 'Z' ? 'role-serializer' : seat.startsWith('C') ? 'role-client' : 'role-server';
