// Where students can reach the server: bound to loopback only (as every test server is), /api/info
// offers no address to project, and the host console says so instead. Bound to every interface, it
// lists each non-internal IPv4 address with its interface's name, for the console's picker.
import type { NetworkInterfaceInfo } from 'node:os';
import { pino } from 'pino';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createValley, reachable, type Valley } from '@valley/server';

import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer | null = null;
let valley: Valley | null = null;
afterEach(async () => {
  await server?.close();
  await valley?.close();
  server = null;
  valley = null;
});

const nic = (address: string, extra: Partial<NetworkInterfaceInfo> = {}): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/24`, ...extra }) as NetworkInterfaceInfo;
/** A teacher's laptop: loopback, wired, Wi-Fi (with an IPv6 address too) and a container bridge. */
const laptop = {
  lo: [nic('127.0.0.1', { internal: true })],
  eth0: [nic('192.0.2.10')],
  wlan0: [nic('198.51.100.7'), { ...nic('fe80::1'), family: 'IPv6' } as NetworkInterfaceInfo],
  docker0: [nic('172.17.0.1')],
};
type Info = { addresses: string[]; interfaces: { name: string; address: string }[]; port: number; loopbackOnly: boolean };

describe('/api/info', () => {
  it('bound to 127.0.0.1: loopback only, and no address a laptop could not reach', async () => {
    server = await startServer({ networkInterfaces: () => laptop });
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as Info;
    expect(info).toEqual({ addresses: [], interfaces: [], port: Number(new URL(server.url).port), loopbackOnly: true });
  });

  it('bound to every interface: each non-internal IPv4 address, named by its interface, for the teacher to pick', async () => {
    valley = await createValley({
      dataDir: await mkdtemp(join(tmpdir(), 'valley-reach-')),
      logger: pino({ level: 'silent' }),
      networkInterfaces: () => laptop,
    });
    const { port } = await valley.listen(0, '0.0.0.0');
    const info = (await (await fetch(`http://127.0.0.1:${port}/api/info`)).json()) as Info;
    expect(info).toEqual({
      addresses: ['192.0.2.10', '198.51.100.7', '172.17.0.1'],
      interfaces: [
        { name: 'eth0', address: '192.0.2.10' },
        { name: 'wlan0', address: '198.51.100.7' },
        { name: 'docker0', address: '172.17.0.1' },
      ],
      port,
      loopbackOnly: false,
    });
  });

  it('bound to one address: only that one, since the others do not answer', () => {
    expect(reachable('198.51.100.7', laptop)).toEqual({ interfaces: [{ name: 'wlan0', address: '198.51.100.7' }], loopbackOnly: false });
    expect(reachable('::ffff:192.0.2.10', laptop).interfaces).toEqual([{ name: 'eth0', address: '192.0.2.10' }]);
    expect(reachable('::', laptop).interfaces).toHaveLength(3);
    expect(reachable('::1', laptop)).toEqual({ interfaces: [], loopbackOnly: true });
  });
});
