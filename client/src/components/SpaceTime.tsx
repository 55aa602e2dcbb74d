// The space-time diagram: one lane per seat, time flowing to the right, every messenger an arrow from
// its send to its end. Fed by a Diagram from shared/ — from a live game's state on the projector, or
// from the state at the cursor in a replay: the live view is a replay still being written.
import type { Diagram, DiagramMark, DiagramMessenger } from '@valley/shared';
import { Circle, Diamond, Flag, Square, Star, Triangle, TriangleAlert, X, type LucideIcon } from 'lucide-preact';
import { t, say, type Key } from '../i18n/index.ts';

export type Selection = { type: 'messenger'; n: number } | { type: 'mark'; index: number } | null;

interface Props {
  diagram: Diagram;
  /** The cursor: what has happened up to this time is drawn; later sends are not shown. */
  now: number;
  /** The time span across the width; defaults to the game's start until the cursor. */
  span?: [number, number];
  compact?: boolean;
  selected?: Selection;
  onSelect?: (s: Selection) => void;
  showCursor?: boolean;
}

export function describeMessenger(m: DiagramMessenger, d: Pick<Diagram, 'lanes' | 'endedAt'>): string {
  const name = (seat: string) => say(d.lanes.find((l) => l.seat === seat)?.label ?? { key: seat, params: {} });
  // Once the game is over, a messenger still on its way never arrives: say so, not just "crossing".
  const fate = m.status === 'inFlight' && d.endedAt !== null ? t('diagram.fate.inFlightAtEnd') : t(`diagram.fate.${m.status}` as Key);
  return t('diagram.messenger', { n: m.n, from: name(m.from), to: name(m.to), label: say(m.label), fate });
}

export function SpaceTime({ diagram: d, now, span, compact = false, selected = null, onSelect, showCursor = false }: Props) {
  // A narrower drawing for a table card, so its words stay readable when the card is small.
  const W = compact ? 520 : 1200;
  const laneH = compact ? 30 : 64;
  const gutter = compact ? 40 : 170;
  const top = compact ? 14 : 30;
  const H = top + d.lanes.length * laneH + (compact ? 6 : 24);
  const [t0, t1raw] = span ?? [d.startedAt, Math.max(now, d.startedAt + 1000)];
  const t1 = Math.max(t1raw, t0 + 1);
  const x = (time: number) => gutter + ((Math.min(Math.max(time, t0), t1) - t0) / (t1 - t0)) * (W - gutter - 16);
  const laneY = new Map(d.lanes.map((l, i) => [l.seat, top + i * laneH + laneH / 2]));
  const y = (seat: string) => laneY.get(seat) ?? top;
  const pick = (s: Selection) => onSelect?.(s);
  const visible = d.messengers.filter((m) => m.sentAt <= now);
  const marks = d.marks.filter((m) => m.at <= now);

  return (
    <svg class={`spacetime ${compact ? 'compact' : ''}`} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('replay.diagram')}>
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth={compact ? 9 : 14}
          markerHeight={compact ? 9 : 14}
          orient="auto-start-reverse"
        >
          <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
        </marker>
      </defs>
      {d.lanes.map((l) => (
        <g key={l.seat} class="lane">
          <line x1={gutter} x2={W - 10} y1={y(l.seat)} y2={y(l.seat)} />
          <text x={gutter - 10} y={y(l.seat) + 5} text-anchor="end">
            {compact ? l.seat : say(l.label)}
          </text>
        </g>
      ))}
      {visible.map((m) => (
        <MessengerArrow
          key={m.n}
          m={m}
          x={x}
          y={y}
          now={now}
          selected={selected?.type === 'messenger' && selected.n === m.n}
          onPick={() => pick({ type: 'messenger', n: m.n })}
          title={describeMessenger(m, d)}
          compact={compact}
        />
      ))}
      {marks.map((mk) => (
        <Mark
          key={`${mk.kind}-${mk.seat}-${mk.at}-${d.marks.indexOf(mk)}`}
          mark={mk}
          x={x}
          y={y}
          top={top}
          bottom={H - 4}
          compact={compact}
          right={W}
          selected={selected?.type === 'mark' && selected.index === d.marks.indexOf(mk)}
          onPick={() => pick({ type: 'mark', index: d.marks.indexOf(mk) })}
        />
      ))}
      {showCursor && <line class="cursor" x1={x(now)} x2={x(now)} y1={4} y2={H - 4} />}
    </svg>
  );
}

function MessengerArrow({
  m,
  x,
  y,
  now,
  selected,
  onPick,
  title,
  compact,
}: {
  m: DiagramMessenger;
  x: (t: number) => number;
  y: (s: string) => number;
  now: number;
  selected: boolean;
  onPick: () => void;
  title: string;
  compact: boolean;
}) {
  const x1 = x(m.sentAt);
  const y1 = y(m.from);
  const y2 = y(m.to);
  let end: [number, number];
  let cls = `msg msg-${m.status}`;
  if (m.status === 'delivered' || m.status === 'lost') end = [x(m.endsAt), y2];
  else if (m.status === 'captured') end = [x(m.endsAt), (y1 + y2) / 2];
  else {
    // Still crossing at the cursor: drawn as far as it has come.
    const frac = m.status === 'held' ? 0.5 : Math.min(1, Math.max(0, (now - m.sentAt) / Math.max(1, m.endsAt - m.sentAt)));
    end = [x(Math.min(now, m.endsAt)), y1 + (y2 - y1) * frac];
  }
  if (selected) cls += ' selected';
  const [x2, yy2] = end;
  return (
    <g
      class={cls}
      tabindex={compact ? -1 : 0}
      role={compact ? undefined : 'button'}
      aria-label={title}
      onClick={onPick}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onPick())}
    >
      <title>{title}</title>
      <line x1={x1} y1={y1} x2={x2} y2={yy2} class="hit" />
      <line x1={x1} y1={y1} x2={x2} y2={yy2} marker-end={m.status === 'delivered' ? 'url(#arrow)' : undefined} />
      {(m.status === 'captured' || m.status === 'lost') && <X x={x2 - 9} y={yy2 - 9} size={18} strokeWidth={4} class="x-mark" />}
      {(m.status === 'inFlight' || m.status === 'held') && <circle cx={x2} cy={yy2} r={compact ? 3 : 5} />}
    </g>
  );
}

// Shapes, not characters (a character needs a font that has it): solid ones are filled, the warning and
// the flag stay outlines so their inner strokes read.
const MARK_ICON: Record<DiagramMark['kind'], [LucideIcon, boolean]> = {
  decision: [Diamond, true],
  promised: [Circle, true],
  accepted: [Square, true],
  chosen: [Star, true],
  declared: [Triangle, true],
  broken: [TriangleAlert, false],
  outcome: [Flag, false],
};

/** A mark's shape centred on (cx, cy): an SVG inside the diagram's SVG. */
function Glyph({ kind, cx, cy, size }: { kind: DiagramMark['kind']; cx: number; cy: number; size: number }) {
  const [Icon, solid] = MARK_ICON[kind];
  return <Icon x={cx - size / 2} y={cy - size / 2} size={size} class="glyph" fill={solid ? 'currentColor' : 'none'} strokeWidth={solid ? 1.5 : 2.5} />;
}

function Mark({
  mark,
  x,
  y,
  top,
  bottom,
  compact,
  selected,
  onPick,
  right,
}: {
  mark: DiagramMark;
  x: (t: number) => number;
  y: (s: string) => number;
  top: number;
  bottom: number;
  compact: boolean;
  selected: boolean;
  onPick: () => void;
  right: number;
}) {
  const text = say(mark.label);
  const cx = x(mark.at);
  // Words near the right edge are written leftwards, so they stay on the picture.
  const leftwards = cx > right * 0.7;
  if (mark.seat === null) {
    return (
      <g
        class={`mark mark-${mark.kind} ${selected ? 'selected' : ''}`}
        onClick={onPick}
        tabindex={compact ? -1 : 0}
        role={compact ? undefined : 'button'}
        aria-label={text}
      >
        <title>{text}</title>
        <line x1={cx} x2={cx} y1={top - 6} y2={bottom} />
        {compact ? (
          <Glyph kind={mark.kind} cx={leftwards ? cx - 10 : cx + 10} cy={top - 8} size={14} />
        ) : (
          <text x={leftwards ? cx - 6 : cx + 6} y={top - 2} class="mark-text" text-anchor={leftwards ? 'end' : 'start'}>
            {text}
          </text>
        )}
      </g>
    );
  }
  const cy = y(mark.seat);
  return (
    <g
      class={`mark mark-${mark.kind} ${selected ? 'selected' : ''}`}
      onClick={onPick}
      tabindex={compact ? -1 : 0}
      role={compact ? undefined : 'button'}
      aria-label={text}
    >
      <title>{text}</title>
      <Glyph kind={mark.kind} cx={cx} cy={cy} size={compact ? 15 : 20} />
      {!compact && (mark.kind === 'decision' || mark.kind === 'declared' || mark.kind === 'broken') && (
        <text x={leftwards ? cx - 10 : cx + 10} y={cy - 10} class="mark-text" text-anchor={leftwards ? 'end' : 'start'}>
          {text}
        </text>
      )}
    </g>
  );
}
