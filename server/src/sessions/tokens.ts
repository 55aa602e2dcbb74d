// Keys and codes: random tokens (kept by browsers, stored only as sha-256 hashes), codes read off a
// screen or aloud, and the comparison of hashes in constant time.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { CODE_ALPHABET, type SessionState } from '@valley/shared';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => randomBytes(24).toString('base64url');
/** A code to read off a screen or aloud, in the join codes' alphabet. */
export const randomCode = (length: number): string => Array.from({ length }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Players by the hash of their token, for one players record (rebuilt when the record changes): a
 * hall's 2,000 students resuming at once must not each scan the roster. The hash is of a random
 * 192-bit token, so the lookup's timing tells a guesser nothing; the match is then checked in
 * constant time.
 */
export class TokenIndex {
  private made: { players: SessionState['players']; byHash: Map<string, string> } | null = null;

  /** The player whose token this is, removed or not, or null. */
  find(state: SessionState, token: string): SessionState['players'][string] | null {
    const h = hashToken(token);
    if (this.made?.players !== state.players) {
      const byHash = new Map<string, string>();
      for (const id of state.playerOrder) {
        const p = state.players[id]!;
        if (!byHash.has(p.tokenHash)) byHash.set(p.tokenHash, p.id);
      }
      this.made = { players: state.players, byHash };
    }
    const id = this.made.byHash.get(h);
    const p = id === undefined ? undefined : state.players[id];
    return p && sameHash(h, p.tokenHash) ? p : null;
  }
}
