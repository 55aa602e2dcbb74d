// One table on the whole projector: its live space-time diagram at full size with every lane named,
// the scenario's own card body beside it, and the game's controls. Opened from a table's card; Esc,
// "← All tables" or the browser's Back return to the grid. The table stays watched (every messenger
// comes) while it is shown, whether or not its card would be on screen.
import { useEffect } from 'preact/hooks';
import type { GameControl, GameStatus, HostTable, HostView } from '@valley/shared';
import { useTick } from '../components/common.tsx';
import { seatLabel } from '../components/labels.ts';
import { clock } from '../format.ts';
import { t, type Key } from '../i18n/index.ts';
import { serverNow } from '../net.ts';
import { bundleOf } from '../scenarios/index.ts';
import { closeFocus } from './focus.ts';
import { command } from './store.ts';
import { GameButtons, LiveDiagram } from './TableCard.tsx';
import { pinned, tellWatched } from './watch.ts';
import { ArrowLeft } from 'lucide-preact';

export function FocusTable({ id, view: v }: { id: string; view: HostView }) {
  useTick(500);
  useEffect(() => {
    pinned.add(id);
    tellWatched();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) closeFocus();
    };
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('keydown', onKey);
      pinned.delete(id);
      tellWatched();
    };
  }, [id]);
  const tb: HostTable | undefined = v.tables.find((x) => x.id === id);
  const back = (
    <button type="button" class="link-button focus-back" onClick={closeFocus}>
      <ArrowLeft /> {t('host.focus.back')}
    </button>
  );
  if (!tb) {
    return (
      <section class="focus-view">
        {back}
        <p class="muted">{t('host.focus.missing', { id })}</p>
      </section>
    );
  }
  const g = tb.game;
  const state = (g?.state ?? undefined) as GameStatus | undefined;
  const status = g?.status ?? 'waiting';
  const control = (c: GameControl) => command({ type: 'controlGame', table: tb.id, control: c });
  const bundle = bundleOf(tb.scenario);
  const Summary = bundle.TableSummary;
  const holder = (seat: string) => {
    const o = tb.seats[seat]?.occupant;
    if (!o) return t('seat.empty');
    if (o.type === 'bot') return t('seat.bot');
    return v.players.find((p) => p.id === o.playerId)?.name ?? '';
  };
  return (
    <section class={`focus-view status-${status}`} aria-labelledby="focus-title">
      <div class="focus-head">
        {back}
        <h2 id="focus-title">
          {t('host.table', { id: tb.id })} <span class="muted">· {t(`scenario.${tb.scenario}` as Key)}</span>
        </h2>
        <span class="status">
          {status === 'running' && g ? t('host.table.running', { t: clock(g.deadlineAt - serverNow()) }) : t(`host.table.${status}` as Key)}
        </span>
        <div class="row controls">
          <GameButtons table={tb.id} status={status} control={control} />
        </div>
      </div>
      <p class="focus-seats">
        {Object.keys(tb.seats).map((seat) => (
          <span key={seat} class="focus-seat">
            <span class={`seat-badge seat-${seat} ${bundle.seatClass?.(seat) ?? ''}`}>{seat}</span> {seatLabel(tb.scenario, seat)}:{' '}
            <strong>{holder(seat)}</strong>
          </span>
        ))}
      </p>
      {state && <LiveDiagram scenario={tb.scenario} state={state} focus />}
      {state && (
        <div class="focus-body">
          <bundle.TableBody state={state} control={control} focus />
        </div>
      )}
      {g && !state && <Summary verdict={g.verdict} />}
      {!g && <p class="muted">{t('host.focus.noGame')}</p>}
    </section>
  );
}
