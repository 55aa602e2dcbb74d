// The class results: every scenario with finished games shows its own (its client bundle says how);
// before any game has finished, one heading and a line saying results come here.
import type { GameResult } from '@valley/shared';
import type { ComponentChildren } from 'preact';
import { t } from '../i18n/index.ts';
import { SCENARIO_CLIENTS } from '../scenarios/index.ts';

export function Results({ results }: { results: GameResult[] }) {
  if (results.length === 0) {
    return (
      <section class="results" aria-labelledby="results-title">
        <h2 id="results-title">{t('host.results')}</h2>
        <p class="muted">{t('host.results.empty')}</p>
      </section>
    );
  }
  return (
    <>
      {Object.entries(SCENARIO_CLIENTS).map(([id, b]) => {
        const mine = results.filter((r) => r.scenario === id);
        return mine.length > 0 ? <b.Results key={id} results={mine} /> : null;
      })}
    </>
  );
}

/** One table of finished games, a row per game, in the columns given. */
export function ResultsTable<R extends { game: number }>({
  rows,
  columns,
}: {
  rows: R[];
  columns: { head: string; cell: (r: R) => ComponentChildren; class?: (r: R) => string }[];
}) {
  return (
    <table class="results-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.head}>{c.head}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.game}>
            {columns.map((c) => (
              <td key={c.head} class={c.class?.(r)}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
