// Two Generals' class results: a table of finished games and a chart of outcomes against messengers
// sent and capture rate. Outcomes are told by shape and word as well as colour.
import { Fragment } from 'preact';
import type { GameResult, tg } from '@valley/shared';
import { ResultsTable } from '../../components/Results.tsx';
import { percent } from '../../format.ts';
import { t, type Key } from '../../i18n/index.ts';

const OUTCOMES: tg.Outcome[] = ['victory', 'noBattle', 'defeat'];

function Marker({ outcome, x, y, size = 9 }: { outcome: tg.Outcome; x: number; y: number; size?: number }) {
  if (outcome === 'victory') return <circle cx={x} cy={y} r={size} class="mk mk-victory" />;
  if (outcome === 'noBattle') return <rect x={x - size} y={y - size} width={size * 2} height={size * 2} class="mk mk-noBattle" />;
  return <path d={`M${x - size} ${y - size} L${x + size} ${y + size} M${x + size} ${y - size} L${x - size} ${y + size}`} class="mk mk-defeat" />;
}

export function Results({ results }: { results: GameResult[] }) {
  const rows = results.map((r) => ({ ...r, v: r.verdict as tg.TGVerdict }));
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, rows.filter((r) => r.v.outcome === o).length]));
  return (
    <section class="results" aria-labelledby="results-title">
      <h2 id="results-title">{t('host.results')}</h2>
      <p class="summary">{t('host.results.summary', counts)}</p>
      <div class="results-grid">
        <Chart rows={rows} />
        <ResultsTable
          rows={rows}
          columns={[
            { head: t('host.results.table'), cell: (r) => r.table },
            {
              head: t('host.results.players'),
              // Each name whole on its line: a narrow column breaks between names, not inside one.
              cell: (r) =>
                Object.values(r.players).map((n, i) => (
                  <Fragment key={i}>
                    {i > 0 && ' · '}
                    <span class="name">{n === 'bot' ? t('seat.bot') : n}</span>
                  </Fragment>
                )),
            },
            { head: t('host.results.sent'), cell: (r) => r.v.messengersSent },
            { head: t('host.results.capture'), cell: (r) => percent(r.v.captureRate) },
            { head: t('host.results.outcome'), cell: (r) => t(`host.outcome.${r.v.outcome}` as Key), class: (r) => `outcome-cell outcome-${r.v.outcome}` },
          ]}
        />
      </div>
    </section>
  );
}

function Chart({ rows }: { rows: { game: number; v: tg.TGVerdict }[] }) {
  const W = 560;
  const H = 320;
  const pad = { l: 70, r: 20, t: 20, b: 56 };
  const maxX = Math.max(4, ...rows.map((r) => r.v.messengersSent));
  const x = (n: number) => pad.l + (n / maxX) * (W - pad.l - pad.r);
  const y = (p: number) => H - pad.b - p * (H - pad.t - pad.b);
  // Games with the same numbers would hide each other: fan them out a little.
  const seen = new Map<string, number>();
  const ticksX = Array.from({ length: 5 }, (_, i) => Math.round((maxX * i) / 4));
  return (
    <figure class="chart">
      <figcaption>{t('host.chart.title')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('host.chart.title')}>
        <line x1={pad.l} y1={H - pad.b} x2={W - pad.r} y2={H - pad.b} class="axis" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={H - pad.b} class="axis" />
        {ticksX.map((n) => (
          <text key={n} x={x(n)} y={H - pad.b + 22} class="tick" text-anchor="middle">
            {n}
          </text>
        ))}
        {[0, 0.25, 0.5, 0.75, 1].map((p) => (
          <text key={p} x={pad.l - 10} y={y(p) + 6} class="tick" text-anchor="end">
            {percent(p)}
          </text>
        ))}
        <text x={(W + pad.l) / 2} y={H - 8} class="axis-label" text-anchor="middle">
          {t('host.chart.x')}
        </text>
        <text x={16} y={(H - pad.b) / 2} class="axis-label" text-anchor="middle" transform={`rotate(-90 16 ${(H - pad.b) / 2})`}>
          {t('host.chart.y')}
        </text>
        {rows.map((r) => {
          const k = `${r.v.messengersSent}/${r.v.captureRate}`;
          const i = seen.get(k) ?? 0;
          seen.set(k, i + 1);
          const dx = ((i % 5) - 2) * 7;
          const dy = (Math.floor(i / 5) % 3) * 7;
          return <Marker key={r.game} outcome={r.v.outcome ?? 'noBattle'} x={x(r.v.messengersSent) + dx} y={y(r.v.captureRate) - dy} />;
        })}
      </svg>
      <ul class="legend plain">
        {OUTCOMES.map((o) => (
          <li key={o}>
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
              <Marker outcome={o} x={12} y={12} size={7} />
            </svg>
            {t(`host.outcome.${o}` as Key)}
          </li>
        ))}
      </ul>
      <p class="lesson">{t('host.chart.lesson')}</p>
    </figure>
  );
}
