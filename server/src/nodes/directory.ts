// The directory shared by every node (Redis): which node is alive and where it is reached, which node
// holds each session, and which session each join code belongs to — the guard that keeps a code unique
// across nodes. Every change that must not race another node's is one Lua script, run atomically.
import { createClient } from '@redis/client';
import type { Logger } from 'pino';
import { StorageError } from '../store.ts';

/**
 * The keys, all under one prefix:
 * - `valley:node:NAME` → the node's address (`host:port`), with a time to live its heartbeat refreshes;
 * - `valley:session:ID` → the name of the node holding the session (changes when another adopts it);
 * - `valley:code:CODE` → the session id the join code belongs to (claimed once, never changed).
 */
export const KEYS = {
  node: (name: string) => `valley:node:${name}`,
  session: (id: string) => `valley:session:${id}`,
  code: (code: string) => `valley:code:${code}`,
};

/** Where a session is: its id, the node holding it and that node's address (null if its heartbeat has lapsed). */
export type Holder = { sessionId: string; node: string; address: string | null };

// KEYS[1] code key, KEYS[2] session key; ARGV[1] id, ARGV[2] this node. A new session's code and id,
// both or neither: a code already taken (by any node) refuses the claim, and the registry draws again.
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

// KEYS[1] code or session key. The session a key names and its holder, in one round trip: a code is
// first turned into its session id. Returns {id, node, address or false} or false.
const RESOLVE = `
local id = ARGV[1]
if ARGV[2] == 'code' then
  id = redis.call('GET', KEYS[1])
  if not id then return false end
end
local node = redis.call('GET', 'valley:session:' .. id)
if not node then return false end
return {id, node, redis.call('GET', 'valley:node:' .. node)}`;

// KEYS[1] session key, KEYS[2] the holder's node key; ARGV[1] the holder read before, ARGV[2] this
// node. Take a session over only if it is still that holder's and the holder's heartbeat has lapsed:
// of several nodes adopting at once, exactly one wins.
const ADOPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

// KEYS[1] session key, KEYS[2] code key; ARGV[1] id, ARGV[2] code, ARGV[3] this node. At start-up, for
// each log on the shared disk: is it this node's to recover? Yes if it names this node, names no node
// (made before the directory, or the directory was emptied), or names a node whose heartbeat has lapsed.
// Returns 1 (mine now) or 0 (another live node's).
const STARTUP = `
local node = redis.call('GET', KEYS[1])
if node and node ~= ARGV[3] and redis.call('EXISTS', 'valley:node:' .. node) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'NX')
return 1`;

export interface DirectoryOptions {
  url: string;
  node: string;
  address: string;
  /** How long a heartbeat lives: a node silent for this long is taken for gone. */
  ttlMs: number;
  log: Logger;
  /**
   * The heartbeat key was gone when refreshed: this node stalled or lost Redis for longer than its time
   * to live, or Redis restarted without its data. The node claims its sessions again (see node.ts).
   */
  onLapse?: () => void;
}

/** A Redis address without its password, for messages. */
const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//');

export class Directory {
  private client;
  private beat: NodeJS.Timeout | null = null;

  constructor(private o: DirectoryOptions) {
    // Commands fail at once while Redis is out of reach rather than queue for its return: a page asking
    // for a session gets an answer (503, or the host's "cannot be reached") instead of hanging.
    this.client = createClient({ url: o.url, disableOfflineQueue: true });
    // A lost connection is retried by the client; meanwhile commands fail and are logged where used.
    this.client.on('error', (err: Error) => o.log.warn({ err: err.message }, 'redis connection error'));
  }

  get node() {
    return this.o.node;
  }

  /** Connect, or fail the start after `ms` (the client would retry for ever): a node needs its directory. */
  async connect(ms = 10_000) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${safeUrl(this.o.url)} (VALLEY_REDIS) within ${ms / 1000} s`)), ms);
    });
    try {
      await Promise.race([this.client.connect(), late]);
    } catch (err) {
      this.client.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Register this node and keep its heartbeat alive. A live node of the same name elsewhere (another
   * address) is a misconfiguration: refused, so that two processes never hold one node's sessions.
   */
  async register() {
    const key = KEYS.node(this.o.node);
    const other = await this.client.get(key);
    if (other !== null && other !== this.o.address) {
      throw new Error(`another node named ${this.o.node} is alive at ${other} (VALLEY_NODE must be unique)`);
    }
    await this.heartbeat();
    this.beat = setInterval(() => void this.heartbeat(), Math.max(100, Math.floor(this.o.ttlMs / 3)));
    this.beat.unref();
  }

  private beats = 0;

  private async heartbeat() {
    try {
      const before = await this.client.set(KEYS.node(this.o.node), this.o.address, { expiration: { type: 'PX', value: this.o.ttlMs }, GET: true });
      // The key had expired between two beats (this process stalled, or Redis was out of reach): other
      // nodes may have adopted some of its sessions meanwhile. Nothing fences this node off (see
      // docs/SCALING.md): said loudly, for the operator.
      if (this.beats++ > 0 && before === null) {
        this.o.log.error({ node: this.o.node }, 'heartbeat had lapsed (or Redis lost its keys): claiming this node’s sessions again');
        this.o.onLapse?.();
      }
    } catch (err) {
      this.o.log.error({ err: (err as Error).message }, 'heartbeat not written: other nodes may take this node for gone');
    }
  }

  /** Claim a new session's code and id for this node; false if the code (or id) is taken. */
  async claim(sessionId: string, code: string): Promise<boolean> {
    let r;
    try {
      r = await this.client.eval(CLAIM, { keys: [KEYS.code(code), KEYS.session(sessionId)], arguments: [sessionId, this.o.node] });
    } catch (err) {
      // Said to the teacher as a storage failure with its own code (no session is made without its claim).
      this.o.log.error({ err: (err as Error).message }, 'cannot claim a new session in the directory');
      throw new StorageError('EDIRECTORY', 'the directory (Redis) cannot be reached');
    }
    return r === 1;
  }

  /** Where the session a key names (a join code or a session id) is held, or null if no node has it. */
  async resolve(key: string, kind: 'code' | 'session'): Promise<Holder | null> {
    const r = (await this.client.eval(RESOLVE, { keys: [kind === 'code' ? KEYS.code(key) : KEYS.session(key)], arguments: [key, kind] })) as
      [string, string, string | null] | null;
    if (!r) return null;
    return { sessionId: r[0], node: r[1], address: r[2] ?? null };
  }

  /** Take over a session whose holder's heartbeat has lapsed; false if it is alive or another node was first. */
  async adopt(sessionId: string, from: string): Promise<boolean> {
    const r = await this.client.eval(ADOPT, { keys: [KEYS.session(sessionId), KEYS.node(from)], arguments: [from, this.o.node] });
    return r === 1;
  }

  /** At start-up: which of the logs on the shared disk this node recovers (see STARTUP). */
  async startupClaims(logs: { sessionId: string; code: string }[]): Promise<Set<string>> {
    const mine = new Set<string>();
    for (const { sessionId, code } of logs) {
      const r = await this.client.eval(STARTUP, { keys: [KEYS.session(sessionId), KEYS.code(code)], arguments: [sessionId, code, this.o.node] });
      if (r === 1) mine.add(sessionId);
    }
    return mine;
  }

  /** Leave: stop the heartbeat and say so at once, so others adopt this node's sessions without waiting. */
  async leave() {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
    try {
      if ((await this.client.get(KEYS.node(this.o.node))) === this.o.address) await this.client.del(KEYS.node(this.o.node));
    } finally {
      this.client.destroy();
    }
  }

  /** Close the connection and nothing else (tests). */
  close() {
    if (this.beat) clearInterval(this.beat);
    this.client.destroy();
  }
}
