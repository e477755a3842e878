// Lint, including the layering rules of DESIGN.md. The zones are enforced with ESLint's own
// no-restricted-imports (regex patterns on the import string), which needs no resolver and
// catches relative paths, bare package names and node: builtins alike.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronPackage = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import Electron.',
};
const nodeBuiltins = {
  regex: `^(node:.*|(${builtinModules.filter((name) => !name.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'This code runs in the renderer or on both sides: Node built-ins are not available there.',
};

function zone(files, { paths = [], patterns = [] }) {
  return { files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default defineConfig(
  { ignores: ['out/', 'release/', 'node_modules/', '.tools/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // The engine runs under plain Node (app, CLI, tests): no Electron, and no reaching up into the shells.
  zone(['electron/core/**'], {
    paths: [{ ...electronPackage, message: 'electron/core runs under plain Node (CLI, tests): keep Electron in electron/main.' }],
    patterns: [
      {
        regex: '(^|/)(main|preload|cli|renderer)(/|$)',
        message: 'electron/core is the bottom layer: main, preload, the CLI and the renderer use it, never the reverse.',
      },
    ],
  }),
  // The dispatcher and handler table are run by the e2e harness without Electron.
  zone(['electron/main/ipc/**'], {
    paths: [{ ...electronPackage, message: 'electron/main/ipc runs in the e2e harness without Electron: keep Electron calls in register-ipc.ts.' }],
  }),
  // The renderer is a web page: it reaches main only through window.atelier.
  zone(['renderer/**'], {
    paths: [electronPackage],
    patterns: [
      nodeBuiltins,
      {
        regex: '(^|/)electron(/|$)',
        message: 'The renderer talks to main only through window.atelier; import types from shared/ instead.',
      },
    ],
  }),
  // Shared code compiles for both sides, so it may import neither.
  zone(['shared/**'], {
    paths: [electronPackage],
    patterns: [
      nodeBuiltins,
      {
        regex: '(^|/)(electron|renderer)(/|$)',
        message: 'shared/ is used by main and renderer alike and imports neither side.',
      },
    ],
  }),
);
