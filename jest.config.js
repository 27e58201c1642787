/**
 * Packages that ship only ES modules but are loaded by tests: @hubspot/ui-extensions (the HubSpot card's
 * components and its `testing` renderer) and its dependency tinyspy. Jest runs CommonJS, so they are compiled
 * to it like our own TypeScript; every other package under node_modules is loaded as it is.
 */
const ESM_PACKAGES = ['@hubspot/ui-extensions', 'tinyspy'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // The Salesforce card's view module (an LWC module, ES syntax), tested from test/cards/salesforce.
    '/cards/salesforce/force-app/.+\\.js$': [
      'ts-jest',
      { tsconfig: '<rootDir>/test/cards/hubspot/tsconfig.esm-packages.json' },
    ],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: '<rootDir>/test/cards/hubspot/tsconfig.esm-packages.json' },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testTimeout: 120000,
  // A Redis for the tests (found or started once, its URL handed to workers as REDIS_URL) and a folder for
  // data the test files share within a run (the cleaned Online Retail file).
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};
