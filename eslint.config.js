// Lint: typescript-eslint's recommended rules, plus the seams of docs/architecture.md:
// adapters and examples import only the public entry of @sessionware/core, never its internals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noCoreInternals = {
  paths: [
    { name: 'jose', message: 'Signing is a session rule: it lives in @sessionware/core.' },
    { name: 'cookie', message: 'Cookie policy is a session rule: it lives in @sessionware/core.' },
    { name: 'node:crypto', message: 'Session ids and signing live in @sessionware/core.' },
  ],
  patterns: [
    { group: ['@sessionware/*/src/*', '@sessionware/*/dist/*', '**/core/src/**', '../core/**'], message: 'Import @sessionware/core, its only public surface.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.test-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortSignal: 'readonly', document: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Use explicit named exports (STYLE.md).' }],
    },
  },
  {
    files: ['packages/express/src/**', 'packages/koa/src/**'],
    rules: { 'no-restricted-imports': ['error', noCoreInternals] },
  },
  {
    files: ['examples/**', 'packages/redis/src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: noCoreInternals.patterns }] },
  },
);
