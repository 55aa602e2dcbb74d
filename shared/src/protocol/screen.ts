// A student's screen travels as changes: the whole view once (on join or resume), then numbered JSON
// Patches (RFC 6902, made and applied by fast-json-patch) from one version to the next. A long game's
// screen is kilobytes; a messenger arriving changes a few fields of it.
import fjp, { type Operation } from 'fast-json-patch';

export type { Operation };

/** The changes from version `from` of a screen to version `to`. */
export interface ScreenPatch {
  from: number;
  to: number;
  ops: Operation[];
}

/**
 * The patch from one screen to the next, or null when nothing a student can see changed. Screens are
 * plain JSON built fresh for each change and never changed afterwards, so unlike fast-json-patch's own
 * compare() (which deep-copies every value it puts in a patch through JSON, a tenth of a hall's
 * server time in a profile) the patch refers to the new screen's values as they are. Arrays are
 * compared index by index, the way screens grow: at the end. The same ops as compare(), in another order.
 */
export function diffScreen(before: unknown, after: unknown): Operation[] | null {
  const ops: Operation[] = [];
  step(before, after, '', ops);
  return ops.length === 0 ? null : ops;
}

type Json = Record<string, unknown> | unknown[];
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null;
const escape = (k: string) => (k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k);

function step(a: unknown, b: unknown, path: string, ops: Operation[]) {
  if (a === b) return;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) return diffInto(a, b, path, ops);
  // JSON has no undefined: it travels as null.
  ops.push({ op: 'replace', path, value: b === undefined ? null : b });
}

function diffInto(a: Json, b: Json, path: string, ops: Operation[]) {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) step(a[i], b[i], `${path}/${i}`, ops);
    // Removed from the end first, so each index is still right when its turn comes.
    for (let i = a.length - 1; i >= b.length; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = a.length; i < b.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: b[i] === undefined ? null : b[i] });
    return;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // A key whose value is undefined is absent in JSON.
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    if (y[k] === undefined || !Object.hasOwn(y, k)) ops.push({ op: 'remove', path: `${path}/${escape(k)}` });
    else step(x[k], y[k], `${path}/${escape(k)}`, ops);
  }
  for (const k of Object.keys(y)) {
    if (y[k] !== undefined && (x[k] === undefined || !Object.hasOwn(x, k))) ops.push({ op: 'add', path: `${path}/${escape(k)}`, value: y[k] });
  }
}

/**
 * A client's copy of its screen. `apply` takes the next patch: applied in order; an old one (a version
 * already held) ignored; after a gap (a patch lost, say across a reconnect) the caller asks for the
 * whole screen again. `mutate`: change the held view in place (a bot) rather than make a new one (a
 * page whose framework needs a new object to redraw).
 */
export class Screen<T> {
  view: T | null = null;
  version = -1;

  constructor(private readonly mutate = false) {}

  reset(view: T | null, version: number) {
    this.view = view;
    this.version = version;
  }

  apply(p: ScreenPatch): 'applied' | 'stale' | 'gap' {
    if (p.to <= this.version) return 'stale';
    if (this.view === null || p.from !== this.version) return 'gap';
    try {
      this.view = fjp.applyPatch(this.view, p.ops, false, this.mutate).newDocument;
    } catch {
      // A patch that does not fit this screen: ask for the whole screen again.
      return 'gap';
    }
    this.version = p.to;
    return 'applied';
  }
}
