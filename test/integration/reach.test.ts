// Where students can reach the server: bound to loopback only (as every test server is), /api/info
// offers no address to project, and the host console says so instead.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('/api/info', () => {
  it('bound to 127.0.0.1: loopback only, and no address a laptop could not reach', async () => {
    server = await startServer();
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { addresses: string[]; port: number; loopbackOnly: boolean };
    expect(info).toEqual({ addresses: [], port: Number(new URL(server.url).port), loopbackOnly: true });
  });
});
