// The primary's routing: read a connection's request line (`GET /path?query HTTP/1.1`) from its first
// bytes, and say which worker it goes to — the worker of the session it names, pairing's worker, or
// any. Pure functions of bytes and strings; primary.ts owns the sockets.
import { assertNever } from '@valley/shared';
import { sessionKey, workerOf } from './partition.ts';
import type { Strays } from './strays.ts';

/** A request line longer than this (with its CRLF) is refused: the connection is closed, never routed. */
export const MAX_REQUEST_LINE = 8192;

export type RequestLine = { type: 'partial' } | { type: 'bad'; reason: 'too-long' | 'malformed' } | { type: 'line'; method: string; target: string };

const LINE = /^([A-Z]{1,16}) (\/[\x21-\x7e]*) HTTP\/1\.[01]$/;

/** The request line at the start of `head`, once its line end has arrived. */
export function readRequestLine(head: Buffer): RequestLine {
  const end = head.indexOf(0x0a);
  if (end < 0) return head.length >= MAX_REQUEST_LINE ? { type: 'bad', reason: 'too-long' } : { type: 'partial' };
  if (end >= MAX_REQUEST_LINE) return { type: 'bad', reason: 'too-long' };
  const line = head.toString('latin1', 0, end > 0 && head[end - 1] === 0x0d ? end - 1 : end);
  const m = LINE.exec(line);
  return m ? { type: 'line', method: m[1]!, target: m[2]! } : { type: 'bad', reason: 'malformed' };
}

/**
 * Where a request goes. `session`: the worker of the session it names — `/api/sessions/:id/…` by its
 * id, a socket.io request by its `s` parameter (a join code or a session id). `pairing`: the one worker
 * that keeps the pairing desk (a request for a code names no session yet). `any`: the rest (pages,
 * assets, creating a session, /api/info, /healthz, a socket that names no session).
 */
export type Route = { type: 'session'; key: string } | { type: 'pairing' } | { type: 'any' };

export function routeOf(target: string): Route {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path.startsWith('/api/pair/') || /^\/api\/sessions\/[^/]+\/pair\/?$/.test(path)) return { type: 'pairing' };
  const api = /^\/api\/sessions\/([^/]+)(?:\/|$)/.exec(path);
  if (api) {
    const key = sessionKey(api[1]!);
    return key ? { type: 'session', key } : { type: 'any' };
  }
  if (path.startsWith('/socket.io/') && q >= 0) {
    const s = new URLSearchParams(target.slice(q + 1)).get('s');
    const key = s === null ? null : sessionKey(s);
    if (key) return { type: 'session', key };
  }
  return { type: 'any' };
}

/** The pairing desk lives in worker 0 (see http.ts: it checks a host key from the log's header). */
export const PAIRING_WORKER = 0;

/**
 * The worker index a route goes to among `count`; `next()` gives the round-robin turn for `any`;
 * `strays` the holders of codes made under another number of workers (strays.ts).
 */
export function workerFor(route: Route, count: number, next: () => number, strays: Strays = new Map()): number {
  switch (route.type) {
    case 'session':
      return strays.get(route.key) ?? workerOf(route.key, count);
    case 'pairing':
      return PAIRING_WORKER;
    case 'any':
      return next() % count;
    default:
      return assertNever(route);
  }
}
