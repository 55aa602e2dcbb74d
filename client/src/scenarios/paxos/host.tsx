// Paxos on the host's console: a table card's body (the chosen marker, every acceptor's card, the
// valley by hand), its summary off screen, and the settings form for new tables.
import { useState } from 'preact/hooks';
import { px, type GameControl } from '@valley/shared';
import { Hands, HeldAtEnd, MessengerTable } from '../../components/MessengerTable.tsx';
import { SettingsFrame, ValleyFields, ValleySeatFields, useSettings } from '../../components/Settings.tsx';
import { clock } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { seatLabel } from './labels.ts';
import { AcceptorTable, WhyChosen, chosenText, paxosRows } from './Seat.tsx';
import { Star, TriangleAlert, Zap } from 'lucide-preact';

export function TableSummary({ verdict: v }: { verdict: px.PaxosVerdict }) {
  return (
    <>
      <p class={`chosen-marker ${v.chosen ? (v.safe ? 'is-chosen' : 'is-unsafe') : ''}`}>
        {v.chosen ? (
          v.safe ? (
            <>
              <Star /> {`${v.values.join(' / ')} (${v.chosenBallot})`}
            </>
          ) : (
            <>
              <TriangleAlert /> {t('host.px.broken')}
            </>
          )
        ) : (
          t('host.px.notChosen')
        )}
      </p>
      <p class="stats">{t('host.table.summary', { sent: v.messengersSent, captured: v.captured })}</p>
      <HeldAtEnd count={v.heldAtEnd ?? 0} />
    </>
  );
}

export function SettingsForm({ settings, save }: { settings: px.Config; save: (s: px.Config) => Promise<boolean> }) {
  const f = useSettings(settings as px.Config & Record<string, unknown>, save);
  return (
    <SettingsFrame f={f}>
      <fieldset class="shape">
        <legend>{t('host.px.shape')}</legend>
        <label class="inline">
          {t('host.px.proposers')} <input type="number" min={px.LIMITS.proposers[0]} max={px.LIMITS.proposers[1]} {...f.num('proposers', 1)} />
        </label>
        <label class="inline">
          {t('host.px.acceptors')} <input type="number" min={px.LIMITS.acceptors[0]} max={px.LIMITS.acceptors[1]} {...f.num('acceptors', 1)} />
        </label>
        <label class="inline">
          {t('host.px.learners')} <input type="number" min={px.LIMITS.learners[0]} max={px.LIMITS.learners[1]} {...f.num('learners', 1)} />
        </label>
      </fieldset>
      <ValleySeatFields f={f} />
      <label class="inline">
        {t('host.px.mode')}
        <select
          name="mode"
          value={f.s.mode}
          onChange={(e) => {
            f.setSaved(false);
            f.setS({ ...f.s, mode: e.currentTarget.value as px.Mode });
          }}
        >
          <option value="strict">{t('host.px.mode.strict')}</option>
          <option value="free">{t('host.px.mode.free')}</option>
        </select>
      </label>
      <ValleyFields f={f} />
    </SettingsFrame>
  );
}

/** A Paxos table for the class: the chosen marker, every acceptor's card, and the valley by hand. */
export function TableBody({ state, control }: { state: px.State; control: (c: GameControl) => Promise<boolean> }) {
  const [rate, setRate] = useState(Math.round(state.config.captureRate * 100));
  const live = state.status !== 'ended';
  const c = chosenText(state.chosen, px.safety(state));
  const first = state.chosen[0];
  const crossing = state.messengers.filter((m) => m.status === 'inFlight' || m.status === 'held');
  const count = (s: px.MessengerStatus) => state.messengers.filter((m) => m.status === s).length;
  return (
    <>
      <p class={`chosen-marker ${first ? (c.safe ? 'is-chosen' : 'is-unsafe') : ''}`} role="status">
        {first
          ? c.safe
            ? [<Star key="icon" />, ' ', t('host.px.chosen', { value: first.value, ballot: px.showBallot(first.ballot), t: clock(first.at - state.startedAt) })]
            : [<TriangleAlert key="icon" />, ' ', c.safety]
          : t('host.px.notChosen')}
      </p>
      <p class="muted small">{t(state.config.mode === 'strict' ? 'px.mode.strict' : 'px.mode.free')}</p>
      {/* In words on the card, not only in the diagram's tooltip: how the value came to be chosen, and who broke which rule. */}
      <WhyChosen compact why={px.whyChosen(state)} broken={state.broken} />
      <AcceptorTable
        acceptors={state.acceptors}
        controls={(seat, a) =>
          live && (
            <button type="button" class="small-button" onClick={() => control({ type: a.crashed ? 'restart' : 'crash', seat })}>
              {a.crashed ? (
                t('host.px.restart')
              ) : (
                <>
                  <Zap /> {t('host.px.crash')}
                </>
              )}{' '}
              {seat}
            </button>
          )
        }
      />
      {Object.entries(state.declared).map(([seat, d]) => (
        <p key={seat} class="small">
          {t('host.px.declared', { seat: seatLabel(seat), value: d.value })}
        </p>
      ))}
      <p class="stats">
        {t('host.table.stats', { sent: state.messengers.length, delivered: count('delivered'), captured: count('captured'), inFlight: crossing.length })}
      </p>
      {!live && <HeldAtEnd count={crossing.filter((m) => m.status === 'held').length} />}
      {live && (
        <>
          <h4>{t('host.px.inFlight')}</h4>
          {crossing.length === 0 ? (
            <p class="muted small">{t('host.px.inFlight.empty')}</p>
          ) : (
            <div class="mini-messengers">
              <MessengerTable live rows={paxosRows(crossing)} actions={(m) => <Hands row={m} act={control} />} />
            </div>
          )}
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void control({ type: 'setCaptureRate', captureRate: rate / 100 });
            }}
          >
            <label class="inline">
              {t('host.px.captureRate')}{' '}
              <input type="number" name="rate" min={0} max={100} value={rate} onInput={(e) => setRate(Number(e.currentTarget.value))} /> %
            </label>
            <button type="submit" class="small-button">
              {t('host.px.setRate')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
