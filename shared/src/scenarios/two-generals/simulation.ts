// Two Generals in `npm run simulate`: bot pairs, and how their games ended.
import { plural, stats, type Simulation } from '../../simulation.ts';
import { defaultConfig, type Config, type Outcome, type State } from './model.ts';
import { verdict } from './view.ts';

interface Row {
  table: number;
  seed: number;
  outcome: Outcome | null;
  messengersSent: number;
  delivered: number;
  captured: number;
}

export const simulation: Simulation<Config, Row> = {
  title: 'Two Generals',
  options: [],
  config: (loss) => ({ ...defaultConfig, ...(loss !== undefined && { captureRate: loss }) }),
  setup: () => ({}),
  row: (r, table, seed) => {
    const v = verdict(r.state as State);
    return { table, seed, outcome: v.outcome, messengersSent: v.messengersSent, delivered: v.delivered, captured: v.captured };
  },
  report(rows, config, { tables, seed }) {
    const count = (o: string) => rows.filter((r) => r.outcome === o).length;
    return {
      lines: [
        `Two Generals: ${plural(tables, 'table')} from seed ${seed}; loss ${config.captureRate}`,
        `victory:    ${count('victory')}/${tables}`,
        `no battle:  ${count('noBattle')}/${tables}`,
        `defeat:     ${count('defeat')}/${tables}`,
        `messengers: ${stats(rows.map((r) => r.messengersSent))}`,
      ],
      failed: null,
    };
  },
};
