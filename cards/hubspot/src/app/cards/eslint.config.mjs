// The card's own lint, run where HubSpot builds it (`npm run lint` here, or `hs project lint`): HubSpot's
// UI-extension rules (@hubspot/eslint-config-ui-extensions: no DOM, no window.fetch, no browser storage, no
// imports from outside this folder, ...), which `hs project upload` checks are active in every card package,
// on top of the recommended JS, TypeScript and React rules. HubSpot's build (vite, no tsconfig here) compiles
// JSX to React.createElement, so the files import React and the classic runtime's rules stay on.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import unusedImports from 'eslint-plugin-unused-imports';
import prettier from 'eslint-config-prettier';
import { config as uiExtensionsConfig } from '@hubspot/eslint-config-ui-extensions';

export default defineConfig([
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  react.configs.flat.recommended,
  { settings: { react: { version: 'detect' } } },
  ...uiExtensionsConfig,
  reactHooks.configs.flat['recommended-latest'],
  {
    plugins: { 'unused-imports': unusedImports },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      'unused-imports/no-unused-imports': 'error',
      'unused-imports/no-unused-vars': [
        'error',
        { vars: 'all', varsIgnorePattern: '^_', args: 'after-used', argsIgnorePattern: '^_' },
      ],
    },
  },
  prettier,
]);
