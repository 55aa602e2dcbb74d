// The baseline: a bare socket.io relay on the same engine and settings as Valley's gateway, with no
// game logic. A client names itself in its handshake; "relay" {to, data} is emitted to that client
// and acknowledged to the sender. Reports its port and stats like valley-server.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

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

// The histogram records each sampling interval: the lag is what exceeds the resolution.
const RESOLUTION_MS = 5;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const lagMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
delay.enable();
let cpu = process.cpuUsage();
let last = performance.now();
const stats = () => {
  const now = performance.now();
  const used = process.cpuUsage(cpu);
  const msg = {
    type: 'stats',
    rssMB: process.memoryUsage.rss() / 2 ** 20,
    heapMB: process.memoryUsage().heapUsed / 2 ** 20,
    cpu: (used.user + used.system) / 1000 / (now - last),
    lag: { p50: lagMs(delay.percentile(50)), p99: lagMs(delay.percentile(99)), max: lagMs(delay.max), mean: lagMs(delay.mean) },
    connections: io.engine.clientsCount,
  };
  cpu = process.cpuUsage();
  last = now;
  return msg;
};
setInterval(() => report(stats()), Number(process.env.STATS_MS ?? 1000)).unref();
process.on('message', (m: { type: string }) => {
  if (m.type === 'reset') {
    delay.reset();
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
