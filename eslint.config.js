// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const importPlugin = require('eslint-plugin-import');

/**
 * The architecture of ../shared/DESIGN.md as lint rules: domain/ is the leaf; analytics is pure; connectors
 * know no queue, server or sandbox; playbooks read Scores, not CRMs. Paths are resolved, so a relative import
 * of any depth is caught.
 */
const OURS = ['./connectors', './worker', './cli', './cards', './playbooks', './bench', './demo-data'];
const BOUNDARIES = [
  { target: './domain', from: OURS, message: 'domain/ is the leaf: it imports nothing of ours.' },
  {
    target: './worker/analytics',
    from: ['./worker', ...OURS.filter((d) => d !== './worker')],
    except: ['./analytics'],
    message: 'analytics is pure: arrays in, numbers out; only domain/ and other analytics.',
  },
  {
    target: './connectors',
    from: ['./worker', './cli', './cards', './playbooks', './bench'],
    message: 'connectors know no queue, no store and no server: take what you need as an argument.',
  },
  {
    target: [
      './connectors/*.ts',
      './connectors/!(*)/**',
      './connectors/*/!(sandbox)/**',
      './connectors/*/*.ts',
    ],
    from: './connectors/*/sandbox',
    message: 'a connector never imports its sandbox (tests and the demo do).',
  },
  ...[
    { from: ['./domain', ...OURS.filter((d) => d !== './cards')] },
    { from: './cards', except: ['./hubspot'] },
  ].map((zone) => ({
    target: './cards/hubspot',
    ...zone,
    message:
      'cards/hubspot is a HubSpot project uploaded on its own (hs project upload): it imports nothing from the repository around it (copy a type, as its card-response.ts does).',
  })),
  {
    target: './playbooks',
    from: OURS.filter((d) => d !== './playbooks'),
    message: 'playbooks read Scores, not CRMs: only domain/ (the card server hands them Scores and facts).',
  },
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The Lightning Web Components of the Salesforce card are ES modules (with LWC's decorators, which the
    // TypeScript parser reads).
    files: ['cards/salesforce/**/*.js'],
    languageOptions: { sourceType: 'module' },
  },
  {
    // Their component tests run under sfdx-lwc-jest (jest on jsdom): cards/salesforce/jest.config.js.
    files: ['cards/salesforce/**/__tests__/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['jest', 'describe', 'it', 'expect', 'beforeEach', 'afterEach', 'document', 'setTimeout'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: {
      'import/no-restricted-paths': ['error', { zones: BOUNDARIES }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
