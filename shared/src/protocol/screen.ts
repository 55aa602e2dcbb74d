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

/** The patch from one screen to the next, or null when nothing a student can see changed. */
export function diffScreen(before: unknown, after: unknown): Operation[] | null {
  const ops = fjp.compare(before as object, after as object);
  return ops.length === 0 ? null : ops;
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
