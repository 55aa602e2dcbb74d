// A seat of any road level: what it holds, what reached it, what it sent, and what it may do now — each
// offer exactly as the view gives it (the rules are the server's: a forbidden offer says why, refused in
// strict mode, flagged in free mode). The valley seat sees every crossing with its three hands.
import { useState } from 'preact/hooks';
import { road, type Label } from '@valley/shared';

const { REFLECTION_MAX } = road;
import { clock } from '../format.ts';
import { catalogues, say, t, type Key } from '../i18n/index.ts';
import { serverNow } from '../net.ts';
import { ErrorLine, useTick } from '../components/common.tsx';
import { SpaceTime } from '../components/SpaceTime.tsx';
import { MessengerTable, stoppedFate } from '../components/MessengerTable.tsx';
import { BoardView } from './Board.tsx';
import { seatLabel } from './labels.ts';

type View = road.RoadView<unknown, unknown, unknown>;

interface Props {
  view: View;
  table: string;
  act: (a: unknown) => Promise<boolean>;
  error: string | null;
}

export function OfferButton({ offer, act, mode }: { offer: road.Offer<unknown>; act: Props['act']; mode: View['mode'] }) {
  const refused = !offer.allowed && mode === 'strict';
  return (
    <span class="offer">
      <button type="button" class={offer.allowed ? (offer.primary ? 'primary' : '') : 'warn'} disabled={refused} onClick={() => void act(offer.action)}>
        {say(offer.label)}
      </button>
      {offer.why && (
        <span class={`small ${refused ? 'muted' : 'error'}`}>{mode === 'free' ? t('road.do.broken', { why: say(offer.why) }) : say(offer.why)}</span>
      )}
    </span>
  );
}

function Countdown({ view: v }: { view: View }) {
  useTick();
  const left = v.status === 'paused' && v.pausedAt !== null ? v.deadlineAt - v.pausedAt : v.deadlineAt - serverNow();
  return (
    <div class="countdown" role="timer" aria-live="off">
      <span class="small">{v.status === 'paused' ? t('game.paused') : t('road.deadline')}</span>
      <span class="count">{clock(left)}</span>
    </div>
  );
}

const labels = (ls: Label[]) => ls.map((l, i) => <li key={i}>{say(l)}</li>);

export function RoadSeat({ view: v, table, act, error }: Props) {
  return (
    <div class="road">
      <section class="seat-story">
        <div>
          <h1>
            <span class={`seat-badge role-${v.role}`}>{v.seat}</span> {seatLabel(v.seat)}
            <span class="muted small"> · {t('host.table', { id: table })}</span>
          </h1>
          <p>{t(`road.you.${v.role}` as Key, { seat: v.seat })}</p>
          <p class="muted">{t(`${v.scenario}.brief` as Key)}</p>
          {v.role === 'valley' && (
            <p class="mission">{t(`${v.scenario}.mission` in catalogues.en ? (`${v.scenario}.mission` as Key) : 'road.mission.valley')}</p>
          )}
        </div>
        {v.status !== 'ended' && <Countdown view={v} />}
      </section>
      {v.crashed && v.status !== 'ended' && (
        <p class="crashed-banner" role="status">
          {t('road.crashed')}
        </p>
      )}
      <ErrorLine text={error} />
      {v.status !== 'ended' && <Prediction view={v} act={act} />}
      {v.fix && (
        <section class="panel" role="status">
          <h2>{t('road.fix.title')}</h2>
          <p class="road-lesson">{say(v.fix)}</p>
        </section>
      )}
      {v.board ? (
        <section class="panel">
          <h2>{t('road.debrief.title')}</h2>
          <BoardView board={v.board} />
          {v.diagram && (
            <div class="road-diagram">
              <SpaceTime
                diagram={v.diagram}
                now={v.diagram.endedAt ?? v.diagram.startedAt}
                span={[v.diagram.startedAt, Math.max(v.diagram.endedAt ?? 0, v.diagram.startedAt + 5000)]}
              />
            </div>
          )}
          {`${v.scenario}.debrief` in catalogues.en && <p class="road-lesson">{t(`${v.scenario}.debrief` as Key)}</p>}
          <Reflection view={v} act={act} />
          <h3>{t('road.quiz.title')}</h3>
          <ol class="quiz">
            <li>{t(`${v.scenario}.quiz.1` as Key)}</li>
            <li>{t(`${v.scenario}.quiz.2` as Key)}</li>
          </ol>
        </section>
      ) : v.role === 'valley' ? (
        <ValleyHands view={v} act={act} />
      ) : (
        <div class="road-grid">
          <div class="seat-col">
            {v.script.length > 0 && (
              <section class="panel">
                <h2>{t('road.script.title')}</h2>
                <ol class="script">
                  {v.script.map((l, i) => (
                    <li key={i} class={`script-${l.state}`}>
                      <strong>{l.op.replace('*', '×')}</strong> <span class="small muted">{t(`road.script.${l.state}`)}</span>
                    </li>
                  ))}
                </ol>
              </section>
            )}
            {v.server && (
              <section class="panel">
                <p class="big">{t('road.x', { x: v.server.x })}</p>
                <h2>{t('road.executed.title')}</h2>
                {v.server.executed.length === 0 ? (
                  <p class="muted">{t('road.executed.none')}</p>
                ) : (
                  <ol>
                    {v.server.executed.map((e, i) => (
                      <li key={i}>{say(e.label)}</li>
                    ))}
                  </ol>
                )}
              </section>
            )}
            {v.holds.length > 0 && (
              <section class="panel">
                <ul class="plain">{labels(v.holds)}</ul>
              </section>
            )}
            <section class="panel" aria-labelledby="road-do">
              <h2 id="road-do">{t('road.do.title')}</h2>
              {v.offers.length === 0 ? (
                <p class="muted">{t(v.inbox.some((m) => m.offers.length > 0) ? 'road.do.inbox' : 'road.do.nothing')}</p>
              ) : (
                <div class="offers">
                  {v.offers.map((o, i) => (
                    <OfferButton key={i} offer={o} act={act} mode={v.mode} />
                  ))}
                </div>
              )}
            </section>
          </div>
          <section class="panel" aria-labelledby="road-inbox">
            <h2 id="road-inbox">{t('road.inbox.title')}</h2>
            {v.inbox.length === 0 && <p class="muted">{t('road.inbox.empty')}</p>}
            <ul class="plain inbox">
              {[...v.inbox].reverse().map((m) => (
                <li key={m.n} class={m.handled ? 'handled' : 'fresh'}>
                  <span class="small muted">{t('road.msg.from', { n: m.n, seat: m.from })}</span> {say(m.label)}
                  {m.handled && <span class="small muted"> · {t('road.inbox.handled')}</span>}
                  {m.offers.length > 0 && (
                    <div class="offers">
                      {m.offers.map((o, i) => (
                        <OfferButton key={i} offer={o} act={act} mode={v.mode} />
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="road-sent">
            <h2 id="road-sent">{t('road.sent.title')}</h2>
            {v.sent.length === 0 && <p class="muted">{t('road.sent.none')}</p>}
            <ul class="plain">
              {[...v.sent].reverse().map((m) => (
                <li key={m.n}>
                  <span class="small muted">{t('road.msg.to', { n: m.n, seat: m.to })}</span> {say(m.label)}
                  <div class="small muted">{t('road.sent.unknown')}</div>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </div>
  );
}

/** Before play, one tap: will the servers agree? (the guess is counted on the projector, with no names) */
function Prediction({ view: v, act }: { view: View; act: Props['act'] }) {
  if (v.prediction !== null) return <p class="muted small">{t('road.predict.yours', { answer: t(v.prediction ? 'road.predict.yes' : 'road.predict.no') })}</p>;
  return (
    <section class="panel predict" aria-labelledby="road-predict">
      <h2 id="road-predict">{t('road.predict.title')}</h2>
      <p>{t('road.predict.question')}</p>
      <div class="offers">
        <button type="button" onClick={() => void act({ type: 'predict', agree: true })}>
          {t('road.predict.yes')}
        </button>
        <button type="button" onClick={() => void act({ type: 'predict', agree: false })}>
          {t('road.predict.no')}
        </button>
      </div>
    </section>
  );
}

/** After the game: one line, "What would you change?" (the projector shows the class's lines, with no names). */
function Reflection({ view: v, act }: { view: View; act: Props['act'] }) {
  const [text, setText] = useState('');
  if (v.reflection !== null) return <p>{t('road.reflect.yours', { text: v.reflection })}</p>;
  if (!v.mayReflect) return null;
  return (
    <form
      class="reflect"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await act({ type: 'reflect', text })) setText('');
      }}
    >
      <label>
        <strong>{t('road.reflect.title')}</strong>
        <input
          name="reflection"
          maxLength={REFLECTION_MAX}
          placeholder={t('road.reflect.placeholder')}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary">
        {t('road.reflect.send')}
      </button>
    </form>
  );
}

function ValleyHands({ view: v, act }: { view: View; act: Props['act'] }) {
  useTick(500);
  return (
    <section class="panel">
      <h2>{t('road.valley.title')}</h2>
      {v.crossing.length === 0 ? (
        <p class="muted">{t('road.valley.none')}</p>
      ) : (
        <MessengerTable
          rows={v.crossing}
          fate={(m) => stoppedFate(m) ?? t(m.status === 'held' ? 'road.valley.held' : 'road.valley.crossing')}
          actions={(m) => m.offers.map((o, i) => <OfferButton key={i} offer={o} act={act} mode={v.mode} />)}
        />
      )}
    </section>
  );
}
