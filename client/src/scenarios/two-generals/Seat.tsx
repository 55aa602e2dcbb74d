// A general's screen: the story, the deadline, sending messengers, the inbox and outbox, the decision,
// and — once the game ends — the debrief with every messenger's fate and the knowledge ladder.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { tg } from '@valley/shared';
import { clock, percent } from '../../format.ts';
import { t, type Key } from '../../i18n/index.ts';
import { serverNow } from '../../net.ts';
import { ErrorLine, useTick } from '../../components/common.tsx';
import { Hands, MessengerTable } from '../../components/MessengerTable.tsx';
import { Debrief, describePayload } from './Debrief.tsx';
import { Check, Swords } from 'lucide-preact';

const seatName = (s: string) => t(`seat.${s}` as Key);

interface Props {
  view: tg.TGView | tg.TGValleyView;
  tablemates: Record<string, string>;
  table: string;
  act: (a: tg.Action) => Promise<boolean>;
  error: string | null;
}

export function TwoGeneralsSeat(p: Props) {
  return p.view.seat === 'V' ? <ValleySeat {...p} view={p.view} /> : <GeneralSeat {...p} view={p.view} />;
}

/**
 * What every seat at a Two Generals table shares: the badge and title, the seat's story, the countdown,
 * the error line, and the switch from playing to the debrief once the game has ended.
 */
function SeatFrame({
  view: v,
  table,
  error,
  badgeClass,
  story,
  children,
}: {
  view: tg.TGView | tg.TGValleyView;
  table: string;
  error: string | null;
  /** Extra classes on the seat's badge (the valley's own colour). */
  badgeClass?: string;
  story: ComponentChildren;
  /** The seat's play, shown until the debrief replaces it. */
  children: ComponentChildren;
}) {
  return (
    <div class="tg">
      <section class="seat-story">
        <div>
          <h1>
            <span class={`seat-badge seat-${v.seat}${badgeClass ? ` ${badgeClass}` : ''}`}>{v.seat}</span> {seatName(v.seat)}
            <span class="muted small"> · {t('host.table', { id: table })}</span>
          </h1>
          {story}
        </div>
        {v.status !== 'ended' && <Countdown view={v} />}
      </section>
      <ErrorLine text={error} />
      {v.debrief ? <Debrief view={v} /> : children}
    </div>
  );
}

/** The valley between the camps: every messenger crossing, with the valley's three moves on each. */
function ValleySeat({ view: v, table, act, error }: Props & { view: tg.TGValleyView }) {
  useTick(500);
  const running = v.status === 'running';
  const rows = v.crossing.map((m) => ({ ...m, label: tg.payloadLabel(m.payload) }));
  return (
    <SeatFrame view={v} table={table} error={error} badgeClass="role-valley" story={<p>{t('tg.story.V')}</p>}>
      <section class="panel">
        <h2>{t('valley.title')}</h2>
        {rows.length === 0 ? (
          <p class="muted">{t('valley.empty')}</p>
        ) : (
          <MessengerTable live rows={rows} actions={(m) => <Hands row={m} act={act} disabled={!running} />} />
        )}
      </section>
    </SeatFrame>
  );
}

function GeneralSeat({ view: v, tablemates, table, act, error }: Props & { view: tg.TGView }) {
  const other = v.seat === 'A' ? 'B' : 'A';
  const partner = tablemates[other];
  const story = (
    <>
      <p>{t(v.seat === 'A' ? 'tg.story.A' : 'tg.story.B')}</p>
      <p>
        {t('tg.story.valley', { rate: percent(v.config.captureRate) })}{' '}
        {partner && <strong>{t('lobby.partner', { name: partner === 'bot' ? t('seat.bot') : partner, seat: seatName(other) })}</strong>}
      </p>
    </>
  );
  return (
    <SeatFrame view={v} table={table} error={error} story={story}>
      <div class="seat-grid">
        <div class="seat-col">
          <Propose view={v} act={act} />
          <Note act={act} disabled={v.status !== 'running'} />
          <Decide view={v} act={act} />
        </div>
        <Inbox view={v} act={act} />
        <Outbox view={v} />
      </div>
    </SeatFrame>
  );
}

function Countdown({ view: v }: { view: Pick<tg.TGView, 'status' | 'pausedAt' | 'deadlineAt'> }) {
  useTick();
  const left = v.status === 'paused' && v.pausedAt !== null ? v.deadlineAt - v.pausedAt : v.deadlineAt - serverNow();
  return (
    <div class={`countdown ${left < 15_000 ? 'urgent' : ''}`} role="timer" aria-live="off">
      <span class="small">{v.status === 'paused' ? t('game.paused') : t('tg.deadline')}</span>
      <span class="count">{clock(left)}</span>
    </div>
  );
}

function Propose({ view: v, act }: { view: tg.TGView; act: Props['act'] }) {
  const [time, setTime] = useState(v.knownTimes[0] ?? 6);
  return (
    <section class="panel">
      <h2>{t('tg.propose.title')}</h2>
      <div class="row">
        <select aria-label={t('tg.propose.title')} value={time} onChange={(e) => setTime(Number(e.currentTarget.value))}>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>
              {tg.formatTime(h)}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="primary"
          disabled={v.status !== 'running'}
          onClick={() => act({ type: 'sendMessenger', payload: { type: 'proposal', time } })}
        >
          {t('tg.propose.send')}
        </button>
      </div>
      {v.proposeBlocked && <p class="hint">{t('tg.propose.waitB')}</p>}
    </section>
  );
}

function Note({ act, disabled }: { act: Props['act']; disabled: boolean }) {
  const [text, setText] = useState('');
  return (
    <section class="panel">
      <h2>{t('tg.note.title')}</h2>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await act({ type: 'sendMessenger', payload: { type: 'note', text } })) setText('');
        }}
      >
        <input
          aria-label={t('tg.note.title')}
          placeholder={t('tg.note.placeholder')}
          maxLength={tg.NOTE_MAX}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" disabled={disabled}>
          {t('tg.note.send')}
        </button>
      </form>
    </section>
  );
}

function Decide({ view: v, act }: { view: tg.TGView; act: Props['act'] }) {
  const [time, setTime] = useState<number | null>(null);
  const chosen = time ?? v.knownTimes.at(-1) ?? null;
  if (v.decision) {
    return (
      <section class="panel decided" aria-live="polite">
        <h2>{t('tg.decide.title')}</h2>
        <p class="big">{v.decision.type === 'attack' ? t('tg.decided.attack', { time: tg.formatTime(v.decision.time) }) : t('tg.decided.hold')}</p>
        <p class="muted">{t('tg.decided.wait')}</p>
      </section>
    );
  }
  return (
    <section class="panel decide">
      <h2>{t('tg.decide.title')}</h2>
      {v.knownTimes.length > 0 && chosen !== null ? (
        <div class="row">
          {v.knownTimes.length > 1 && (
            <select aria-label={t('tg.decide.title')} value={chosen} onChange={(e) => setTime(Number(e.currentTarget.value))}>
              {v.knownTimes.map((h) => (
                <option key={h} value={h}>
                  {tg.formatTime(h)}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            class="attack"
            disabled={v.status !== 'running'}
            onClick={() => act({ type: 'commit', decision: { type: 'attack', time: chosen } })}
          >
            <Swords /> {t('tg.decide.attack', { time: tg.formatTime(chosen) })}
          </button>
        </div>
      ) : (
        <p class="hint">{t('tg.decide.none')}</p>
      )}
      <button type="button" class="hold" disabled={v.status !== 'running'} onClick={() => act({ type: 'commit', decision: { type: 'hold' } })}>
        {t('tg.decide.hold')}
      </button>
      <p class="hint">{t('tg.decide.warning')}</p>
    </section>
  );
}

const since = (v: tg.TGView, at: number) => clock(at - v.startedAt);

function Inbox({ view: v, act }: { view: tg.TGView; act: Props['act'] }) {
  const acked = new Set(v.sent.flatMap((m) => (m.payload.type === 'ack' ? [m.payload.of] : [])));
  return (
    <section class="panel inbox" aria-live="polite">
      <h2>{t('tg.inbox.title')}</h2>
      {v.received.length === 0 && <p class="muted">{t('tg.inbox.empty')}</p>}
      <ol class="messages">
        {[...v.received].reverse().map((m) => (
          <li key={m.n} class="message received">
            <div class="message-head">
              <strong>{t('tg.msg.from', { n: m.n, seat: seatName(v.seat === 'A' ? 'B' : 'A') })}</strong>
              <span class="muted small">{t('msg.arrivedAt', { t: since(v, m.arrivedAt) })}</span>
            </div>
            <p>{describePayload(m.payload)}</p>
            {m.ackable && v.status === 'running' && (
              <button
                type="button"
                class={acked.has(m.n) ? 'small-button done' : 'small-button'}
                onClick={() => act({ type: 'sendMessenger', payload: { type: 'ack', of: m.n } })}
              >
                {acked.has(m.n) && <Check />}
                {t('tg.ack', { n: m.n })}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Outbox({ view: v }: { view: tg.TGView }) {
  return (
    <section class="panel outbox">
      <h2>{t('tg.outbox.title')}</h2>
      {v.sent.length === 0 && <p class="muted">{t('outbox.empty')}</p>}
      <ol class="messages">
        {[...v.sent].reverse().map((m) => (
          <li key={m.n} class={`message sent ${m.acknowledged ? 'is-acknowledged' : ''}`}>
            <div class="message-head">
              <strong>{t('tg.msg.to', { n: m.n, seat: seatName(v.seat === 'A' ? 'B' : 'A') })}</strong>
              <span class="muted small">{t('msg.sentAt', { t: since(v, m.sentAt) })}</span>
            </div>
            <p>{describePayload(m.payload)}</p>
            {m.acknowledged ? (
              <p class="acknowledged small">
                <span aria-hidden="true">✓ </span>
                {t('tg.outbox.acknowledged', { ack: m.acknowledged.n, t: since(v, m.acknowledged.at) })}
              </p>
            ) : (
              <p class="muted small">
                <span aria-hidden="true">? </span>
                {t('tg.outbox.unknown')}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
