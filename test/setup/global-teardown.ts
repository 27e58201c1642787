/** jest globalTeardown: stops the Redis the setup started and removes the run's shared test data. */
import { rmSync } from 'node:fs';
import { TEST_CACHE_ENV } from './global-setup';
import { stopRedisServer } from './redis-global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopRedisServer();
  const cache = process.env[TEST_CACHE_ENV];
  if (cache) rmSync(cache, { recursive: true, force: true });
}
