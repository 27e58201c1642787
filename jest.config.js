/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 120000,
  // A Redis for the RedisRecordStore tests: found or started once, its URL handed to workers as REDIS_URL.
  globalSetup: '<rootDir>/test/setup/redis-global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/redis-global-teardown.ts',
};
