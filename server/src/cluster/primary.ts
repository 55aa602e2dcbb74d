// The cluster's primary (VALLEY_WORKERS=N > 1): it forks N workers, each today's server holding its
// part of the sessions, listens on the port itself and routes each connection by its first request
// line to the worker of the session it names (as @socket.io/sticky routes by sid; we route by
// session). A worker that dies is forked again with the same index; its connections wait meanwhile.
import cluster, { type Worker } from 'node:cluster';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { onRequestLine } from './head.ts';
import { routeOf, workerFor } from './route.ts';
import { findStrays } from './strays.ts';
import type { ClusterMessage } from './worker.ts';

/** Connections waiting for a worker being restarted: beyond these, or after this long, they are closed. */
const QUEUE_MAX = 10_000;
const QUEUE_MS = 30_000;
/** A worker that dies within this of its start is restarted after a growing pause (up to 5 s). */
const CRASH_LOOP_MS = 10_000;

interface Slot {
  index: number;
  worker: Worker | null;
  ready: boolean;
  startedAt: number;
  /** Restarts in a row, each soon after the last start: the pause before the next one grows. */
  quickDeaths: number;
  queue: { socket: Socket; head: Buffer; timer: NodeJS.Timeout }[];
}

export interface Primary {
  address: AddressInfo;
  /** Each worker's pid by index (a worker being restarted has none). */
  pids(): (number | null)[];
  close(): Promise<void>;
}

export async function startPrimary(o: { count: number; port: number; host: string; dataDir: string; log: Logger }): Promise<Primary> {
  const { count, log } = o;
  const strays = await findStrays(o.dataDir, count);
  if (strays.size > 0) log.info({ strays: strays.size }, 'sessions made under another number of workers: their codes are routed to their holders');
  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({ index, worker: null, ready: false, startedAt: 0, quickDeaths: 0, queue: [] }));
  let closing = false;
  let turn = 0;
  // Round-robin over the workers that are ready, so a page load never waits for one being restarted.
  const next = () => {
    for (let i = 0; i < count; i++) {
      const k = turn++ % count;
      if (slots[k]!.ready) return k;
    }
    return turn++ % count;
  };

  const hand = (slot: Slot, socket: Socket, head: Buffer) => {
    if (socket.destroyed) return;
    if (!slot.ready || !slot.worker) {
      if (slot.queue.length >= QUEUE_MAX) return void socket.destroy();
      const timer = setTimeout(() => socket.destroy(), QUEUE_MS);
      slot.queue.push({ socket, head, timer });
      return;
    }
    const m: ClusterMessage = { type: 'valley:connection', head: head.toString('base64') };
    slot.worker.send(m, socket, (err: Error | null) => {
      if (err) socket.destroy();
    });
  };

  const server = createServer({ pauseOnConnect: true }, (socket) =>
    onRequestLine(socket, (target, head) => hand(slots[workerFor(routeOf(target), count, next, strays)]!, socket, head)),
  );

  const fork = (slot: Slot) => {
    const worker = cluster.fork({ VALLEY_WORKER_INDEX: String(slot.index), VALLEY_WORKERS: String(count), VALLEY_BOUND: address.address });
    slot.worker = worker;
    slot.ready = false;
    slot.startedAt = Date.now();
    worker.on('message', (m: ClusterMessage) => {
      if (m?.type !== 'valley:ready') return;
      slot.ready = true;
      log.info({ worker: slot.index, workerPid: worker.process.pid, sessions: m.sessions, broken: m.broken }, 'worker ready');
      for (const q of slot.queue.splice(0)) {
        clearTimeout(q.timer);
        hand(slot, q.socket, q.head);
      }
      if (slots.every((s) => s.ready)) allReady?.();
    });
    log.info({ worker: slot.index, workerPid: worker.process.pid }, 'worker started');
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.find((s) => s.worker === worker);
    if (!slot) return;
    slot.worker = null;
    slot.ready = false;
    if (closing) return;
    // One that dies before every worker was first ready cannot start (a data folder it may not read,
    // say): the server fails to start, as one process would, rather than try for ever.
    if (failStart) return failStart(new Error(`worker ${slot.index} exited before it was ready (code ${code}, signal ${signal})`));
    slot.quickDeaths = Date.now() - slot.startedAt < CRASH_LOOP_MS ? slot.quickDeaths + 1 : 0;
    const pause = Math.min(5000, slot.quickDeaths === 0 ? 0 : 100 * 2 ** slot.quickDeaths);
    log.error({ worker: slot.index, workerPid: worker.process.pid, code, signal, restartInMs: pause }, 'worker died; restarting it');
    setTimeout(() => !closing && fork(slot), pause);
  });

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server.address() as AddressInfo));
  });
  let allReady: (() => void) | null = null;
  let failStart: ((err: Error) => void) | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    allReady = resolve;
    failStart = reject;
  });
  for (const slot of slots) fork(slot);
  try {
    await ready;
  } catch (err) {
    closing = true;
    server.close();
    for (const s of slots) s.worker?.process.kill('SIGKILL');
    throw err;
  }
  allReady = null;
  failStart = null;

  return {
    address,
    pids: () => slots.map((s) => s.worker?.process.pid ?? null),
    async close() {
      closing = true;
      server.close();
      for (const slot of slots) for (const q of slot.queue.splice(0)) q.socket.destroy();
      const exits = slots
        .flatMap((s) => (s.worker ? [s.worker] : []))
        .map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              const kill = setTimeout(() => w.process.kill('SIGKILL'), 5000);
              w.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              const m: ClusterMessage = { type: 'valley:shutdown' };
              w.send(m);
            }),
        );
      await Promise.all(exits);
    },
  };
}
