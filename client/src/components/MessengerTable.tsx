// Every messenger of a game with its fate, for any scenario: the debriefs, the valley seat's and the
// host's hands on the messengers crossing, the road's board.
import type { ComponentChildren } from 'preact';
import type { DiagramFate, Label } from '@valley/shared';
import { say, t } from '../i18n/index.ts';
import { Check, Ellipsis, Pause, X, type LucideIcon } from 'lucide-preact';
import { serverNow } from '../net.ts';

export interface Row {
  n: number;
  from: string;
  to: string;
  status: DiagramFate;
  label: Label;
  /** When a messenger the valley stopped goes on by itself (null or absent: not stopped). */
  heldUntil?: number | null;
}

const FATE_KEY = { delivered: 'fate.delivered', captured: 'fate.captured', inFlight: 'fate.inFlight', held: 'fate.held', lost: 'fate.lost' } as const;
// The fate's shape beside its words: a shape needs no font (the catalogues hold only the words).
const FATE_ICON: Record<DiagramFate, LucideIcon> = { delivered: Check, captured: X, inFlight: Ellipsis, held: Pause, lost: X };
const FateIcon = ({ fate }: { fate: DiagramFate }) => {
  const Icon = FATE_ICON[fate];
  return <Icon />;
};

/** A messenger the valley stopped, in words: how long until it goes on by itself (null: not stopped). */
export function stoppedFate(r: Pick<Row, 'status' | 'heldUntil'>): string | null {
  if (r.status !== 'held' || r.heldUntil === undefined || r.heldUntil === null) return null;
  return t('valley.stopped', { s: Math.max(0, Math.ceil((r.heldUntil - serverNow()) / 1000)) });
}

/**
 * `live`: the game is still on, so a messenger in flight is "crossing", not "still crossing at the end",
 * and a stopped one says when it goes on by itself. `fate`: the table's own words for a fate (null: the
 * usual ones).
 */
export function MessengerTable<R extends Row>({
  rows,
  mine,
  actions,
  live,
  fate,
}: {
  rows: R[];
  mine?: string;
  actions?: (r: R) => ComponentChildren;
  live?: boolean;
  fate?: (r: R) => string | null;
}) {
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
              <FateIcon fate={m.status} /> {fate?.(m) ?? (live && stoppedFate(m)) ?? t(live && m.status === 'inFlight' ? 'fate.crossing' : FATE_KEY[m.status])}
            </td>
            {actions && <td class="row">{actions(m)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The valley's three moves on one messenger crossing: hold it or let it go, and capture it. */
export function Hands({ row: m, act, disabled }: { row: Row; act: (a: { type: 'hold' | 'release' | 'capture'; n: number }) => unknown; disabled?: boolean }) {
  const held = m.status === 'held';
  return (
    <>
      <button type="button" class="small-button" disabled={disabled} onClick={() => void act({ type: held ? 'release' : 'hold', n: m.n })}>
        {t(held ? 'valley.release' : 'valley.hold')} #{m.n}
      </button>
      <button type="button" class="small-button" disabled={disabled} onClick={() => void act({ type: 'capture', n: m.n })}>
        {t('valley.capture')} #{m.n}
      </button>
    </>
  );
}

/** What a game's end left in the valley, in words: nothing when it held no messenger. */
export function HeldAtEnd({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <p class="held-at-end" role="note">
      {count === 1 ? t('game.heldAtEnd.one') : t('game.heldAtEnd.other', { count })}
    </p>
  );
}
