// One Valley node of several behind a load balancer (VALLEY_REDIS set): today's server, whose sessions
// are listed in a directory shared by every node (directory.ts), behind a front door (front.ts) that
// sends each connection to the node holding the session it names — and that adopts a session, from
// its log on the shared disk, when the node holding it is gone.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCode } from '@valley/shared';
import { createValley, type Valley, type ValleyOptions } from '../app.ts';
import { headerCode } from '../cluster/strays.ts';
import type { Route } from '../cluster/route.ts';
import { SESSION_ID } from '../store.ts';
import { Directory } from './directory.ts';
import { startFront, type Front, type Place } from './front.ts';

export interface NodeOptions {
  redisUrl: string;
  /** This node's name in the directory: unique among the nodes. */
  name: string;
  port: number;
  host: string;
  /** How the other nodes reach this one (`host:port`); by default the host and port it bound. */
  address?: string;
  /** A node whose heartbeat is older than this is taken for gone, and its sessions adopted. */
  ttlMs: number;
  valley: ValleyOptions;
}

export interface ValleyNode {
  valley: Valley;
  front: Front;
  directory: Directory;
  address: string;
  close(): Promise<void>;
}

/** Every log on the shared disk, with its join code (from its header line). */
async function logsOnDisk(dataDir: string): Promise<{ sessionId: string; code: string }[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return [];
  }
  const out: { sessionId: string; code: string }[] = [];
  for (const name of names) {
    const sessionId = name.endsWith('.ndjson') ? name.slice(0, -'.ndjson'.length) : '';
    if (!SESSION_ID.test(sessionId)) continue;
    const code = await headerCode(join(dataDir, name));
    if (code !== null) out.push({ sessionId, code });
  }
  return out;
}

export async function startNode(o: NodeOptions): Promise<ValleyNode> {
  const log = o.valley.logger!;
  let valley: Valley | null = null;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  let directory: Directory | null = null;
  /** Sessions being recovered here after their holder was found gone: one recovery each. */
  const adopting = new Map<string, Promise<unknown>>();

  const recoverHere = async (sessionId: string) => {
    const v = valley!;
    if (v.registry.byId.has(sessionId) || v.registry.broken.some((b) => b.sessionId === sessionId)) return;
    let p = adopting.get(sessionId);
    if (!p) {
      p = v.registry.recoverOne(sessionId).finally(() => adopting.delete(sessionId));
      adopting.set(sessionId, p);
    }
    await p;
  };

  const place = async (route: Route): Promise<Place> => {
    await ready;
    const v = valley!;
    // Pages, assets, new sessions, pairing (the load balancer sends it all to one node), health: here.
    if (route.type !== 'session') return { type: 'here' };
    const key = route.key;
    if (v.registry.byId.has(key) || v.registry.byCode.has(key)) return { type: 'here' };
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await directory!.resolve(key, isCode(key) ? 'code' : 'session');
      // Unknown to every node: served here, which answers as for a wrong code.
      if (!holder) return { type: 'here' };
      if (holder.node === directory!.node) {
        await recoverHere(holder.sessionId);
        return { type: 'here' };
      }
      if (holder.address) return { type: 'there', address: holder.address };
      // The holder's heartbeat has lapsed: take the session over, from its log on the shared disk. With
      // no such log here (no shared storage), the session waits for its node: the client tries again.
      if ((await v.store.header(holder.sessionId)) === null) return { type: 'unavailable' };
      if (await directory!.adopt(holder.sessionId, holder.node)) {
        log.warn({ session: holder.sessionId, from: holder.node }, 'adopting a session whose node is gone');
        await recoverHere(holder.sessionId);
        return { type: 'here' };
      }
      // Another node adopted it first (or the holder came back): look again.
    }
    return { type: 'here' };
  };

  /**
   * After a lapse: every session held here is claimed again, as at start-up (a Redis restarted empty
   * learns them back). One another node adopted meanwhile is now served by both: said, not solved.
   */
  const reclaim = async () => {
    if (!valley || !directory) return;
    const held = [...valley.registry.byId.values()].map((s) => ({ sessionId: s.id, code: s.code }));
    try {
      const mine = await directory.startupClaims(held);
      for (const h of held) {
        if (!mine.has(h.sessionId)) log.error({ session: h.sessionId }, 'another node adopted this session while this node was away: both may write its log');
      }
    } catch (err) {
      log.error({ err: (err as Error).message }, 'could not claim this node’s sessions again');
    }
  };

  const front = await startFront({ port: o.port, host: o.host, http: () => valley!.http, place, log });
  const address = o.address ?? `${o.host}:${front.address.port}`;
  try {
    directory = new Directory({ url: o.redisUrl, node: o.name, address, ttlMs: o.ttlMs, log, onLapse: () => void reclaim() });
    await directory.connect();
    await directory.register();
    // Of the logs on the shared disk, this node recovers its own and those no live node holds.
    const mine = await directory.startupClaims(await logsOnDisk(o.valley.dataDir));
    const d = directory;
    valley = await createValley({
      ...o.valley,
      node: { address: o.host, claim: (id, code) => d.claim(id, code), recovers: (id) => mine.has(id) },
    });
  } catch (err) {
    await front.close();
    directory?.close();
    throw err;
  }
  markReady();
  log.info({ node: o.name, address, sessions: valley.registry.byId.size }, 'node registered');

  return {
    valley,
    front,
    directory,
    address,
    async close() {
      await front.close();
      await valley!.close();
      // After the logs are closed: another node may adopt this one's sessions at once.
      await directory!.leave();
    },
  };
}
