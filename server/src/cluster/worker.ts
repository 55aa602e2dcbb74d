// A worker under the cluster's primary: today's server (createValley) holding its part of the
// sessions, fed the connections the primary routed to it instead of listening on a port.
import { Socket } from 'node:net';
import { createValley, type Valley, type ValleyOptions } from '../app.ts';
import { findStrays } from './strays.ts';

/** What the primary and a worker say to each other over the IPC channel. */
export type ClusterMessage =
  { type: 'valley:connection'; head: string } | { type: 'valley:ready'; index: number; sessions: number; broken: number } | { type: 'valley:shutdown' };

export async function serveAsWorker(index: number, count: number, options: ValleyOptions): Promise<Valley> {
  const strays = await findStrays(options.dataDir, count);
  const valley = await createValley({ ...options, worker: { index, count, address: process.env.VALLEY_BOUND ?? '0.0.0.0', strays } });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await valley.close();
    process.exit(0);
  };
  process.on('message', (m: ClusterMessage, handle: unknown) => {
    if (m?.type === 'valley:connection' && handle instanceof Socket) {
      // As @socket.io/sticky does: the HTTP server takes the socket, then the bytes the primary already
      // read (the request line and whatever came with it), then the socket reads on by itself.
      valley.http.emit('connection', handle);
      handle.emit('data', Buffer.from(m.head, 'base64'));
      handle.resume();
    } else if (m?.type === 'valley:shutdown') void shutdown();
  });
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // The primary is gone (killed, say): no connection will come, and the logs are all written.
  process.on('disconnect', () => void shutdown());
  const ready: ClusterMessage = { type: 'valley:ready', index, sessions: valley.registry.byId.size, broken: valley.registry.broken.length };
  process.send?.(ready);
  return valley;
}
