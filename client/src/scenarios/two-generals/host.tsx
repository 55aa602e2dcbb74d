// Two Generals on the host's console: a table card's body (counts, decisions, outcome), its summary
// off screen, and the settings form for new games.
import { tg } from '@valley/shared';
import type { GameControl } from '@valley/shared';
import { Hands, HeldAtEnd, MessengerTable } from '../../components/MessengerTable.tsx';
import { SettingsFrame, ValleyFields, ValleySeatFields, useSettings } from '../../components/Settings.tsx';
import { t, type Key } from '../../i18n/index.ts';
import { decisionText, outcomeText } from './Debrief.tsx';

const seatName = (s: string) => t(`seat.${s}` as Key);

export function TableBody({ state, control }: { state: tg.State; control: (c: GameControl) => Promise<boolean> }) {
  const count = (s: tg.MessengerStatus) => state.messengers.filter((m) => m.status === s).length;
  const live = state.status !== 'ended';
  // The host has the valley's hands too: a teacher can catch a messenger from the card.
  const crossing = state.messengers.filter((m) => m.status === 'inFlight' || m.status === 'held').map((m) => ({ ...m, label: tg.payloadLabel(m.payload) }));
  return (
    <>
      <p class="stats">
        {t('host.table.stats', { sent: state.messengers.length, delivered: count('delivered'), captured: count('captured'), inFlight: crossing.length })}
      </p>
      {live && crossing.length > 0 && (
        <div class="mini-messengers">
          <MessengerTable live rows={crossing} actions={(m) => <Hands row={m} act={control} />} />
        </div>
      )}
      {!live && <HeldAtEnd count={count('held')} />}
      <p class="decisions">
        {tg.SEATS.map((s) => {
          const d = state.decisions[s];
          return d ? decisionText(s, d) : t('host.table.undecided', { seat: seatName(s) });
        }).join(' · ')}
      </p>
      {state.outcome && <p class={`outcome-line outcome-${state.outcome}`}>{outcomeText(state.outcome, { A: state.decisions.A!, B: state.decisions.B! })}</p>}
    </>
  );
}

export function TableSummary({ verdict: v }: { verdict: tg.TGVerdict }) {
  return (
    <>
      <p class="stats">{t('host.table.summary', { sent: v.messengersSent, captured: v.captured })}</p>
      <HeldAtEnd count={v.heldAtEnd ?? 0} />
      {v.outcome && <p class={`outcome-line outcome-${v.outcome}`}>{t(`host.outcome.${v.outcome}` as Key)}</p>}
    </>
  );
}

export function SettingsForm({ settings, save }: { settings: tg.Config; save: (s: tg.Config) => Promise<boolean> }) {
  const f = useSettings(settings as tg.Config & Record<string, unknown>, save);
  return (
    <SettingsFrame f={f}>
      <ValleySeatFields f={f} />
      <ValleyFields f={f} />
      <label class="inline">
        {t('host.settings.botBudget')} <input type="number" min={tg.BOT_BUDGET.min} max={tg.BOT_BUDGET.max} {...f.num('botBudget', 1)} name="botBudget" />
      </label>
    </SettingsFrame>
  );
}
