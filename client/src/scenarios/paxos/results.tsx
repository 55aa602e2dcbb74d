// Paxos' class results: a row per finished game, with the value chosen and whether safety held.
import type { GameResult, px } from '@valley/shared';
import { ResultsTable } from '../../components/Results.tsx';
import { percent } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { Check, TriangleAlert } from 'lucide-preact';

export function Results({ results }: { results: GameResult[] }) {
  const rows = results.map((r) => ({ ...r, v: r.verdict as px.PaxosVerdict }));
  return (
    <section class="results" aria-labelledby="px-results-title">
      <h2 id="px-results-title">
        {t('host.results')} · {t('scenario.paxos')}
      </h2>
      <ResultsTable
        rows={rows}
        columns={[
          { head: t('host.results.table'), cell: (r) => r.table },
          { head: t('host.px.results.chosen'), cell: (r) => (r.v.chosen ? `${r.v.values.join(' / ')} (${r.v.chosenBallot})` : '—') },
          { head: t('host.px.results.ballots'), cell: (r) => r.v.ballots },
          { head: t('host.results.sent'), cell: (r) => r.v.messengersSent },
          { head: t('host.results.capture'), cell: (r) => percent(r.v.captureRate) },
          {
            head: t('host.px.results.safe'),
            cell: (r) =>
              r.v.safe ? (
                <>
                  <Check /> {t('host.px.safe')}
                </>
              ) : (
                <>
                  <TriangleAlert /> {t('host.px.broken')}
                </>
              ),
            class: (r) => (r.v.safe ? 'outcome-cell outcome-victory' : 'outcome-cell outcome-defeat'),
          },
        ]}
      />
    </section>
  );
}
