// A scenario's words: the same keys in English and Simplified Chinese, checked by the compiler.

export interface Words {
  en: Record<string, string>;
  zh: Record<string, string>;
}

/** Both languages of a bundle of words: Chinese must have every English key, and no other. */
export const defineWords = <E extends Record<string, string>>(w: { en: E; zh: Record<keyof E, string> }) => w;
