// Where the tests find the repository and the client they built.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const clientDist = join(root, 'test-artifacts/client-dist');
