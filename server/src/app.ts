// Assembles the server: HTTP, the realtime gateway on the same port, the log store and the sessions.
import { createServer, type Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { ERRORS } from '@valley/shared/protocol';
import { realClock, type Clock } from './clock.ts';
import { partition } from './cluster/partition.ts';
import { PAIRING_WORKER } from './cluster/route.ts';
import type { Strays } from './cluster/strays.ts';
import { Gateway } from './gateway.ts';
import { createHttpApp, type Interfaces } from './http.ts';
import { defaultLimits, type Limits } from './limits.ts';
import { Registry } from './sessions/registry.ts';
import type { LogFiles } from './files.ts';
import { LogStore, type Durability } from './store.ts';
import { textParser } from './wire.ts';

export { reachable } from './http.ts';

export interface ValleyOptions {
  dataDir: string;
  clientDir?: string | null;
  /** Recorded example games served at /examples (default: the repository's examples/ folder). */
  examplesDir?: string | null;
  clock?: Clock;
  logger?: Logger;
  limits?: Partial<Limits>;
  /** Origins besides the server's own that may open a realtime connection (a dev server, say). */
  allowedOrigins?: string[];
  /** What an acknowledgement promises (see store.ts): `disk` by default. */
  durability?: Durability;
  /** The file system the log store uses (tests make it fail). */
  files?: LogFiles;
  /** This machine's network interfaces, for the addresses the console projects (tests give their own). */
  networkInterfaces?: () => Interfaces;
  /**
   * The address students are given, when it is not this machine's own (the load balancer's in front
   * of several nodes, say): the console projects it instead of the machine's interfaces.
   */
  publicUrl?: string;
  /**
   * One worker of several under the cluster's primary (cluster/): it holds only its part of the
   * sessions, is handed its connections instead of listening, and `address` is what the primary bound.
   */
  worker?: { index: number; count: number; address: string; strays?: Strays };
  /**
   * One node of several behind a load balancer (nodes/): new sessions are claimed in the shared
   * directory, only the logs `recovers` names are recovered at start-up, connections are handed to it
   * by the node's front (nodes/front.ts), and `address` is what that front bound.
   */
  node?: { address: string; claim(sessionId: string, code: string): Promise<boolean>; recovers(sessionId: string): boolean };
}

export interface Valley {
  http: HttpServer;
  io: Server;
  registry: Registry;
  store: LogStore;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
  idle(): Promise<void>;
}

/** A browser's Origin must be this server itself (or a listed one): a foreign page cannot drive a seat. */
function sameOrigin(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (!origin) return true; // bots and non-browser clients send none
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const defaultExamples = fileURLToPath(new URL('../../examples', import.meta.url));

/** A worker's part: ids and codes that hash to it, less the codes of sessions made under another number of workers. */
function ownPart(w: { index: number; count: number; strays?: Strays }) {
  const mine = partition(w.index, w.count);
  return (key: string) => mine(key) && !w.strays?.has(key);
}

export async function createValley(opts: ValleyOptions): Promise<Valley> {
  const clock = opts.clock ?? realClock;
  const log = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const limits = { ...defaultLimits, ...opts.limits };
  const allowed = opts.allowedOrigins ?? [];
  const store = new LogStore(opts.dataDir, opts.durability ?? 'disk', opts.files);
  await store.init();

  let gateway: Gateway | null = null;
  const worker = opts.worker;
  const node = opts.node;
  const registry = new Registry(
    store,
    clock,
    log,
    (s, change) => gateway?.notify(s, change),
    worker ? ownPart(worker) : undefined,
    node ? (id, code) => node.claim(id, code) : null,
  );
  // Express must own the HTTP server's request handler before socket.io wraps it, so that
  // socket.io's own paths never reach Express.
  const http: ReturnType<typeof createServer> = createServer(
    createHttpApp({
      registry,
      store,
      limits,
      clock,
      clientDir: opts.clientDir ?? null,
      examplesDir: opts.examplesDir === undefined ? defaultExamples : opts.examplesDir,
      log,
      bound: (): string | null => worker?.address ?? node?.address ?? (http.address() as AddressInfo | null)?.address ?? null,
      ...(opts.networkInterfaces ? { interfaces: opts.networkInterfaces } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      // A node may be the pairing desk for sessions other nodes hold (the load balancer sends every
      // pairing request to one node): it checks their host keys in the shared logs' headers.
      pairsForOthers: (worker !== undefined && worker.index === PAIRING_WORKER) || node !== undefined,
    }),
  );
  // A connection costs from its handshake on, before it reaches the gateway: the limit per address
  // counts every open transport, and one that never opens the namespace is closed by the auth time-out.
  const openByAddress = new Map<string, number>();
  const io = new Server(http, {
    wsEngine: WebSocketServer,
    parser: textParser,
    maxHttpBufferSize: limits.maxMessageBytes,
    connectTimeout: Math.min(10_000, limits.authTimeoutMs),
    serveClient: false,
    allowRequest: (req, cb) => {
      if (!sameOrigin(req.headers.origin, req.headers.host, allowed)) return cb(null, false);
      if ((openByAddress.get(req.socket.remoteAddress ?? '') ?? 0) >= limits.connectionsPerAddress) return cb(ERRORS.rateLimited, false);
      cb(null, true);
    },
  });
  io.engine.on('connection', (conn: { remoteAddress: string; once(event: 'close', listener: () => void): void }) => {
    const address = conn.remoteAddress;
    openByAddress.set(address, (openByAddress.get(address) ?? 0) + 1);
    conn.once('close', () => {
      const n = (openByAddress.get(address) ?? 1) - 1;
      if (n <= 0) openByAddress.delete(address);
      else openByAddress.set(address, n);
    });
  });
  // A worker's connection was routed by its first request, so it carries no other (see cluster/): every
  // plain HTTP response closes it, and the next request, a long-polling one included, is routed anew.
  // socket.io replaced the server's request listeners above, so this one goes first, before its own.
  // A node's front routes a connection by its first request too (nodes/front.ts): the same holds.
  if (worker || node) http.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
  gateway = new Gateway(io, registry, clock, limits, log);
  await registry.recover(node ? (id) => node.recovers(id) : undefined);

  return {
    http,
    io,
    registry,
    store,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve(http.address() as AddressInfo));
      }),
    async close() {
      registry.stop();
      await registry.idle();
      await io.close();
      http.closeAllConnections?.();
      await store.close();
    },
    idle: async () => {
      await registry.idle();
      await store.synced();
    },
  };
}
