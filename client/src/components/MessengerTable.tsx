// Every messenger of a game with its fate, for any scenario: the debriefs, the host's valley by hand.
import type { ComponentChildren } from 'preact';
import type { DiagramFate, Label } from '@valley/shared';
import { say, t } from '../i18n/index.ts';
import { Check, Ellipsis, Pause, X, type LucideIcon } from 'lucide-preact';

export interface Row {
  n: number;
  from: string;
  to: string;
  status: DiagramFate;
  label: Label;
}

const FATE_KEY = { delivered: 'fate.delivered', captured: 'fate.captured', inFlight: 'fate.inFlight', held: 'fate.held', lost: 'fate.lost' } as const;
// The fate's shape beside its words: a shape needs no font (the catalogues hold only the words).
const FATE_ICON: Record<DiagramFate, LucideIcon> = { delivered: Check, captured: X, inFlight: Ellipsis, held: Pause, lost: X };
const FateIcon = ({ fate }: { fate: DiagramFate }) => {
  const Icon = FATE_ICON[fate];
  return <Icon />;
};

/** `live`: the game is still on, so a messenger in flight is "crossing", not "still crossing at the end". */
export function MessengerTable({ rows, mine, actions, live }: { rows: Row[]; mine?: string; actions?: (r: Row) => ComponentChildren; live?: boolean }) {
  return (
    <table class="messengers">
      <tbody>
        {rows.map((m) => (
          <tr key={m.n} class={m.from === mine ? 'mine' : ''}>
            <td>#{m.n}</td>
            <td>
              {m.from} → {m.to}
            </td>
            <td>{say(m.label)}</td>
            <td class={`fate fate-${m.status}`}>
              <FateIcon fate={m.status} /> {t(live && m.status === 'inFlight' ? 'fate.crossing' : FATE_KEY[m.status])}
            </td>
            {actions && <td class="row">{actions(m)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
