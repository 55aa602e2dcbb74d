// Players' names and join codes: what counts as valid, and when two names are "the same".

export const NAME_MAX = 24;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: 'empty' | 'too-long' | 'invisible' | 'only-marks' };

// Control, format (zero-width, bidi overrides), private-use, unassigned and lone surrogate characters,
// and the blanks that are letters or symbols (Hangul fillers, the braille blank).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/u;

// Every other code point Unicode says draws nothing (Default_Ignorable_Code_Point: the combining
// grapheme joiner, Khmer inherent vowels, tag characters, …) is refused too: a name carrying one would
// look like another name on the roster yet be a different string. Variation selectors are the exception
// (see below), so they are left out here.
const IGNORABLE = /(?!\p{Variation_Selector})\p{Default_Ignorable_Code_Point}/u;

// A variation selector only picks how the character before it is drawn: an emoji keyboard adds U+FE0F
// to "❤" to get "❤️", and a Japanese name may carry an ideographic variant (U+E0100…). Refusing them
// would refuse names students really type, so they are kept in the name as typed and dropped when
// names are compared: "Ana❤" and "Ana❤️" read as the same name to a teacher, and are.
const VARIATION_SELECTORS = /\p{Variation_Selector}/gu;

// Something that stands on its own: anything but a combining mark (accents, enclosing circles,
// variation selectors) or a space. A name of marks alone has nothing to sit them on.
const BASE = /[^\p{M}\s]/u;

export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (INVISIBLE.test(name) || IGNORABLE.test(name)) return { ok: false, reason: 'invisible' };
  const length = [...name].length;
  if (length === 0) return { ok: false, reason: 'empty' };
  if (!BASE.test(name)) return { ok: false, reason: 'only-marks' };
  if (length > NAME_MAX) return { ok: false, reason: 'too-long' };
  return { ok: true, name };
}

/**
 * Two names collide when they read the same: variation selectors dropped, compatibility-normalised
 * and case-folded. The selectors go first, so that a base letter and an accent they separated compose.
 */
export const nameKey = (name: string): string => name.replace(VARIATION_SELECTORS, '').normalize('NFKC').toLocaleLowerCase('en');

// Read aloud in a classroom: no 0/O, 1/I/L, and no vowels-that-look-alike games.
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 5;

/** What a student typed, as a code: case, separators and full-width input (an IME's) do not matter. */
export const normaliseCode = (raw: string): string =>
  raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\p{Pd}]/gu, '');

export const isCode = (s: string): boolean => s.length === CODE_LENGTH && [...s].every((c) => CODE_ALPHABET.includes(c));
