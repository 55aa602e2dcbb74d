// The connection to the valley: one socket.io client per page, with automatic reconnection and the
// long-polling fallback for school networks that block WebSockets.
import { signal } from '@preact/signals';
import { io, type Socket } from 'socket.io-client';
import { normaliseCode } from '@valley/shared';
import { route } from './router.ts';

export type ServerError = { rule: string; evidence: Record<string, string | number> };
export type Reply<T> = ({ ok: true } & T) | { ok: false; error: ServerError };

export const connected = signal(false);
/** Server time minus local time, from the `now` each update carries: countdowns follow the server. */
export const clockOffset = signal(0);
export const serverNow = () => Date.now() + clockOffset.value;

let socket: Socket | null = null;

/**
 * The session this page's connection names in its handshake (`?s=`): the host console's session id, a
 * student's join code. A server of several workers routes the connection, each long-polling request
 * included, to the worker holding that session; one that names none may reach a worker that does not
 * know the session, and hears "unknown code".
 */
let key = keyOf(location.pathname);

function keyOf(path: string): string {
  const r = route(path);
  return r.page === 'host' ? r.sessionId : r.page === 'play' ? r.code : r.page === 'home' ? normaliseCode(r.code) : '';
}

/** Name the session from now on (a code typed on the home page, say): the connection is made again. */
export function nameSession(next: string) {
  if (next === key) return;
  key = next;
  if (!socket) return;
  socket.io.opts.query = next ? { s: next } : {};
  // What is emitted meanwhile waits in socket.io's buffer and goes once the new connection is up.
  socket.disconnect();
  socket.connect();
}

export function getSocket(): Socket {
  if (socket) return socket;
  socket = io({ autoConnect: true, query: key ? { s: key } : {} });
  socket.on('connect', () => (connected.value = true));
  socket.on('disconnect', () => (connected.value = false));
  return socket;
}

export async function call<T>(event: string, payload: unknown): Promise<Reply<T>> {
  const s = getSocket();
  try {
    return (await s.timeout(10_000).emitWithAck(event, payload)) as Reply<T>;
  } catch {
    return { ok: false, error: { rule: 'net/offline', evidence: {} } };
  }
}

/** The connection that has already joined or attached (a fresh join needs no resume on it). */
export const session = { socketId: '' as string | undefined };
export const markEntered = () => (session.socketId = getSocket().id);
export const alreadyEntered = () => !!session.socketId && session.socketId === getSocket().id;

export function syncClock(now: number | undefined) {
  // An answer given again to a retried action may carry no time of its own: the clock stays as it was.
  if (typeof now !== 'number' || !Number.isFinite(now)) return;
  clockOffset.value = now - Date.now();
}

/** Runs `fn` on every (re)connection — to attach or resume the seat again after a drop. */
export function onConnect(fn: () => void) {
  const s = getSocket();
  s.on('connect', fn);
  if (s.connected) fn();
}

export { EVENTS as EV } from '@valley/shared';
