// `npm start`: serve Valley to a classroom on this machine's network.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createValley } from './app.ts';
import { lanAddresses } from './http.ts';
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

const valley = await createValley({
  dataDir,
  clientDir: resolve(root, 'client/dist'),
  logger: log,
  durability,
  allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
});
const address = await valley.listen(port, host);
const urls = host === '0.0.0.0' ? [...lanAddresses(), 'localhost'] : [host];
log.info({ port: address.port, dataDir, durability }, 'Valley is listening');
console.log(
  `\n  Valley is ready. Students join at:\n${urls.map((u) => `    http://${u}:${address.port}/join`).join('\n')}\n  Host a class at http://localhost:${address.port}/host\n`,
);

const shutdown = async () => {
  await valley.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
