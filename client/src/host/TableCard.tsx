// One table on the console: its seats and who holds them, its live space-time diagram and the
// scenario's own card body while on screen (its summary off screen), and the game's controls.
import { useEffect, useRef } from 'preact/hooks';
import { STOP_LIMIT_MS, isScenarioId, scenarioOf, type GameControl, type GameStatus, type HostTable, type HostView, type ValleySettings } from '@valley/shared';
import { useTick } from '../components/common.tsx';
import { SpaceTime, compactAspect } from '../components/SpaceTime.tsx';
import { seatInSentence } from '../components/labels.ts';
import { bundleOf } from '../scenarios/index.ts';
import { clock } from '../format.ts';
import { t, type Key } from '../i18n/index.ts';
import { serverNow } from '../net.ts';
import { openFocus } from './focus.ts';
import { command } from './store.ts';
import { tellWatched, watchCards, watched } from './watch.ts';
import { Maximize2, Pause, Play, Square } from 'lucide-preact';

/** The valley this game crosses, when it is not the usual one: slow motion, and the valley seat stopping each messenger. */
function Pace({ valley: v, hasValleySeat }: { valley: ValleySettings; hasValleySeat: boolean }) {
  const k = v.slowMotion ?? 1;
  const stop = hasValleySeat && v.stopEach === true;
  if (k === 1 && !stop) return null;
  const s = (ms: number) => String(Math.round((ms * k) / 100) / 10);
  return (
    <p class="pace small">
      {k !== 1 && <span>{t('host.table.pace', { k, s: v.delayMinMs === v.delayMaxMs ? s(v.delayMinMs) : `${s(v.delayMinMs)}–${s(v.delayMaxMs)}` })}</span>}
      {k !== 1 && stop && ' · '}
      {stop && <span>{t('host.table.stopEach', { s: STOP_LIMIT_MS / 1000 })}</span>}
    </p>
  );
}

export function TableCard({ table: tb, players }: { table: HostTable; players: HostView['players'] }) {
  useTick(500);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const o = watchCards();
    o.observe(el);
    return () => {
      o.unobserve(el);
      if (watched.delete(tb.id)) tellWatched();
    };
  }, [tb.id]);
  const g = tb.game;
  // The whole game comes only while the card is on screen; off screen, its status and verdict.
  const state = (g?.state ?? undefined) as GameStatus | undefined;
  const status = g?.status ?? 'waiting';
  const busy = status === 'running' || status === 'paused';
  const control = (c: GameControl) => command({ type: 'controlGame', table: tb.id, control: c });
  const bundle = bundleOf(tb.scenario);
  // The level after this one, when the game has one and it is known here.
  const after = scenarioOf(tb.scenario).next;
  const next = after !== undefined && isScenarioId(after) ? after : undefined;
  return (
    <article ref={ref} data-table={tb.id} class={`table-card status-${status} ${bundle.wideCard ? 'wide' : ''}`} aria-label={t('host.table', { id: tb.id })}>
      <header>
        <h3>
          {t('host.table', { id: tb.id })} <span class="muted small">· {t(`scenario.${tb.scenario}` as Key)}</span>
        </h3>
        <span class="status">
          {status === 'running' && g ? t('host.table.running', { t: clock(g.deadlineAt - serverNow()) }) : t(`host.table.${status}` as Key)}
        </span>
        <button type="button" class="small-button focus-open" aria-label={t('host.focus.open', { id: tb.id })} onClick={() => openFocus(tb.id)}>
          <Maximize2 /> {t('host.focus')}
        </button>
      </header>
      {g?.valley && <Pace valley={g.valley} hasValleySeat={'V' in tb.seats} />}
      <div class="seats">
        {Object.entries(tb.seats).map(([seat, occ]) => (
          <label key={seat} class="seat-pick">
            <span class={`seat-badge seat-${seat} ${bundle.seatClass?.(seat) ?? ''}`} title={bundle.seatLabel(seat)}>
              {seat}
            </span>
            <select
              aria-label={t('host.table.seatLabel', { seat: seatInSentence(tb.scenario, seat) })}
              value={occ.occupant?.type === 'player' ? occ.occupant.playerId : (occ.occupant?.type ?? '')}
              onChange={(e) => {
                const val = e.currentTarget.value;
                void command({
                  type: 'setSeat',
                  table: tb.id,
                  seat,
                  occupant: val === '' ? null : val === 'bot' ? { type: 'bot' } : { type: 'player', playerId: val },
                });
              }}
            >
              <option value="">— {t('seat.empty')} —</option>
              <option value="bot">{t('seat.bot')}</option>
              {players.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {state && <LiveDiagram scenario={tb.scenario} state={state} />}
      {state && <bundle.TableBody state={state} control={control} />}
      {g && !state && <TableSummary scenario={tb.scenario} verdict={g.verdict} lanes={Object.keys(tb.seats).length} />}
      <div class="row controls">
        <GameButtons table={tb.id} status={status} control={control} />
        {!busy && g && next !== undefined && Object.values(tb.seats).every((o) => o.occupant?.type === 'bot') && (
          <button type="button" onClick={() => command({ type: 'sameValleyNext', table: tb.id })}>
            {t('host.sameValley', { scenario: t(`scenario.${next}` as Key) })}
          </button>
        )}
        {!busy && next !== undefined && Object.values(tb.seats).some((o) => o.occupant?.type === 'player') && (
          <button type="button" class="primary" onClick={() => command({ type: 'nextLevel', table: tb.id })}>
            {t('host.nextLevel', { scenario: t(`scenario.${next}` as Key) })}
          </button>
        )}
        <RemoveTable table={tb} busy={busy} />
      </div>
    </article>
  );
}

/**
 * A table off screen: the counts and the outcome, until it scrolls into view. An empty frame keeps the
 * diagram's place (the compact SpaceTime's size for this many lanes), so the card grows little when it
 * comes live and the cards the teacher scrolled to are not pushed away.
 */
/** A table's start, pause, resume and end buttons, as its game's status allows: the card's and the focus view's. */
export function GameButtons({ table, status, control }: { table: string; status: string; control: (c: GameControl) => void }) {
  const busy = status === 'running' || status === 'paused';
  return (
    <>
      {!busy && (
        <button type="button" onClick={() => command({ type: 'startGames', table: table })}>
          <Play /> {t('host.table.start')}
        </button>
      )}
      {status === 'running' && (
        <button type="button" onClick={() => control({ type: 'pause' })}>
          <Pause /> {t('host.table.pause')}
        </button>
      )}
      {status === 'paused' && (
        <button type="button" onClick={() => control({ type: 'resume' })}>
          <Play /> {t('host.table.resume')}
        </button>
      )}
      {busy && (
        <button type="button" onClick={() => control({ type: 'end' })}>
          <Square /> {t('host.table.end')}
        </button>
      )}
    </>
  );
}

function TableSummary({ scenario, verdict, lanes }: { scenario: string; verdict: unknown; lanes: number }) {
  const Summary = bundleOf(scenario).TableSummary;
  return (
    <>
      <div class="diagram-frame" aria-hidden="true" style={{ aspectRatio: compactAspect(lanes) }} />
      <Summary verdict={verdict} />
    </>
  );
}

/**
 * The table's space-time diagram, live: the last minute or so, messengers moving across; `focus`: the
 * enlarged table's, with its lanes' names and every note.
 */
export function LiveDiagram({ scenario, state, focus = false }: { scenario: string; state: GameStatus; focus?: boolean }) {
  const now = state.status === 'ended' ? (state.endedAt ?? serverNow()) : state.status === 'paused' ? (state.pausedAt ?? serverNow()) : serverNow();
  const from = Math.max(state.startedAt, now - (focus ? 60_000 : 45_000));
  // Enlarged, a finished game is drawn whole, across the width, however short it was.
  const whole = focus && state.status === 'ended' && now - state.startedAt <= 60_000;
  const span: [number, number] = whole ? [state.startedAt, now + Math.max(1000, (now - state.startedAt) * 0.06)] : [from, Math.max(now, from + 20_000)];
  return <SpaceTime compact={!focus} focus={focus} diagram={scenarioOf(scenario).diagram(state)} now={now} span={span} />;
}

/** Remove a table, once the host confirms: a game still being played there ends first; its students go back to the lobby. */
function RemoveTable({ table: tb, busy }: { table: HostTable; busy: boolean }) {
  const students = Object.values(tb.seats).filter((o) => o.occupant?.type === 'player').length;
  const ask = busy ? t('host.removeTable.confirmRunning', { id: tb.id, n: students }) : t('host.removeTable.confirm', { id: tb.id, n: students });
  return (
    <button
      type="button"
      class="small-button remove-table"
      aria-label={t('host.removeTable.label', { id: tb.id })}
      onClick={() => confirm(ask) && command({ type: 'removeTable', table: tb.id })}
    >
      {t('host.removeTable')}
    </button>
  );
}
