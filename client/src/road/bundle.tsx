// Any road level on screen: one client bundle built from the level's scenario. The level's folder
// (client/src/scenarios/<id>/) names it; everything here works from the view and the board alone.
import { road, type GameResult } from '@valley/shared';
import { ResultsTable } from '../components/Results.tsx';
import { SettingsFrame, ValleyFields, ValleySeatFields, useSettings } from '../components/Settings.tsx';
import { HeldAtEnd } from '../components/MessengerTable.tsx';
import { say, t, type Key } from '../i18n/index.ts';
import type { ClientBundle } from '../scenarios/bundle.ts';
import { BoardView, FailureBadges } from './Board.tsx';
import { roleClass, seatInSentence, seatLabel } from './labels.ts';
import { RoadSeat } from './Seat.tsx';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySc = road.RoadScenario<any, any, any, any, any>;

const failureWords = (v: road.RoadVerdict) =>
  v.failures.length === 0 ? t('road.results.none') : v.failures.map((f) => t(`road.failure.${f}` as Key)).join(', ');

/** A level's own on/off settings: the booleans of its defaults that every road level does not have. */
const flagsOf = (sc: AnySc): string[] =>
  Object.keys(sc.defaultConfig).filter((k) => typeof (sc.defaultConfig as Record<string, unknown>)[k] === 'boolean' && !(k in road.roadDefaults));

function SettingsForm({
  settings,
  save,
  id,
  flags,
}: {
  settings: road.RoadConfig;
  save: (s: road.RoadConfig) => Promise<boolean>;
  id: string;
  flags: string[];
}) {
  const f = useSettings(settings as road.RoadConfig & Record<string, unknown>, save);
  const set = (p: Partial<road.RoadConfig>) => {
    f.setSaved(false);
    f.setS({ ...f.s, ...p });
  };
  return (
    <SettingsFrame f={f}>
      <fieldset class="shape">
        <label class="inline">
          {t('road.settings.clients')} <input type="number" min={1} max={3} {...f.num('clients', 1)} />
        </label>
        <label class="inline">
          {t('road.settings.servers')} <input type="number" min={1} max={3} {...f.num('servers', 1)} />
        </label>
        <label class="inline">
          {t('road.settings.start')} <input type="number" min={-99} max={99} {...f.num('start', 1)} />
        </label>
      </fieldset>
      {f.s.scripts.slice(0, f.s.clients).map((ops, i) => (
        <fieldset key={i} class="script-field">
          <legend>{t('road.settings.script', { seat: `C${i + 1}` })}</legend>
          {ops.map((op, j) => (
            <select
              key={j}
              name={`script-${i}-${j}`}
              aria-label={t('road.settings.command', { seat: `C${i + 1}`, k: j + 1 })}
              value={op}
              onChange={(e) => set({ scripts: f.s.scripts.map((s, k) => (k === i ? s.map((o, l) => (l === j ? (e.currentTarget.value as road.Op) : o)) : s)) })}
            >
              {[...(['x+1', 'x+2', 'x-1', 'x*2', 'x*3', 'x=5', 'x=0'] as const)].map((o) => (
                <option key={o} value={o}>
                  {o.replace('*', '×')}
                </option>
              ))}
            </select>
          ))}
        </fieldset>
      ))}
      <ValleySeatFields f={f} />
      {flags.map((k) => (
        <label key={k} class="check">
          <input
            type="checkbox"
            name={k}
            checked={(f.s as Record<string, unknown>)[k] === true}
            onChange={(e) => set({ [k]: e.currentTarget.checked } as Partial<road.RoadConfig>)}
          />{' '}
          {t(`${id}.settings.${k}` as Key)}
        </label>
      ))}
      <label class="inline">
        {t('road.settings.mode')}
        <select name="mode" value={f.s.mode} onChange={(e) => set({ mode: e.currentTarget.value as road.Mode })}>
          <option value="strict">{t('road.settings.strict')}</option>
          <option value="free">{t('road.settings.free')}</option>
        </select>
      </label>
      <ValleyFields f={f} />
    </SettingsFrame>
  );
}

export type RoadBundle = ClientBundle<road.RoadState, road.RoadView, road.RoadVerdict, road.RoadConfig, unknown>;

/** The screens of a road level, from its scenario. */
export function roadClient(sc: AnySc): RoadBundle {
  return {
    seatLabel,
    seatInSentence,
    seatClass: roleClass,
    Seat: RoadSeat,
    wideCard: true,
    TableBody: ({ state, control }) => (
      <BoardView
        board={sc.board(state)}
        control={state.status === 'ended' ? undefined : control}
        fix={{ key: `${sc.id}.fix`, params: {} }}
        reveal={() => void control({ type: 'reveal' })}
      />
    ),
    TableSummary: ({ verdict: v }) => (
      <>
        <p class={v.failures.length ? 'error' : 'good'}>{v.failures.length ? failureWords(v) : t('road.board.noFailure')}</p>
        <p class="stats">{t('host.table.summary', { sent: v.messengersSent, captured: v.captured })}</p>
        <HeldAtEnd count={v.heldAtEnd ?? 0} />
      </>
    ),
    SettingsForm: (p) => <SettingsForm {...p} id={sc.id} flags={flagsOf(sc)} />,
    Results: ({ results }: { results: GameResult[] }) => {
      const rows = results.map((r) => ({ ...r, v: r.verdict as road.RoadVerdict }));
      return (
        <section class="results" aria-labelledby={`${sc.id}-results-title`}>
          <h2 id={`${sc.id}-results-title`}>
            {t('host.results')} · {t(`scenario.${sc.id}` as Key)}
          </h2>
          <ResultsTable
            rows={rows}
            columns={[
              { head: t('host.results.table'), cell: (r) => r.table },
              { head: t('road.results.servers'), cell: (r) => r.v.servers.map((s) => `${s.seat} ${s.x}`).join(' · ') },
              { head: t('host.results.sent'), cell: (r) => r.v.messengersSent },
              {
                head: t('road.results.failures'),
                cell: (r) => failureWords(r.v),
                class: (r) => `outcome-cell ${r.v.failures.length ? 'outcome-defeat' : 'outcome-victory'}`,
              },
            ]}
          />
        </section>
      );
    },
    outcome: failureWords,
    SeatLine: ({ view: v }) => (
      <span>
        {v.server
          ? `${t('road.x', { x: v.server.x })} · ${v.server.executed.map((e) => say(e.label)).join(', ')}`
          : v.script.length
            ? v.script.map((l) => `${l.op.replace('*', '×')} ${t(`road.script.${l.state}` as Key)}`).join(' · ')
            : v.holds.map(say).join(' · ')}
      </span>
    ),
    VerdictPanel: ({ state }) => <FailureBadges board={sc.board(state)} />,
  };
}
