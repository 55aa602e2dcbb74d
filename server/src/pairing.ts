// Opening the host console on a second device (the classroom PC, a tablet to steer from): the device
// that holds the host key asks for a short pairing code, the other types it in and receives the key.
// The key only ever travels in request headers and bodies, never in a URL; the server keeps it (it
// stores only its hash otherwise) for the few minutes a code lives, in memory, for one use.
import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for each other when read off a screen (no 0/O, 1/I). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const PAIR_CODE_LENGTH = 8;
export const PAIR_CODE_MS = 5 * 60_000;
export const PAIR_CODE = new RegExp(`^[${ALPHABET}]{${PAIR_CODE_LENGTH}}$`);

export interface Pairing {
  sessionId: string;
  hostToken: string;
  expiresAt: number;
}

export class PairingDesk {
  private byCode = new Map<string, Pairing>();
  /** A session's live code: a new offer replaces it. */
  private bySession = new Map<string, string>();

  /** A new one-time code for this session's host key, valid for PAIR_CODE_MS. */
  offer(sessionId: string, hostToken: string, now: number): { pairCode: string; expiresAt: number } {
    this.sweep(now);
    const old = this.bySession.get(sessionId);
    if (old) this.byCode.delete(old);
    let pairCode = '';
    do {
      pairCode = Array.from({ length: PAIR_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    } while (this.byCode.has(pairCode));
    const expiresAt = now + PAIR_CODE_MS;
    this.byCode.set(pairCode, { sessionId, hostToken, expiresAt });
    this.bySession.set(sessionId, pairCode);
    return { pairCode, expiresAt };
  }

  /** The key behind a live code, once: the code is spent whether or not the caller uses it. */
  redeem(pairCode: string, now: number): Pairing | null {
    this.sweep(now);
    const p = this.byCode.get(pairCode);
    if (!p) return null;
    this.byCode.delete(pairCode);
    this.bySession.delete(p.sessionId);
    return p;
  }

  private sweep(now: number) {
    for (const [code, p] of this.byCode) {
      if (p.expiresAt > now) continue;
      this.byCode.delete(code);
      if (this.bySession.get(p.sessionId) === code) this.bySession.delete(p.sessionId);
    }
  }
}

/** What a person types: spaces, dashes and case forgiven. */
export const normalisePairCode = (raw: string) => raw.toUpperCase().replace(/[\s-]/g, '');
