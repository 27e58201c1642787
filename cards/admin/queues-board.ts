/**
 * bull-board over the stage queues at `/admin/queues`, read-only (no retry, remove, pause, clean or add: the
 * API answers 405 to them) and behind HTTP Basic authentication. @bull-board/api 9.10 declares BullMQ 6 as a
 * supported peer (`bullmq: ^5.56.0 || ^6.0.0`), so BullMQ's Queue goes in without a cast. Before the board
 * runs, Redis is connected when needed; when it does not answer the page says so with 503 instead of failing
 * somewhere inside the board.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import { basicAuth, type BasicCredentials } from '../auth/basic-auth';
import type { StageQueues } from '../queues/stage-queues';
import type { RedisLink } from '../redis/redis-link';

export const ADMIN_QUEUES_PATH = '/admin/queues';

export type QueuesBoardOptions = {
  redis: RedisLink;
  queues: StageQueues;
  /** Undefined: the board answers 503 asking for CRM_CLV_ADMIN_PASSWORD. */
  credentials: BasicCredentials | undefined;
  /** How long a board request waits for Redis to connect. */
  timeoutMs: number;
};

export function queuesBoard(options: QueuesBoardOptions): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [...options.queues.queues.values()].map(
      (queue) => new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'crm-clv queues' } },
  });

  const redisAvailable: RequestHandler = (_req, res, next) => {
    options.redis.connected(options.timeoutMs).then(
      () => next(),
      (error: unknown) => {
        res.status(503).json({
          error: 'REDIS_NOT_READY',
          message: `${error instanceof Error ? error.message : String(error)}; start redis-server or set REDIS_URL`,
        });
      },
    );
  };

  const router = Router();
  router.use(
    ADMIN_QUEUES_PATH,
    basicAuth(options.credentials, 'crm-clv admin'),
    redisAvailable,
    // An Express 5 app (the adapter's own) mounted in ours: typed any by the adapter, a request handler at runtime.
    serverAdapter.getRouter() as RequestHandler,
  );
  return router;
}
