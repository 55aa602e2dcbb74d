// Which worker holds a session, with no directory: worker k of N holds a session whose id and join
// code both hash to k (FNV-1a, 32 bits). The primary routes a request by whichever of the two it
// names; a worker draws new ids and codes until both fall in its own part, so codes are unique
// across workers because each worker already keeps its own unique.
import { isCode, normaliseCode } from '@valley/shared';
import { SESSION_ID } from '../store.ts';

/** FNV-1a over the string's UTF-16 code units (ids and codes are ASCII). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The worker (0 … count-1) whose part a key falls in. */
export const workerOf = (key: string, count: number): number => fnv1a(key) % count;

/** The registry's predicate for worker `index` of `count`. */
export const partition =
  (index: number, count: number) =>
  (key: string): boolean =>
    workerOf(key, count) === index;

/**
 * A session key as a client sends it (`?s=`): a join code, a session id (at least 8 characters, so never
 * a code), or a code as a student typed it, normalised as the join does. Anything else is no key.
 */
export function sessionKey(raw: string): string | null {
  if (isCode(raw) || SESSION_ID.test(raw)) return raw;
  if (raw.length > 32) return null;
  const code = normaliseCode(raw);
  return isCode(code) ? code : null;
}
