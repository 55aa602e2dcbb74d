// The one message catalogue: every string a person sees goes through t().
import { signal } from '@preact/signals';
import { en, type Key } from './en.ts';
import { caseOf } from './cases.ts';
import { render } from './render.ts';
import { zh } from './zh.ts';

export type Lang = 'en' | 'zh';
export const catalogues: Record<Lang, Record<Key, string>> = { en, zh };
export type { Key };
export { caseOf, render };

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  const saved = localStorage.getItem('valley.lang');
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const lang = signal<Lang>(initialLang());
document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en';

export function setLang(l: Lang) {
  lang.value = l;
  localStorage.setItem('valley.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  return render(catalogues[lang.value], key, params);
}

/** A label from shared code (a catalogue key and parameters), in the current language. */
export const say = (l: { key: string; params: Record<string, string | number> }) => render(catalogues[lang.value], l.key, l.params);

/** A refusal or error from the server, in words: the rule's catalogue entry with its evidence. */
export function explain(error: { rule: string; evidence?: Record<string, string | number> }): string {
  const key = `rule.${error.rule}` as Key;
  if (key in en) return t(caseOf(key, error.evidence ?? {}) as Key, error.evidence ?? {});
  return t('error.generic', { rule: error.rule });
}
