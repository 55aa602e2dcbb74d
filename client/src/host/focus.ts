// Which table the console shows enlarged (the focus view), kept in the address (`?table=T3`) so the
// browser's Back and Forward move between the grid and the table, and a reload keeps it.
import { signal } from '@preact/signals';

const fromAddress = () => new URLSearchParams(location.search).get('table');

/** The table shown on the whole screen, or null for the grid of every table. */
export const focused = signal<string | null>(fromAddress());

addEventListener('popstate', () => (focused.value = fromAddress()));

function addressWith(table: string | null): string {
  const params = new URLSearchParams(location.search);
  if (table === null) params.delete('table');
  else params.set('table', table);
  const q = params.toString();
  return location.pathname + (q ? `?${q}` : '');
}

/** Enlarge one table: a new entry in the history, so Back returns to the grid. */
export function openFocus(table: string) {
  history.pushState({ focus: table }, '', addressWith(table));
  focused.value = table;
}

/** Back to every table: the history entry the focus view made is left, or (opened from an address) replaced. */
export function closeFocus() {
  if ((history.state as { focus?: string } | null)?.focus) history.back();
  else {
    history.replaceState(null, '', addressWith(null));
    focused.value = null;
  }
}
