// A node's front door: it listens on the node's port, reads each connection's request line (as the
// cluster's primary does, cluster/route.ts), asks where the session it names is held, and either hands
// the connection to this node's own HTTP server or pipes it, raw and whole (a WebSocket upgrade
// included), to the node holding the session.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { assertNever } from '@valley/shared';
import { onRequestLine } from '../cluster/head.ts';
import { routeOf, type Route } from '../cluster/route.ts';

/** Where a connection goes: this node's server, or another node's address (`host:port`). */
export type Place = { type: 'here' } | { type: 'there'; address: string } | { type: 'unavailable' };

/** The holder could not be reached (gone, its heartbeat not yet lapsed): the client tries again. */
const UNAVAILABLE = 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n';

export interface Front {
  server: Server;
  address: AddressInfo;
  close(): Promise<void>;
}

/** `host:port` (an IPv6 host in brackets or not) → its parts. */
export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

export async function startFront(o: {
  port: number;
  host: string;
  /** This node's HTTP server (never listening itself): the connections it serves are emitted into it. */
  http: () => HttpServer;
  place: (route: Route) => Promise<Place>;
  log: Logger;
}): Promise<Front> {
  const here = (socket: Socket, head: Buffer) => {
    // As cluster/worker.ts does: the HTTP server takes the socket, then the bytes already read.
    o.http().emit('connection', socket);
    socket.emit('data', head);
    socket.resume();
  };

  const there = (socket: Socket, head: Buffer, address: string) => {
    const { host, port } = splitAddress(address);
    const up = connect({ host, port });
    let open = false;
    up.once('connect', () => {
      open = true;
      up.write(head);
      socket.pipe(up);
      up.pipe(socket);
    });
    up.on('error', (err) => {
      if (!open) {
        o.log.warn({ holder: address, err: err.message }, 'the node holding a session cannot be reached');
        socket.end(UNAVAILABLE);
      } else socket.destroy();
    });
    socket.once('close', () => up.destroy());
  };

  const sockets = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onRequestLine(socket, (target, head) =>
      o.place(routeOf(target)).then(
        (p) => {
          if (socket.destroyed) return;
          switch (p.type) {
            case 'here':
              return here(socket, head);
            case 'there':
              return there(socket, head, p.address);
            case 'unavailable':
              return void socket.end(UNAVAILABLE);
            default:
              return assertNever(p);
          }
        },
        (err: Error) => {
          o.log.error({ err: err.message }, 'could not place a connection');
          socket.end(UNAVAILABLE);
        },
      ),
    );
  });

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server.address() as AddressInfo));
  });
  return {
    server,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
