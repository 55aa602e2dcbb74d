// The space-time diagram: one lane per seat, time flowing to the right, every messenger an arrow from
// its send to its end. Fed by a Diagram from shared/ — from a live game's state on the projector, or
// from the state at the cursor in a replay: the live view is a replay still being written.
import type { Diagram, DiagramMark, DiagramMessenger } from '@valley/shared';
import { Circle, Diamond, Flag, RotateCw, Square, Star, Triangle, TriangleAlert, X, Zap, type LucideIcon } from 'lucide-preact';
import { t, say, type Key } from '../i18n/index.ts';

export type Selection = { type: 'messenger'; n: number } | { type: 'mark'; index: number } | null;

interface Props {
  diagram: Diagram;
  /** The cursor: what has happened up to this time is drawn; later sends are not shown. */
  now: number;
  /** The time span across the width; defaults to the game's start until the cursor. */
  span?: [number, number];
  /** A table card's small drawing: seat ids for lane names, glyphs without words. */
  compact?: boolean;
  /** One table enlarged on the projector: taller lanes and bigger words, read from the back of a room. */
  focus?: boolean;
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

/** The drawing's proportions, in the SVG's own units, for each size. */
function layout(size: 'compact' | 'full' | 'focus', lanes: number) {
  // A card's: close to its size on a projector's grid, so its words are drawn near their own size.
  if (size === 'compact') return { W: 460, laneH: 34, gutter: 40, top: 16, bottom: 6, note: 17 };
  // The projector's view: few lanes get tall ones, and the words scale with them.
  if (size === 'focus') return { W: 1200, laneH: lanes <= 3 ? 100 : 72, gutter: 190, top: 40, bottom: 24, note: 24 };
  return { W: 1200, laneH: 64, gutter: 170, top: 30, bottom: 24, note: 16 };
}

/** A card's drawing's width / height for this many lanes (the place an off-screen card keeps for it). */
export function compactAspect(lanes: number): string {
  const l = layout('compact', lanes);
  return `${l.W} / ${l.top + lanes * l.laneH + l.bottom}`;
}

export function SpaceTime({ diagram: d, now, span, compact = false, focus = false, selected = null, onSelect, showCursor = false }: Props) {
  // A narrower drawing for a table card, so its words stay readable when the card is small.
  const size = compact ? 'compact' : focus ? 'focus' : 'full';
  const { W, laneH, gutter, top, bottom, note } = layout(size, d.lanes.length);
  const H = top + d.lanes.length * laneH + bottom;
  const [t0, t1raw] = span ?? [d.startedAt, Math.max(now, d.startedAt + 1000)];
  const t1 = Math.max(t1raw, t0 + 1);
  const x = (time: number) => gutter + ((Math.min(Math.max(time, t0), t1) - t0) / (t1 - t0)) * (W - gutter - 16);
  const laneY = new Map(d.lanes.map((l, i) => [l.seat, top + i * laneH + laneH / 2]));
  const y = (seat: string) => laneY.get(seat) ?? top;
  // Only a drawing that answers a click has buttons in it; then the drawing is a group of them, not
  // an image (an image's parts are not controls: axe's "nested-interactive").
  const interactive = onSelect !== undefined;
  const pick = (s: Selection) => onSelect?.(s);
  const visible = d.messengers.filter((m) => m.sentAt <= now);
  const marks = d.marks.filter((m) => m.at <= now);
  const box: NoteBox = { left: gutter - 4, right: W - 6, top: 2, noteSize: note };

  return (
    <svg class={`spacetime ${size}`} viewBox={`0 0 ${W} ${H}`} role={interactive ? 'group' : 'img'} aria-label={t('replay.diagram')}>
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth={compact ? 9 : focus ? 20 : 14}
          markerHeight={compact ? 9 : focus ? 20 : 14}
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
          interactive={interactive}
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
          box={box}
          interactive={interactive}
          selected={selected?.type === 'mark' && selected.index === d.marks.indexOf(mk)}
          onPick={() => pick({ type: 'mark', index: d.marks.indexOf(mk) })}
        />
      ))}
      {showCursor && <line class="cursor" x1={x(now)} x2={x(now)} y1={4} y2={H - 4} />}
    </svg>
  );
}

/** Where a note may be written: the drawing's inner edges and the words' size, in SVG units. */
interface NoteBox {
  left: number;
  right: number;
  top: number;
  noteSize: number;
}

/**
 * A note's width, estimated from its characters (the SVG cannot wrap text, and a measurement would
 * need a second render): Chinese characters are a full em, Latin ones a little over half, generously,
 * so a note's estimate is never narrower than the note.
 */
export function noteWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1.02 : ch === ' ' ? 0.3 : /[A-Z@%#]/.test(ch) ? 0.72 : 0.6;
  return w * size;
}

/** The note's lines, each at most `max` wide: broken at spaces, or between Chinese characters. */
export function wrapNote(text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  // Units to lay out: words with their space, and every Chinese character on its own.
  const units = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][，。：；、）)]?|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/g) ?? [];
  let line = '';
  for (const u of units) {
    if (line !== '' && noteWidth((line + u).trimEnd(), size) > max) {
      lines.push(line.trimEnd());
      line = u.trimStart();
    } else line += u;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

/**
 * A note beside a point: to its right, or to its left when it does not fit there, wrapped onto lines
 * when it is wider than either side, and always inside the drawing. `above`: the lines rise from the
 * point (a note on a lane), else they fall from it (a note under the top edge).
 */
export function placeNote(text: string, cx: number, cy: number, box: NoteBox, above: boolean) {
  const size = box.noteSize;
  const gap = size * 0.6;
  const room = box.right - box.left;
  const oneLine = noteWidth(text, size);
  const lines =
    oneLine <= Math.max(box.right - cx - gap, cx - gap - box.left) ? [text] : wrapNote(text, size, Math.min(room, Math.max(room * 0.45, size * 18)));
  const width = Math.max(...lines.map((l) => noteWidth(l, size)));
  let xStart: number;
  if (cx + gap + width <= box.right) xStart = cx + gap;
  else if (cx - gap - width >= box.left) xStart = cx - gap - width;
  else xStart = Math.min(Math.max(cx - width / 2, box.left), box.right - width);
  const lineH = size * 1.2;
  const firstY = above ? Math.max(box.top + size, cy - (lines.length - 1) * lineH) : cy;
  return { lines, x: xStart, y: firstY, lineH, size, width };
}

function Note({ text, cx, cy, box, above }: { text: string; cx: number; cy: number; box: NoteBox; above: boolean }) {
  const n = placeNote(text, cx, cy, box, above);
  return (
    <text x={n.x} y={n.y} class="mark-text" font-size={n.size} text-anchor="start">
      {n.lines.map((l, i) => (
        <tspan key={i} x={n.x} dy={i === 0 ? 0 : n.lineH}>
          {l}
        </tspan>
      ))}
    </text>
  );
}

/** A part of the drawing that can be picked, with the mouse or the keyboard, when the drawing answers. */
function asButton(interactive: boolean, label: string, onPick: () => void) {
  if (!interactive) return {};
  return {
    tabindex: 0,
    role: 'button' as const,
    'aria-label': label,
    onClick: onPick,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      onPick();
    },
  };
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
  interactive,
}: {
  m: DiagramMessenger;
  x: (t: number) => number;
  y: (s: string) => number;
  now: number;
  selected: boolean;
  onPick: () => void;
  title: string;
  compact: boolean;
  interactive: boolean;
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
    <g class={cls} {...asButton(interactive, title, onPick)}>
      <title>{title}</title>
      <line x1={x1} y1={y1} x2={x2} y2={yy2} class="hit" />
      <line x1={x1} y1={y1} x2={x2} y2={yy2} marker-end={m.status === 'delivered' ? 'url(#arrow)' : undefined} />
      {(m.status === 'captured' || m.status === 'lost') && <X x={x2 - 9} y={yy2 - 9} size={18} strokeWidth={4} class="x-mark" />}
      {(m.status === 'inFlight' || m.status === 'held') && <circle cx={x2} cy={yy2} r={compact ? 3 : 5} />}
    </g>
  );
}

// Shapes, not characters (a character needs a font that has it): solid ones are filled, the warning,
// the flag and the restart arrow stay outlines so their inner strokes read.
const MARK_ICON: Record<DiagramMark['kind'], [LucideIcon, boolean]> = {
  decision: [Diamond, true],
  promised: [Circle, true],
  accepted: [Square, true],
  chosen: [Star, true],
  declared: [Triangle, true],
  broken: [TriangleAlert, false],
  outcome: [Flag, false],
  crashed: [Zap, true],
  restarted: [RotateCw, false],
};

/** A mark's shape centred on (cx, cy): an SVG inside the diagram's SVG. */
function Glyph({ kind, cx, cy, size }: { kind: DiagramMark['kind']; cx: number; cy: number; size: number }) {
  const [Icon, solid] = MARK_ICON[kind];
  return <Icon x={cx - size / 2} y={cy - size / 2} size={size} class="glyph" fill={solid ? 'currentColor' : 'none'} strokeWidth={solid ? 1.5 : 2.5} />;
}

/** The marks whose words are written beside them on a lane (the others say theirs when picked). */
const NOTED = new Set<DiagramMark['kind']>(['decision', 'declared', 'broken', 'crashed', 'restarted']);

function Mark({
  mark,
  x,
  y,
  top,
  bottom,
  compact,
  selected,
  onPick,
  box,
  interactive,
}: {
  mark: DiagramMark;
  x: (t: number) => number;
  y: (s: string) => number;
  top: number;
  bottom: number;
  compact: boolean;
  selected: boolean;
  onPick: () => void;
  box: NoteBox;
  interactive: boolean;
}) {
  const text = say(mark.label);
  const cx = x(mark.at);
  const group = {
    class: `mark mark-${mark.kind} ${selected ? 'selected' : ''}`,
    ...asButton(interactive, text, onPick),
  };
  if (mark.seat === null) {
    return (
      <g {...group}>
        <title>{text}</title>
        <line x1={cx} x2={cx} y1={top - 6} y2={bottom} />
        {compact ? (
          <Glyph kind={mark.kind} cx={cx > box.right * 0.7 ? cx - 10 : cx + 10} cy={top - 8} size={14} />
        ) : (
          <Note text={text} cx={cx} cy={top - 0.3 * box.noteSize} box={box} above={false} />
        )}
      </g>
    );
  }
  const cy = y(mark.seat);
  return (
    <g {...group}>
      <title>{text}</title>
      <Glyph kind={mark.kind} cx={cx} cy={cy} size={compact ? 15 : Math.round(box.noteSize * 1.3)} />
      {!compact && NOTED.has(mark.kind) && <Note text={text} cx={cx} cy={cy - 0.6 * box.noteSize} box={box} above />}
    </g>
  );
}
