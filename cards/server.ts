/**
 * The web process (DESIGN: cards/ is the only HTTP server; it computes nothing, it reads what the worker
 * stored). `createServer` builds the express app and returns it with `close()`; it does not listen, so tests
 * use port 0 and `crm-clv serve` picks the port. Start-up never waits for Redis: /health answers while Redis is
 * down, /ready says so, and every route that needs Redis connects it again on demand.
 *
 * Routes: `/health`, `/ready`, `/metrics`, `/admin/queues` (bull-board, read-only, HTTP Basic), and the OAuth
 * install (`/oauth/install`, `/oauth/callback`). P6 adds the signed card API and webhooks: their signature
 * check goes first on their own routers, before anything else of theirs runs.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { DEFAULT_REDIS_URL, queuePrefix, redisPrefix } from '../worker/queue/redis-connection';
import { ADMIN_QUEUES_PATH, queuesBoard } from './admin/queues-board';
import { adminCredentialsFromEnv } from './auth/basic-auth';
import { oauthInstallRoutes } from './oauth/oauth-install-routes';
import { createStageQueues } from './queues/stage-queues';
import { createRedisLink } from './redis/redis-link';
import { healthRoutes } from './routes/health';
import { createServerMetrics } from './routes/metrics';

export type ServerOptions = {
  /** Default: REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** The deployment's key namespace (the worker's CRM_CLV_REDIS_PREFIX); default: CRM_CLV_REDIS_PREFIX or crm-clv. */
  redisPrefix?: string;
  /** Where configuration is read (admin credentials, OAuth app, token key); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The file store directory OAuth tokens go to, as the CLI's --data-dir (default `data`). */
  dataDir?: string;
  /** How long /ready, a scrape or an admin request waits for Redis; default 1000 ms. */
  redisTimeoutMs?: number;
  /** Operational lines (never a secret); default: none. */
  log?: (line: string) => void;
};

export type CardServer = {
  app: Express;
  /** What is configured, for the start-up log: no values, only which parts are on. */
  status: { redis: string; admin: 'on' | 'off'; oauth: 'on' | { missing: string[]; message: string } };
  /** Releases the queues and the Redis connection; close the HTTP server first. */
  close(): Promise<void>;
};

export function createServer(options: ServerOptions = {}): CardServer {
  const env = options.env ?? process.env;
  const timeoutMs = options.redisTimeoutMs ?? 1000;
  const redis = createRedisLink(options.redisUrl ?? env.REDIS_URL ?? DEFAULT_REDIS_URL);
  const queues = createStageQueues(redis.redis, queuePrefix(options.redisPrefix ?? redisPrefix()));
  const credentials = adminCredentialsFromEnv(env);
  const oauth = oauthInstallRoutes({ env, dataDir: options.dataDir ?? 'data', log: options.log });
  const metrics = createServerMetrics({
    redis,
    queues,
    timeoutMs,
    labelPrefixes: [ADMIN_QUEUES_PATH],
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.httpMetrics);
  app.use(healthRoutes({ redis, timeoutMs }));
  app.use(metrics.router);
  app.use(queuesBoard({ redis, queues, credentials, timeoutMs }));
  app.use(oauth.router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'no such route' });
  });
  // Express's own handler would answer with the stack trace; an error's text may hold internals, so it stays here.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    options.log?.(`request failed: ${error instanceof Error ? error.name : 'error'}`);
    res.status(500).json({ error: 'INTERNAL', message: 'the request failed; see the server log' });
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    status: {
      redis: redis.where,
      admin: credentials === undefined ? 'off' : 'on',
      oauth: oauth.notConfigured ?? 'on',
    },
    close() {
      closing ??= queues.close().then(() => redis.close());
      return closing;
    },
  };
}
