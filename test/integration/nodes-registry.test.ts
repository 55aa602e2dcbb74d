// A node's registry (nodes/): a new session's code is claimed in the shared directory, and drawn again
// when another node has it; one session is recovered from its log alone when its node is gone.
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';

describe('a node’s registry', () => {
  it('draws a new code (and id) when the directory says the code is taken, and claims each one it makes', async () => {
    const asked: string[] = [];
    const server = await startServer({
      node: {
        address: '127.0.0.1',
        recovers: () => false,
        claim: async (_id, code) => (asked.push(code), asked.length > 2),
      },
    });
    try {
      const { session } = await server.valley.registry.create();
      expect(asked).toHaveLength(3);
      expect(session.code).toBe(asked[2]);
    } finally {
      await server.close();
    }
  });

  it('recovers only the logs it is told are its own at start-up, and one more by id when asked', async () => {
    const first = await startServer();
    const a = (await first.valley.registry.create()).session;
    const b = (await first.valley.registry.create()).session;
    await first.valley.idle();
    await first.close();
    const node = await startServer({ dataDir: first.dataDir, node: { address: '127.0.0.1', recovers: (id) => id === a.id, claim: async () => true } });
    try {
      expect([...node.valley.registry.byId.keys()]).toEqual([a.id]);
      const adopted = await node.valley.registry.recoverOne(b.id);
      expect(adopted?.code).toBe(b.code);
      expect(node.valley.registry.byCode.get(b.code)).toBe(adopted);
      expect(await node.valley.registry.recoverOne('nosuchsession00')).toBeNull();
    } finally {
      await node.close();
    }
  });
});
