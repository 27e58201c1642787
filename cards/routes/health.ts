/**
 * Liveness and readiness, as a platform's probes read them. `/health` answers 200 whenever the process can
 * answer at all (restart me only when this fails); `/ready` answers 200 only when Redis answers PING within a
 * short timeout, else 503 with what is not ready (send me no traffic yet). Neither is cached.
 */
import { Router } from 'express';
import type { RedisLink } from '../redis/redis-link';

export type HealthRoutesOptions = {
  redis: RedisLink;
  /** How long /ready waits for Redis (connect and PING together). */
  timeoutMs: number;
};

export function healthRoutes(options: HealthRoutesOptions): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await options.redis.ping(options.timeoutMs);
      res.json({ ready: true, checks: { redis: 'ok' } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      res.status(503).json({
        ready: false,
        checks: { redis: message },
        message: `not ready: ${message}; start redis-server or set REDIS_URL`,
      });
    }
  });

  return router;
}
