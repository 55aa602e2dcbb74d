// Players' names and join codes: what counts as valid, and when two names are "the same".

export const NAME_MAX = 24;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: 'empty' | 'too-long' | 'invisible' };

// Control, format (zero-width, bidi overrides), private-use, unassigned and lone surrogate characters,
// and the blanks that are letters or symbols (Hangul fillers, the braille blank).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/u;

export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (INVISIBLE.test(name)) return { ok: false, reason: 'invisible' };
  const length = [...name].length;
  if (length === 0) return { ok: false, reason: 'empty' };
  if (length > NAME_MAX) return { ok: false, reason: 'too-long' };
  return { ok: true, name };
}

/** Two names collide when they read the same: compatibility-normalised and case-folded. */
export const nameKey = (name: string): string => name.normalize('NFKC').toLocaleLowerCase('en');

// Read aloud in a classroom: no 0/O, 1/I/L, and no vowels-that-look-alike games.
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 5;

/** What a student typed, as a code: case, separators and full-width input (an IME's) do not matter. */
export const normaliseCode = (raw: string): string => raw.normalize('NFKC').toUpperCase().replace(/[\s\p{Pd}]/gu, '');

export const isCode = (s: string): boolean =>
  s.length === CODE_LENGTH && [...s].every((c) => CODE_ALPHABET.includes(c));
