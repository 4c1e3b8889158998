// `npm run lint`: typescript-eslint's recommended rules (without type information, to stay fast on two
// CPUs) and gokiln's import-boundary rule (scripts/eslint-layers.mjs). Formatting is Prettier's, checked
// by `npm run lint` only for the files .prettierignore lets through (see there).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import gokiln from './scripts/eslint-layers.mjs';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/go/**',
      'test/fixtures-lint/**',
      'examples/**',
      'docs/**',
      '.mutate/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        Blob: 'readonly',
      },
    },
    plugins: { gokiln },
    rules: {
      'gokiln/layers': 'error',
      // an argument kept for its position (a callback's signature) says so with a leading underscore
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // terminal escapes (\x1b) are what the colour code and its tests match on purpose
      'no-control-regex': 'off',
      // tests match aligned text columns, where `/runs  on/` reads better than `/runs {2}on/`
      'no-regex-spaces': 'off',
    },
  },
);
