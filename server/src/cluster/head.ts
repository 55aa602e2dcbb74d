// Reading a connection's request line before anyone serves it: the cluster's primary (primary.ts)
// and a node's front door (nodes/front.ts) both route a connection by the session its first request
// names, then hand the socket on with the bytes they read.
import type { Socket } from 'node:net';
import { readRequestLine } from './route.ts';

/** A connection that has not sent its request line by then is closed (a slow client holds nothing). */
const HEAD_TIMEOUT_MS = 10_000;
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Stop the socket's handle reading. `pause()` alone stops only the 'data' events: the handle would
 * read on into this process's buffer, and those bytes would be lost when the handle goes elsewhere.
 */
export function stopReading(socket: Socket) {
  const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?(): number } })._handle;
  if (handle?.reading) {
    handle.reading = false;
    handle.readStop?.();
  }
}

/**
 * Read `socket` (made with `pauseOnConnect`) until its request line has arrived, then stop reading it
 * and call `route` with the line's target and every byte read so far. A line that is not HTTP/1.x, or
 * 8 KB with no line end, is answered 400 and closed; a socket silent for 10 s is closed.
 */
export function onRequestLine(socket: Socket, route: (target: string, head: Buffer) => void) {
  socket.on('error', () => socket.destroy());
  const chunks: Buffer[] = [];
  const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    const head = chunks.length === 1 ? chunk : Buffer.concat(chunks);
    const line = readRequestLine(head);
    if (line.type === 'partial') return;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.pause();
    stopReading(socket);
    if (line.type === 'bad') return void socket.end(BAD_REQUEST);
    route(line.target, head);
  };
  socket.on('data', onData);
  socket.resume();
}
