// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
const reactHooks = require('eslint-plugin-react-hooks');

/**
 * The layers, bottom first (docs/architecture.md). A folder may import from the folders below it, never from one
 * above it or beside it on the same row; the tooling at the top (bin, stack, bench, test) may import anything,
 * and nothing of the product imports the tooling.
 */
const LAYERS = [
  ['canonical-schema', 'runtime'],
  ['security'],
  ['cdc'],
  ['erp'],
  ['flows'],
  ['subgraphs'],
  ['gateway'],
  ['console'],
];
const TOOLING = ['bin', 'stack', 'bench', 'test'];

/** For each product folder: every folder it must not import from (higher layers, its row, the tooling). */
const layerZones = LAYERS.flatMap((row, level) =>
  row.map((folder) => ({
    target: `./${folder}`,
    from: [...LAYERS.slice(level + 1).flat(), ...row.filter((f) => f !== folder), ...TOOLING].map((f) => `./${f}`),
    message: `${folder}/ is below these in docs/architecture.md: it must not import from them`,
  })),
);

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.run/',
      '.cache/',
      'bench/results/',
      'coverage/',
      // The console's bundle and what GraphQL Code Generator writes: built, not written by hand.
      'console/dist/',
      'console/src/graphql/gql/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      // An import the resolver cannot find would escape the layer check: refuse it instead.
      'import-x/no-unresolved': ['error', { ignore: ['^node:'] }],
      // decimal.js's own constructor rounds every result to 20 significant digits: sums of large amounts would come
      // back rounded. Money is computed with the configured one (canonical-schema/money/Decimal.ts, docs/money.md).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'decimal.js',
              message:
                "Import { Decimal } from canonical-schema/money/Decimal: decimal.js's default rounds to 20 digits.",
            },
          ],
        },
      ],
    },
  },
  {
    // The one module that configures decimal.js.
    files: ['canonical-schema/money/Decimal.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The console is a browser app: React's rules of hooks, and it talks to finsync over HTTP only (the layer rule
    // above keeps server code out of it).
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Vite resolves CSS and `vite/client` types; the node resolver does not know them.
      'import-x/no-unresolved': ['error', { ignore: ['^node:', '\\.css$'] }],
    },
  },
  {
    // Declarations name modules for TypeScript; their targets are types only.
    files: ['**/*.d.ts'],
    rules: { 'import-x/no-unresolved': 'off' },
  },
  {
    // A stand-alone ES module run as its own process (test/support/oidcProvider.mjs: oidc-provider is ESM only).
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly' } },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
module.exports.LAYERS = LAYERS;
