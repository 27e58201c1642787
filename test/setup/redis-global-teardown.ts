/** jest globalTeardown: stops the redis-server the global setup started (a server it found is left alone). */
import { stopRedisServer } from './redis-global-setup';

export default async function redisGlobalTeardown(): Promise<void> {
  await stopRedisServer();
}
