// Paxos on screen: the client bundle the pages use.
import { px } from '@valley/shared';
import type { ClientBundle } from '../bundle.ts';
import { SettingsForm, TableBody, TableSummary } from './host.tsx';
import { seatInSentence, seatLabel } from './labels.ts';
import { VerdictPanel, SeatLine, outcome } from './replay.tsx';
import { Results } from './results.tsx';
import { PaxosSeat } from './Seat.tsx';

export const paxosClient: ClientBundle<px.State, px.PaxosView, px.PaxosVerdict, px.Config, px.Action> = {
  seatLabel,
  seatInSentence,
  seatClass: (seat) => `role-${px.roleOf(seat)}`,
  Seat: PaxosSeat,
  wideCard: true,
  TableBody,
  TableSummary,
  SettingsForm,
  Results,
  outcome,
  SeatLine,
  VerdictPanel,
};
