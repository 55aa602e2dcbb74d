// Runs once before every test file: builds the browser client a single time. Building it from each
// browser-test file raced — one file emptied the folder while another's server was serving from it.
import { join } from 'node:path';
import { build } from 'vite';
import { clientDist, root } from './paths.ts';

export default async function setup() {
  await build({ configFile: join(root, 'client/vite.config.ts'), logLevel: 'silent', build: { outDir: clientDist, emptyOutDir: true } });
}
