// Level 2 in `npm run simulate`: bot tables, counted per failure (`--set numbered=true` turns sequence
// numbers on); the summary says whether commands were numbered.
import { roadSimulation } from '../../road/simulation.ts';
import { acks } from './index.ts';

const base = roadSimulation(acks, 'Road 2 (acknowledgements)');

export const simulation: typeof base = {
  ...base,
  report(rows, config, run) {
    const r = base.report(rows, config, run);
    return { ...r, lines: [r.lines[0]!, `commands ${config.numbered ? 'numbered' : 'not numbered'}`, ...r.lines.slice(1)] };
  },
};
