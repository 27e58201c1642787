/**
 * The web process (DESIGN: cards/ is the only HTTP server; it computes nothing, it reads what the worker
 * stored). `createServer` builds the express app and returns it with `close()`; it does not listen, so tests
 * use port 0 and `crm-clv serve` picks the port. Start-up never waits for Redis: /health answers while Redis is
 * down, /ready says so, and every route that needs Redis connects it again on demand.
 *
 * Routes: `/health`, `/ready`, `/metrics`, `/admin/queues` (bull-board, read-only, HTTP Basic), the OAuth
 * install (`/oauth/install`, `/oauth/callback`), HubSpot's webhooks (`POST /webhooks/hubspot`), the card API
 * for HubSpot (`/api/v1/cards/contact…`) and for the Salesforce card (`/api/v1/cards/salesforce/contact…`). Signed
 * routes check the signature first on their own routers (cards/signatures), before anything else of theirs
 * runs. Every response carries the security headers; every request is logged (pino) without headers or query.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { DEFAULT_REDIS_URL, queuePrefix, redisPrefix } from '../worker/queue/redis-connection';
import { loadPlaybooks, type Playbooks } from '../playbooks';
import { RedisRecordStore } from '../worker/state/redis-record-store';
import { RedisTenantRegistry } from '../worker/tenants/redis-tenant-registry';
import { ADMIN_QUEUES_PATH, queuesBoard } from './admin/queues-board';
import { adminCredentialsFromEnv } from './auth/basic-auth';
import { createCardService } from './contact-card/card-service';
import { cardFastRoute } from './contact-card/card-fast-route';
import {
  CARD_ACTIONS_PATH,
  CARD_PATH,
  cardAnswerer,
  cardSignature,
  contactCardRoutes,
  type CardRouteOptions,
} from './contact-card/contact-card-routes';
import type { CardStore } from './contact-card/tenant-index';
import {
  SALESFORCE_CARD_ACTIONS_PATH,
  SALESFORCE_CARD_PATH,
  salesforceCardRoutes,
} from './contact-card/salesforce-card-routes';
import { DASHBOARD_PATH, dashboardRoutes } from './dashboard/dashboard-routes';
import { createLogger, logRequest, requestLog } from './http/request-log';
import { previewRoutes } from './preview/preview-routes';
import { JSON_ONLY_CSP, securityHeaderList, securityHeaders } from './http/security-headers';
import { oauthInstallRoutes } from './oauth/oauth-install-routes';
import { createStageQueues } from './queues/stage-queues';
import { createRedisLink } from './redis/redis-link';
import { healthRoutes } from './routes/health';
import { createServerMetrics } from './routes/metrics';
import { createRunCoalescer, type CoalescingOptions } from './webhooks/coalesced-runs';
import { hubspotWebhookRoute, WEBHOOK_PATH } from './webhooks/hubspot-webhook-route';
import { signedRoutesConfig } from './webhooks/webhook-config';

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
  /** Structured request and webhook logs; default: none (`crm-clv serve` logs JSON lines to stdout). */
  logger?: Logger;
  /** The clock signatures and webhook windows are judged by (tests). */
  now?: () => number;
  /** Webhook run coalescing (window from CRM_CLV_WEBHOOK_WINDOW_SECONDS unless given here). */
  webhookRuns?: Omit<CoalescingOptions, 'now'>;
  /** How long a webhook event is remembered for the dedupe; default 48 h. */
  webhookDedupeTtlMs?: number;
  /** Where Scores and records are read (default: the RedisRecordStore on the server's Redis and prefix). */
  store?: CardStore;
  /** Playbooks and rules (default: loadPlaybooks(), at start-up: a broken file stops it). */
  playbooks?: Playbooks;
  /** How long one run-header read serves a tenant's card requests; default 250 ms. */
  cardHeaderCheckMs?: number;
  /**
   * The local demo only: serve /preview for these CRM tenants (the first by default), unsigned. Never set by
   * `crm-clv serve`.
   */
  preview?: { tenants: readonly string[] };
  /** The tenant /dashboard opens without ?tenant= (default: the first preview tenant). */
  dashboardTenant?: string;
  /** Tenants the dashboard links to each other (default: the preview's). */
  dashboardTenants?: readonly string[];
};

export type CardServer = {
  /** Express with every route; `handler` puts the card GET's fast route in front of it. */
  app: Express;
  /** What the HTTP server runs: `createHttpServer(cards.handler)`. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** What is configured, for the start-up log: no values, only which parts are on. */
  status: {
    redis: string;
    admin: 'on' | 'off';
    oauth: 'on' | { missing: string[]; message: string };
    /** 'on' when HUBSPOT_CLIENT_SECRET is set (webhooks and signed routes answer); else why not. */
    signatures: 'on' | { message: string };
  };
  /** Releases the queues and the Redis connection; close the HTTP server first. */
  close(): Promise<void>;
};

export function createServer(options: ServerOptions = {}): CardServer {
  const env = options.env ?? process.env;
  const timeoutMs = options.redisTimeoutMs ?? 1000;
  const signed = signedRoutesConfig(env);
  const statePrefix = options.redisPrefix ?? redisPrefix();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const redis = createRedisLink(options.redisUrl ?? env.REDIS_URL ?? DEFAULT_REDIS_URL);
  const queues = createStageQueues(redis.redis, queuePrefix(statePrefix));
  const credentials = adminCredentialsFromEnv(env);
  const oauth = oauthInstallRoutes({ env, dataDir: options.dataDir ?? 'data', log: options.log });
  const metrics = createServerMetrics({
    redis,
    queues,
    timeoutMs,
    labelPrefixes: [ADMIN_QUEUES_PATH, WEBHOOK_PATH, DASHBOARD_PATH, '/preview'],
  });
  const tenants = new RedisTenantRegistry({ redis: redis.redis, prefix: statePrefix });
  const webhooks = hubspotWebhookRoute({
    clientSecret: signed.clientSecret,
    publicUrl: signed.publicUrl,
    redis,
    statePrefix,
    registry: () => tenants,
    runs: createRunCoalescer(() => redis.redis, queuePrefix(statePrefix), {
      windowMs: signed.webhookWindowMs,
      ...options.webhookRuns,
      now: options.now,
    }),
    metrics: metrics.registry,
    logger,
    now: options.now,
    dedupeTtlMs: options.webhookDedupeTtlMs,
    redisTimeoutMs: timeoutMs,
  });

  const store = options.store ?? new RedisRecordStore({ redis: redis.redis, prefix: statePrefix });
  const cards = createCardService({
    store,
    playbooks: options.playbooks ?? loadPlaybooks(),
    now: options.now,
    headerCheckMs: options.cardHeaderCheckMs,
    // The default store is the link's client, which queues nothing while disconnected: connect it first.
    ready: options.store === undefined ? () => redis.connected(timeoutMs) : undefined,
  });
  const cardOptions: CardRouteOptions = {
    clientSecret: signed.clientSecret,
    publicUrl: signed.publicUrl,
    cards,
    redis,
    statePrefix,
    redisTimeoutMs: timeoutMs,
    // The default store is the link's client, which queues nothing while disconnected: connect it first.
    storeReady: options.store === undefined ? () => redis.connected(timeoutMs) : undefined,
    now: options.now,
    onRejected: (_req, code) => logger.info({ reason: code }, 'card request refused'),
  };
  const cardRoutes = contactCardRoutes(cardOptions);
  const salesforceCards = salesforceCardRoutes({
    ...cardOptions,
    secret: signed.salesforceCardSecret,
    onRejected: (code) => logger.info({ reason: code }, 'salesforce card request refused'),
  });
  const fastCard = cardFastRoute({
    signature: cardSignature(cardOptions, 'query'),
    answer: cardAnswerer(cardOptions),
    headers: securityHeaderList(JSON_ONLY_CSP),
    answered(status, seconds) {
      metrics.observe({ method: 'GET', route: CARD_PATH, status: String(status) }, seconds);
      logRequest(logger, { method: 'GET', route: CARD_PATH, status, ms: seconds * 1000 });
    },
    failed: (error) => requestFailed(error),
  });

  const app = express();
  app.disable('x-powered-by');
  // No ETag: a card answer is made for one signed request and is never revalidated from a cache, so hashing
  // each body buys nothing. Flat query strings only (node:querystring): no route takes nested parameters.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use(metrics.httpMetrics);
  app.use(requestLog(logger, metrics.routeLabel));
  // The card API first: the busiest route (every contact view of every rep) passes no other router.
  app.use([CARD_PATH, CARD_ACTIONS_PATH], securityHeaders({ contentSecurityPolicy: JSON_ONLY_CSP }));
  app.use(cardRoutes);
  app.use(
    [SALESFORCE_CARD_PATH, SALESFORCE_CARD_ACTIONS_PATH],
    securityHeaders({ contentSecurityPolicy: JSON_ONLY_CSP }),
  );
  app.use(salesforceCards);
  app.use(healthRoutes({ redis, timeoutMs }));
  app.use(metrics.router);
  app.use(queuesBoard({ redis, queues, credentials, timeoutMs }));
  app.use(oauth.router);
  app.use(WEBHOOK_PATH, securityHeaders({ contentSecurityPolicy: JSON_ONLY_CSP }));
  app.use(webhooks);
  app.use(
    dashboardRoutes({
      credentials,
      cards,
      store,
      redis,
      statePrefix,
      redisTimeoutMs: timeoutMs,
      defaultTenant: options.dashboardTenant ?? options.preview?.tenants[0],
      tenants: options.dashboardTenants ?? options.preview?.tenants,
    }),
  );
  if (options.preview)
    app.use(previewRoutes({ tenants: options.preview.tenants, cards, storeReady: cardOptions.storeReady }));
  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'no such route' });
  });
  // Express's own handler would answer with the stack trace; an error's text may hold internals, so it stays here.
  function requestFailed(error: unknown): void {
    options.log?.(`request failed: ${error instanceof Error ? error.name : 'error'}`);
    logger.error({ error: error instanceof Error ? error.name : 'error' }, 'request failed');
  }
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    requestFailed(error);
    res.status(500).json({ error: 'INTERNAL', message: 'the request failed; see the server log' });
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    handler: (req, res) => {
      if (!fastCard(req, res)) app(req, res);
    },
    status: {
      redis: redis.where,
      admin: credentials === undefined ? 'off' : 'on',
      oauth: oauth.notConfigured ?? 'on',
      signatures:
        signed.clientSecret === undefined
          ? { message: 'set HUBSPOT_CLIENT_SECRET to accept HubSpot webhooks and signed card requests' }
          : 'on',
    },
    close() {
      closing ??= queues.close().then(() => redis.close());
      return closing;
    },
  };
}
