// `npm start`: serve Valley to a classroom on this machine's network. VALLEY_WORKERS=N (the machine's
// cores by default) runs N workers under node:cluster, each holding its part of the sessions, behind a
// primary that routes each connection to its session's worker (cluster/); 1 is one process, as before.
// VALLEY_REDIS makes it one node of several behind a load balancer, sharing a directory (nodes/).
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createValley, type ValleyOptions } from './app.ts';
import { startPrimary } from './cluster/primary.ts';
import { serveAsWorker } from './cluster/worker.ts';
import { lanAddresses } from './http.ts';
import { startNode } from './nodes/node.ts';
import { DURABILITIES, type Durability } from './store.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const durability = (process.env.DURABILITY ?? 'disk') as Durability;
if (!DURABILITIES.includes(durability)) {
  console.error(`DURABILITY must be one of ${DURABILITIES.join(', ')} (got ${durability})`);
  process.exit(2);
}
const redis = process.env.VALLEY_REDIS ?? '';
// A node is one process: to use every core of a machine, run one node per core behind the load balancer.
const workers = Number(process.env.VALLEY_WORKERS || (redis ? 1 : availableParallelism()));
if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
  console.error(`VALLEY_WORKERS must be a whole number from 1 to 256 (got ${process.env.VALLEY_WORKERS})`);
  process.exit(2);
}
const nodeTtlMs = Number(process.env.VALLEY_NODE_TTL_MS ?? 10_000);
if (redis) {
  const problems = [
    workers !== 1 && 'with VALLEY_REDIS a node is one process: leave VALLEY_WORKERS unset or 1, and run one node per core',
    !process.env.VALLEY_NODE && 'VALLEY_REDIS needs VALLEY_NODE, a name unique among the nodes',
    !process.env.VALLEY_NODE_ADDRESS &&
      (host === '0.0.0.0' || host === '::') &&
      'VALLEY_REDIS with HOST=0.0.0.0 needs VALLEY_NODE_ADDRESS (host:port the other nodes reach this one at)',
    (!Number.isInteger(nodeTtlMs) || nodeTtlMs < 300) &&
      `VALLEY_NODE_TTL_MS must be a whole number of milliseconds, at least 300 (got ${process.env.VALLEY_NODE_TTL_MS})`,
  ].filter(Boolean);
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    process.exit(2);
  }
}

// VALLEY_PUBLIC_URL: the address students are given when it is not this machine's (a load balancer's).
const publicUrl = process.env.VALLEY_PUBLIC_URL?.replace(/\/+$/, '');
if (publicUrl !== undefined && !/^https?:\/\/[^/\s?#]+$/.test(publicUrl)) {
  console.error(`VALLEY_PUBLIC_URL must be an origin such as http://valley.school.example (got ${process.env.VALLEY_PUBLIC_URL})`);
  process.exit(2);
}

const options: ValleyOptions = {
  dataDir,
  clientDir: resolve(root, 'client/dist'),
  logger: log,
  durability,
  allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
  ...(publicUrl ? { publicUrl } : {}),
};

const banner = (p: number) => {
  const urls = host === '0.0.0.0' ? [...lanAddresses(), 'localhost'] : [host];
  console.log(
    `\n  Valley is ready. Students join at:\n${urls.map((u) => `    http://${u}:${p}/join`).join('\n')}\n  Host a class at http://localhost:${p}/host\n`,
  );
};

if (cluster.isWorker) {
  const index = Number(process.env.VALLEY_WORKER_INDEX);
  const own = log.child({ worker: index });
  await serveAsWorker(index, workers, { ...options, logger: own });
} else if (redis) {
  const node = await startNode({
    redisUrl: redis,
    name: process.env.VALLEY_NODE!,
    port,
    host,
    ...(process.env.VALLEY_NODE_ADDRESS ? { address: process.env.VALLEY_NODE_ADDRESS } : {}),
    ttlMs: nodeTtlMs,
    valley: options,
  });
  log.info({ port: node.front.address.port, dataDir, durability, node: process.env.VALLEY_NODE, address: node.address }, 'Valley is listening');
  banner(node.front.address.port);
  const shutdown = async () => {
    await node.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} else if (workers > 1) {
  const primary = await startPrimary({ count: workers, port, host, dataDir, log });
  log.info({ port: primary.address.port, dataDir, durability, workers, workerPids: primary.pids() }, 'Valley is listening');
  banner(primary.address.port);
  const shutdown = async () => {
    await primary.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} else {
  const valley = await createValley(options);
  const address = await valley.listen(port, host);
  log.info({ port: address.port, dataDir, durability }, 'Valley is listening');
  banner(address.port);
  const shutdown = async () => {
    await valley.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
