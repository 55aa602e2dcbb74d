// ESLint (flat config) with typescript-eslint; formatting is Prettier's (see .prettierrc.json), so the
// stylistic rules are turned off. The import rules make the boundaries visible: shared/ is the game
// itself — pure, no I/O, no clock, no randomness of its own, no DOM — and the pages never import the server.
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'client/dist/**', 'test-artifacts/**', 'data/**', 'examples/**', '.vitest-results.json'] },
  js.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure: no I/O (time and randomness come in as arguments).' },
            { group: ['@valley/server', '@valley/server/*', '**/server/**', '**/client/**'], message: 'shared/ imports nothing from the server or the pages.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'navigator', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'process'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time comes in as an argument (the event timestamp), never from the clock.' },
        { object: 'Math', property: 'random', message: "randomness comes from the game's seed (valley.ts)." },
      ],
    },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['node:*', '@valley/server', '@valley/server/*', '**/server/**'], message: 'the pages talk to the server over the wire only.' }],
        },
      ],
    },
  },
  prettier,
);
