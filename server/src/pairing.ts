// Opening the host console on a second device (the classroom PC, a tablet to steer from). The new
// device asks for a pairing code and shows it; the teacher types that code into the console, which
// holds the host key; the new device, which alone knows its secret request id, then collects the key.
// This way round, a code read off the projector is worth nothing to anyone else: it names a request,
// it does not carry the key. The key travels only in request headers and bodies, never in a URL; the
// server (which otherwise stores only its hash) holds it in memory until collected, for one use.
import { randomBytes } from 'node:crypto';
import { CODE_ALPHABET } from '@valley/shared';
import { randomCode } from './sessions/tokens.ts';

/** In the join codes' alphabet (read off a screen: no 0/O, 1/I/L), longer: it is never said aloud. */
export const PAIR_CODE_LENGTH = 8;
export const PAIR_CODE_MS = 5 * 60_000;
export const PAIR_CODE = new RegExp(`^[${CODE_ALPHABET}]{${PAIR_CODE_LENGTH}}$`);
export const REQUEST_ID = /^[A-Za-z0-9_-]{32}$/;

/** What the new device receives: the session (its id and join code) and its host key. */
export interface Granted {
  sessionId: string;
  code: string;
  hostToken: string;
}

interface Request {
  requestId: string;
  expiresAt: number;
  granted: Granted | null;
}

export class PairingDesk {
  private byCode = new Map<string, Request>();
  private byRequest = new Map<string, string>();

  /** A new device asks: its secret request id (kept by it) and the code it shows. */
  request(now: number): { requestId: string; pairCode: string; expiresAt: number } {
    this.sweep(now);
    let pairCode: string;
    do {
      pairCode = randomCode(PAIR_CODE_LENGTH);
    } while (this.byCode.has(pairCode));
    const requestId = randomBytes(24).toString('base64url');
    const expiresAt = now + PAIR_CODE_MS;
    this.byCode.set(pairCode, { requestId, expiresAt, granted: null });
    this.byRequest.set(requestId, pairCode);
    return { requestId, pairCode, expiresAt };
  }

  /** The host grants a live, not yet granted request its session's key. */
  grant(pairCode: string, host: { sessionId: string; code: string; token: string }, now: number): boolean {
    this.sweep(now);
    const r = this.byCode.get(pairCode);
    if (!r || r.granted) return false;
    r.granted = { sessionId: host.sessionId, code: host.code, hostToken: host.token };
    return true;
  }

  /** The new device asks again: still waiting, the key (once), or gone (unknown or expired). */
  collect(requestId: string, now: number): 'waiting' | 'gone' | Granted {
    this.sweep(now);
    const code = this.byRequest.get(requestId);
    const r = code === undefined ? undefined : this.byCode.get(code);
    if (!r || code === undefined) return 'gone';
    if (!r.granted) return 'waiting';
    this.byCode.delete(code);
    this.byRequest.delete(requestId);
    return r.granted;
  }

  private sweep(now: number) {
    for (const [code, r] of this.byCode) {
      if (r.expiresAt > now) continue;
      this.byCode.delete(code);
      this.byRequest.delete(r.requestId);
    }
  }
}
