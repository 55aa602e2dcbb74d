// Two Generals on screen: the client bundle the pages use.
import type { tg } from '@valley/shared';
import { t, type Key } from '../../i18n/index.ts';
import type { ClientBundle } from '../bundle.ts';
import { SettingsForm, TableBody, TableSummary } from './host.tsx';
import { VerdictPanel, SeatLine, outcome } from './replay.tsx';
import { Results } from './results.tsx';
import { TwoGeneralsSeat } from './Seat.tsx';

export const twoGeneralsClient: ClientBundle<tg.State, tg.TGView | tg.TGValleyView, tg.TGVerdict, tg.Config, tg.Action> = {
  seatLabel: (seat) => t(`seat.${seat}` as Key),
  seatClass: (seat) => (seat === 'V' ? 'role-valley' : ''),
  Seat: TwoGeneralsSeat,
  wideCard: false,
  TableBody,
  TableSummary,
  SettingsForm,
  Results,
  outcome,
  SeatLine,
  VerdictPanel,
};
