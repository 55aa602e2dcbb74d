// Which tables the console shows: the cards on screen (and a screen's height around them) are
// watched, and the server sends those in detail; the others come as counts and outcome.
import { MAX_WATCHED, type HostTable } from '@valley/shared';
import { EV, call, syncClock } from '../net.ts';
import { mergeTables, view } from './store.ts';

/** The tables on screen (and a screen's height around it): the server sends these in detail. */
export const watched = new Set<string>();
/** Tables shown enlarged (the focus view): watched whether or not their card is on screen. */
export const pinned = new Set<string>();
let watchTimer: ReturnType<typeof setTimeout> | null = null;

/** What the server is told to send in detail: the pinned tables first, then the cards on screen. */
export const watchList = (): string[] => [...new Set([...pinned, ...watched])].slice(0, MAX_WATCHED);
let observer: IntersectionObserver | null = null;

export function tellWatched() {
  if (watchTimer) return;
  // A scroll moves many cards at once: say it once.
  watchTimer = setTimeout(async () => {
    watchTimer = null;
    const tables = watchList();
    const r = await call<{ now: number; tables: HostTable[] }>(EV.hostWatch, { tables });
    if (r.ok) {
      syncClock(r.now);
      foldUnwatched(new Set(tables));
      mergeTables(r.tables);
    }
  }, 120);
}

/**
 * Tables no longer watched: the server sends them by status from now on, and nothing at all until they
 * move (a paused or finished one, never). Fold them to their summary at once rather than keep a stale
 * whole game on the page.
 */
export function foldUnwatched(shown: Set<string>) {
  const v = view.value;
  const stale = (t: HostTable) => t.game?.state != null && !shown.has(t.id);
  if (!v || !v.tables.some(stale)) return;
  view.value = { ...v, tables: v.tables.map((t) => (stale(t) ? { ...t, game: { ...t.game!, state: null } } : t)) };
}

export function watchCards(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      let changed = false;
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.table!;
        if (e.isIntersecting && !watched.has(id)) changed = !!watched.add(id);
        else if (!e.isIntersecting && watched.delete(id)) changed = true;
      }
      if (changed) tellWatched();
    },
    { rootMargin: '100% 0px' },
  );
  return observer;
}
