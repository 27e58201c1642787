/**
 * jest globalSetup: a Redis for the tests (redis-global-setup) and a folder for data every test file would
 * otherwise rebuild, such as the cleaned Online Retail file (test/helpers/online-retail). Both reach the
 * test workers through process.env, set before jest starts them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import redisGlobalSetup from './redis-global-setup';

export const TEST_CACHE_ENV = 'CRM_CLV_TEST_CACHE';

export default async function globalSetup(): Promise<void> {
  await redisGlobalSetup();
  process.env[TEST_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'crm-clv-test-cache-'));
}
