// Filling a catalogue entry: no DOM here, so the command line can use the same catalogue.
import { en, type Key } from './en.ts';

/**
 * A catalogue entry with its parameters filled in. A parameter written "@key" is itself a catalogue
 * entry (a seat's name inside a sentence, say), so shared code can describe things without words.
 */
export function render(cat: Record<Key, string>, key: string, params: Record<string, string | number> = {}): string {
  const text = (cat as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string, at: number) => {
    if (!(name in params)) return `{${name}}`;
    const v = params[name]!;
    const filled = typeof v === 'string' && v.startsWith('@') && v.slice(1) in en ? render(cat, v.slice(1)) : String(v);
    return spaced(text[at - 1], filled, text[at + name.length + 2]);
  });
}

// Chinese and Latin letters or digits are always one space apart (the catalogues are written so; see the
// catalogue test). Where a placeholder meets Chinese text, only its value tells: "{seat}知道" reads
// "将军 B 知道" for a seat and "小安知道" for a name, so the space is put in here, where the value is known.
const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z0-9]/;
const apart = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && ((HAN.test(a) && LATIN.test(b)) || (LATIN.test(a) && HAN.test(b)));

function spaced(before: string | undefined, value: string, after: string | undefined): string {
  if (value === '') return value;
  return `${apart(before, value[0]) ? ' ' : ''}${value}${apart(value[value.length - 1], after) ? ' ' : ''}`;
}
