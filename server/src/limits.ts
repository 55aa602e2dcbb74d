// Bounds on what one connection or one address may cost. A whole school can share one public address
// (NAT), so per-address limits are generous and configurable; per-seat limits are tighter.

/** Allows `rate` per second on average with bursts up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private rate: number,
    private burst: number,
    private now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Counts attempts per key in a fixed window; forgets keys as windows pass. */
export class WindowCounter {
  private counts = new Map<string, number>();
  private windowStart: number;
  constructor(
    private limit: number,
    private windowMs: number,
    private now: () => number = () => Date.now(),
  ) {
    this.windowStart = now();
  }
  hit(key: string): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.counts.clear();
      this.windowStart = t;
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= this.limit;
  }
}

export interface Limits {
  /** Largest socket.io message accepted, bytes. */
  maxMessageBytes: number;
  /** Messages per second one socket may send, and the burst above that. */
  socketRate: number;
  socketBurst: number;
  /** Refused messages after which a socket is disconnected. */
  socketStrikes: number;
  /** Join or resume attempts per socket, and per address, per minute. */
  joinsPerSocket: number;
  joinsPerAddress: number;
  /** Sessions one address may create per minute. */
  sessionsPerAddress: number;
  /** Pairing requests one address may make per minute (opening the host console on another device). */
  pairsPerAddress: number;
  /** Connections one address may hold open at once. */
  connectionsPerAddress: number;
  /** A connection that has not joined or attached by then is closed. */
  authTimeoutMs: number;
}

export const defaultLimits: Limits = {
  maxMessageBytes: 16 * 1024,
  socketRate: 20,
  socketBurst: 40,
  socketStrikes: 200,
  joinsPerSocket: 30,
  joinsPerAddress: 3000,
  sessionsPerAddress: 60,
  pairsPerAddress: 10,
  connectionsPerAddress: 10_000,
  authTimeoutMs: 60_000,
};
