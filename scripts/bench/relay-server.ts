// The baseline: a bare socket.io relay on the same engine and settings as Valley's gateway, with no
// game logic. A client names itself in its handshake; "relay" {to, data} is emitted to that client
// and acknowledged to the sender. Reports its port and stats like valley-server.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { processMeter } from './meter.ts';

const report = (msg: Record<string, unknown>) => {
  if (process.send) process.send(msg);
  else process.stdout.write(`@valley ${JSON.stringify(msg)}\n`);
};

const http = createServer();
const io = new Server(http, { wsEngine: WebSocketServer, maxHttpBufferSize: 16 * 1024, serveClient: false });
io.on('connection', (socket) => {
  const id = String(socket.handshake.auth?.id ?? '');
  if (id) void socket.join(id);
  socket.on('relay', (m: { to: string; data: unknown }, ack?: (r: unknown) => void) => {
    io.to(m.to).emit('relayed', m.data);
    ack?.({ ok: true });
  });
});
await new Promise<void>((resolve) => http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
report({ type: 'ready', port: (http.address() as AddressInfo).port, pid: process.pid });

const meter = processMeter(() => ({ connections: io.engine.clientsCount }));
const stats = meter.stats;
setInterval(() => report(stats()), Number(process.env.STATS_MS ?? 1000)).unref();
process.on('message', (m: { type: string }) => {
  if (m.type === 'reset') {
    meter.reset();
    report({ ...stats(), type: 'reset' });
  } else if (m.type === 'stats') report(stats());
  else if (m.type === 'shutdown') shutdown();
});
function shutdown() {
  void io.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);
