// A tiny path router: the app's pages are /, /join/CODE, /play/CODE and /host/SESSION.
import { signal } from '@preact/signals';

export const path = signal(location.pathname);

export function navigate(to: string) {
  history.pushState(null, '', to + location.search);
  path.value = to;
}

addEventListener('popstate', () => (path.value = location.pathname));

export type Route =
  { page: 'home'; code: string } | { page: 'play'; code: string } | { page: 'host'; sessionId: string } | { page: 'hostNew' } | { page: 'replay' };

export function route(p: string): Route {
  const parts = p.split('/').filter(Boolean);
  if (parts[0] === 'play' && parts[1]) return { page: 'play', code: parts[1].toUpperCase() };
  if (parts[0] === 'host' && parts[1]) return { page: 'host', sessionId: parts[1] };
  if (parts[0] === 'host') return { page: 'hostNew' };
  if (parts[0] === 'replay') return { page: 'replay' };
  if (parts[0] === 'join' && parts[1]) return { page: 'home', code: parts[1].toUpperCase() };
  return { page: 'home', code: '' };
}
