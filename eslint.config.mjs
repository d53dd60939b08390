// Lint: typescript-eslint's recommended rules (no type-aware rules: fast, and TS itself is strict),
// React hooks rules for the renderer, and the layer rules of the README's architecture (imports
// here; the globals each layer may use are the per-layer tsconfig files' job).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Node's own modules, bare and as node:*. */
const NODE_BUILTINS = [
  ...new Set(
    builtinModules
      .filter((m) => !m.startsWith('_'))
      .flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])),
  ),
];
/** Packages that need Node, native code or Electron's main process. */
const NODE_PACKAGES = [
  'electron',
  'node-pty',
  'better-sqlite3',
  'redis',
  'ws',
  'systeminformation',
  'web-tree-sitter',
  'tree-sitter-bash',
];
/** Packages that need a DOM. */
const DOM_PACKAGES = [
  'react',
  'react-dom',
  'react-markdown',
  '@xterm/xterm',
  '@xterm/addon-fit',
  '@xterm/addon-search',
  '@xterm/addon-serialize',
  '@xterm/addon-web-links',
  '@xterm/addon-webgl',
];
/** The layers' folders as they appear in a relative import. */
const MAIN = ['**/main', '**/main/**'];
const RENDERER = ['**/renderer', '**/renderer/**'];
const PRELOAD = ['**/preload', '**/preload/**'];
const HOSTS = ['**/hosts', '**/hosts/**'];
/** Tests run under Node whatever the layer they test. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

/** One no-restricted-imports rule: these packages and these relative folders, with the layer rule that forbids them. */
function layerRule(why, packages, folders) {
  return [
    'error',
    {
      paths: packages.map((name) => ({ name, message: why })),
      patterns: folders.length ? [{ group: folders, message: why }] : [],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.electron-native/**',
      'src/main/services/runbooks/fixtures/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'src/shared is pure TypeScript for every layer: no Node, DOM or Electron APIs, and nothing from main, preload or the renderer.',
        [...NODE_BUILTINS, ...NODE_PACKAGES, ...DOM_PACKAGES],
        [...MAIN, ...RENDERER, ...PRELOAD],
      ),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'The renderer imports only src/shared (and browser packages): it reaches the back end through transport.ts, never through Node, Electron or src/main.',
        [...NODE_BUILTINS, ...NODE_PACKAGES],
        [...MAIN, ...PRELOAD],
      ),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'The preload is the contextBridge only: Electron and src/shared, nothing from main or the renderer.',
        NODE_PACKAGES.filter((p) => p !== 'electron'),
        [...MAIN, ...RENDERER],
      ),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: [...TESTS, 'src/main/hosts/**', 'src/main/services/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'The Node side never imports the renderer or the preload: they run in the window.',
        DOM_PACKAGES,
        [...RENDERER, ...PRELOAD],
      ),
    },
  },
  {
    files: ['src/main/services/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'Services never import a host or Electron (so every capability runs from the CLI, serve and the tests), nor the renderer or the preload.',
        ['electron', ...DOM_PACKAGES],
        [...HOSTS, ...RENDERER, ...PRELOAD],
      ),
    },
  },
  {
    files: ['src/main/hosts/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'The Node side never imports the renderer or the preload: they run in the window.',
        DOM_PACKAGES,
        [...RENDERER, ...PRELOAD],
      ),
    },
  },
);
