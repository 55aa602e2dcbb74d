// Filling a catalogue entry: no DOM here, so the command line can use the same catalogue.
import { en, type Key } from './en.ts';

/**
 * A catalogue entry with its parameters filled in. A parameter written "@key" is itself a catalogue
 * entry (a seat's name inside a sentence, say), so shared code can describe things without words.
 */
export function render(cat: Record<Key, string>, key: string, params: Record<string, string | number> = {}): string {
  const text = (cat as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) return `{${name}}`;
    const v = params[name]!;
    return typeof v === 'string' && v.startsWith('@') && v.slice(1) in en ? render(cat, v.slice(1)) : String(v);
  });
}
