/**
 * Prometheus metrics (`GET /metrics`, text exposition format) from a registry of this server's own, so two
 * servers in one process (tests) never share or double-register metrics:
 * - Node's default process metrics (CPU, memory, event loop lag, GC, handles);
 * - `crm_clv_queue_jobs{queue,state}`: jobs per stage queue (sync, score, writeback) and state (waiting,
 *   active, delayed, failed, completed), read from BullMQ on each scrape within a short timeout; when Redis does
 *   not answer in time the series are left out and `crm_clv_queue_metrics_up` is 0, so a stale count is never
 *   reported as current;
 * - `crm_clv_http_requests_total` and `crm_clv_http_request_duration_seconds` by method, route and status. The
 *   route label is the matched route pattern, one label for the whole admin board and `unmatched` for the rest,
 *   so user input never becomes a label value.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withTimeout, type RedisLink } from '../redis/redis-link';
import { QUEUE_STATES, type StageQueueCounts, type StageQueues } from '../queues/stage-queues';

export type ServerMetricsOptions = {
  redis: RedisLink;
  queues: StageQueues;
  /** How long one scrape may wait for the queue counts. */
  timeoutMs: number;
  /** Paths whose whole subtree gets one route label (e.g. the admin board's many asset URLs). */
  labelPrefixes?: string[];
};

export type ServerMetrics = {
  registry: Registry;
  /** Counts and times every request; mount it before the routes. */
  httpMetrics: RequestHandler;
  /** `GET /metrics`. */
  router: Router;
  /** The route label of a request (the matched pattern, a configured prefix, or `unmatched`), for logs too. */
  routeLabel(req: Request): string;
  /** Counts and times one answered request of a route served outside express. */
  observe(labels: { method: string; route: string; status: string }, seconds: number): void;
};

type ScrapeResult = { ok: true; counts: StageQueueCounts } | { ok: false };

export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  // One read of the queues per scrape, shared by the gauges that report it.
  let scrape: Promise<ScrapeResult> | undefined;
  const readQueues = (): Promise<ScrapeResult> => {
    scrape ??= withTimeout(
      options.redis.connected(options.timeoutMs).then(() => options.queues.counts()),
      options.timeoutMs,
      `queue counts took longer than ${options.timeoutMs} ms`,
    )
      .then((counts): ScrapeResult => ({ ok: true, counts }))
      .catch((): ScrapeResult => ({ ok: false }))
      .finally(() => {
        scrape = undefined;
      });
    return scrape;
  };

  const queueJobs = new Gauge({
    name: 'crm_clv_queue_jobs',
    help: 'Jobs in each stage queue by state, read from BullMQ when scraped.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const result = await readQueues();
      queueJobs.reset();
      if (!result.ok) return;
      for (const [queue, counts] of Object.entries(result.counts))
        for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, counts[state]);
    },
  });

  const queueUp = new Gauge({
    name: 'crm_clv_queue_metrics_up',
    help: '1 when the queue counts of this scrape were read from Redis, 0 when Redis did not answer in time.',
    registers: [registry],
    async collect() {
      queueUp.set((await readQueues()).ok ? 1 : 0);
    },
  });

  const requests = new Counter({
    name: 'crm_clv_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'crm_clv_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const prefixes = options.labelPrefixes ?? [];
  const routeLabel = (req: Request): string => {
    const path = req.originalUrl.split('?')[0];
    const prefix = prefixes.find((p) => path === p || path.startsWith(`${p}/`));
    if (prefix !== undefined) return prefix;
    const route = (req.route as { path?: unknown } | undefined)?.path;
    return typeof route === 'string' ? `${req.baseUrl ?? ''}${route}` : 'unmatched';
  };

  const httpMetrics: RequestHandler = (req, res, next) => {
    const stop = durations.startTimer();
    res.once('close', () => {
      const labels = {
        method: req.method,
        route: routeLabel(req),
        // A client that went away before the answer was sent has no status to report.
        status: res.writableFinished ? String(res.statusCode) : 'aborted',
      };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };

  const router = Router();
  router.get('/metrics', async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      // end(), not send(): send() would rewrite the content type's parameters Prometheus reads.
      res.end(text);
    } catch {
      res.status(500).type('text/plain').send('metrics could not be collected\n');
    }
  });

  const observe: ServerMetrics['observe'] = (labels, seconds) => {
    requests.inc(labels);
    durations.observe(labels, seconds);
  };

  return { registry, httpMetrics, router, routeLabel, observe };
}
