// `npm start`: build the browser client if it is missing or older than its sources, then run the
// server (TypeScript through tsx). Stops the server cleanly on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'client/dist/index.html');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(join(root, 'client/src')), newest(join(root, 'shared/src')), statSync(join(root, 'client/index.html')).mtimeMs);
if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
  console.log('Building the browser client…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'client/vite.config.ts'), logLevel: 'warn' });
}

// The server's own Node flags (server/node-flags.json says why); cluster workers inherit them.
const { flags } = JSON.parse(readFileSync(join(root, 'server/node-flags.json'), 'utf8'));
const server = spawn(process.execPath, [...flags, '--import', 'tsx', join(root, 'server/src/main.ts')], { stdio: 'inherit', cwd: process.cwd() });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
