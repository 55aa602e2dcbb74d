// What a screen must never show: a rule id as the server sent it (`paxos/accept-wrong-value`), a
// catalogue key that t() gave back because it has no entry (`host.something`), a placeholder left
// unfilled (`{name}`), or a value that was never text (`[object Object]`, `undefined`, `NaN`).
// The patterns come from the catalogue itself, so a new scenario's rules and keys are covered.
import { en } from '../../client/src/i18n/en.ts';

export interface Finding {
  kind: 'rule id' | 'catalogue key' | 'placeholder' | 'not text';
  match: string;
  /** The line of the screen it was on, to find it. */
  line: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const alternation = (words: Iterable<string>) =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');

/** Build a detector for a catalogue (the whole English one by default: the pages' words and every scenario's). */
export function screenWordsDetector(keys: readonly string[] = Object.keys(en)) {
  const rules = keys.filter((k) => k.startsWith('rule.')).map((k) => k.slice('rule.'.length));
  const ruleSpaces = rules.map((r) => r.split('/')[0]!);
  const keySpaces = keys.map((k) => k.split('.')[0]!);
  // Not inside a longer word, an address or a path: `/join/ABCD`, `valley.app` and `sessions/` are not ids.
  const before = '(?<![\\w./@-])';
  const patterns: [Finding['kind'], RegExp][] = [
    ['rule id', new RegExp(`${before}(?:${alternation(ruleSpaces)})/[a-z0-9]+(?:-[a-z0-9]+)*(?![\\w/])`, 'g')],
    ['catalogue key', new RegExp(`${before}@?(?:${alternation(keySpaces)})\\.[a-zA-Z][\\w/-]*(?:\\.[\\w/-]+)*`, 'g')],
    ['placeholder', /\{[a-zA-Z]\w*\}/g],
    ['not text', /\[object \w+\]|\bundefined\b|\bNaN\b/g],
  ];
  return function find(text: string): Finding[] {
    const found: Finding[] = [];
    for (const line of text.split('\n')) {
      for (const [kind, re] of patterns)
        for (const m of line.matchAll(re)) {
          // `valley.app/play/ABCD` is an address whose host begins like a key space: only the rules' keys
          // have a '/' after their second part (`rule.paxos/…`).
          if (kind === 'catalogue key' && !m[0].replace(/^@/, '').startsWith('rule.') && /^@?[^.]+\.[\w-]+\//.test(m[0])) continue;
          found.push({ kind, match: m[0], line: line.trim().slice(0, 200) });
        }
    }
    return found;
  };
}
