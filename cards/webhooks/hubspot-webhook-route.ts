/**
 * `POST /webhooks/hubspot`: HubSpot's webhook deliveries (NOTES §6). HubSpot retries a delivery that takes
 * over 5 s or gets any 4xx/5xx, for up to 24 hours, so this route only checks, remembers and enqueues, and
 * answers at once; the CRM is read later by the run's sync, never here:
 *   1. the signature (v3, or v1 for the legacy header) over the exact bytes, before anything else runs: 401;
 *   2. the body: a JSON array of events (zod), 400 naming the field;
 *   3. per portal: a tenant registered with `crm-clv tenant add` (or installed); events of any other portal are
 *      answered 2xx and ignored (counted), since a 4xx would only make HubSpot send them again;
 *   4. each event's dedupe key, SET NX in Redis (event-dedupe.ts): a repeat is counted and dropped;
 *   5. for a portal with new events, its coalesced run of the current window (coalesced-runs.ts).
 * When Redis fails, or a run cannot be enqueued, the delivery's new keys are forgotten and the answer is 503,
 * so HubSpot's retry finds them new. Everything is bounded by ANSWER_WITHIN_MS.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { crmTenantId, type TenantId } from '../../domain/tenant';
import type { TenantRegistry } from '../../worker/tenants/tenant-registry';
import { withTimeout, type RedisLink } from '../redis/redis-link';
import { bodyErrors, isVerifiedHubSpotRequest, rawBody, verifyHubSpotSignature } from '../signatures';
import type { RunCoalescer, WebhookRun } from './coalesced-runs';
import { dedupeKey, forget, markSeen, DEDUPE_TTL_MS } from './event-dedupe';
import { parseWebhookDelivery, type WebhookEvent } from './webhook-events';

export const WEBHOOK_PATH = '/webhooks/hubspot';

/**
 * HubSpot's own request limit is 1 MB for `hubspot.fetch` bodies (NOTES §1.4); a webhook delivery holds under
 * 100 events of a few hundred bytes each (§6), so 1 MB is ample and bounds what an unsigned sender can make us read.
 */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** Well within HubSpot's 5 s (NOTES §6): a delivery slower than that is retried even if it was taken. */
export const ANSWER_WITHIN_MS = 4000;

export type WebhookRouteOptions = {
  clientSecret: string | undefined;
  publicUrl?: string;
  redis: RedisLink;
  /** The state prefix (CRM_CLV_REDIS_PREFIX): dedupe keys sit beside the tenant's state. */
  statePrefix: string;
  registry: (redis: RedisLink['redis']) => Pick<TenantRegistry, 'get'>;
  runs: RunCoalescer;
  metrics: Registry;
  logger: Logger;
  now?: () => number;
  dedupeTtlMs?: number;
  /** How long the route may wait for Redis to connect. */
  redisTimeoutMs: number;
};

type Outcome = { received: number; new: number; duplicates: number; ignored: number; runs: WebhookRun[] };

class RetryLater extends Error {}

/** What one delivery has marked seen, so a failure or a timeout can forget it again. */
type Attempt = { abandoned: boolean; marked: string[] };

export function hubspotWebhookRoute(options: WebhookRouteOptions): Router {
  const { logger } = options;
  const events = new Counter({
    name: 'crm_clv_webhook_events_total',
    help: 'HubSpot webhook events received, by outcome: new, duplicate, or ignored (a portal not registered).',
    labelNames: ['outcome'] as const,
    registers: [options.metrics],
  });
  const rejected = new Counter({
    name: 'crm_clv_webhook_rejected_total',
    help: 'HubSpot webhook deliveries refused before their events were read, by reason code.',
    labelNames: ['reason'] as const,
    registers: [options.metrics],
  });

  async function take(delivery: WebhookEvent[], attempt: Attempt): Promise<Outcome> {
    const byPortal = new Map<string, WebhookEvent[]>();
    for (const event of delivery) {
      const portal = String(event.portalId);
      const list = byPortal.get(portal);
      if (list) list.push(event);
      else byPortal.set(portal, [event]);
    }
    const redis = await options.redis.connected(options.redisTimeoutMs).catch((error: Error) => {
      throw new RetryLater(error.message);
    });
    const registry = options.registry(redis);
    const portals = [...byPortal.keys()];
    const tenants = portals.map((portal) => crmTenantId('hubspot', portal));
    const registered = await Promise.all(
      tenants.map(async (tenant) => (await registry.get(tenant)) !== undefined),
    );

    const outcome: Outcome = { received: delivery.length, new: 0, duplicates: 0, ignored: 0, runs: [] };
    const taken: { tenant: TenantId; keys: string[] }[] = [];
    const keys: string[] = [];
    portals.forEach((portal, i) => {
      const list = byPortal.get(portal)!;
      if (!registered[i]) {
        outcome.ignored += list.length;
        logger.info(
          { portalId: portal, events: list.length },
          'webhook events of a portal not registered: ignored',
        );
        return;
      }
      const tenantKeys = list.map((event) => dedupeKey(options.statePrefix, tenants[i], event));
      taken.push({ tenant: tenants[i], keys: tenantKeys });
      keys.push(...tenantKeys);
    });

    const fresh = await markSeen(redis, keys, options.dedupeTtlMs ?? DEDUPE_TTL_MS);
    attempt.marked = keys.filter((_, j) => fresh[j]);
    if (attempt.abandoned) {
      // The answer (503) has gone out while the keys were being set: HubSpot's retry must find them new.
      await forget(redis, attempt.marked);
      throw new RetryLater('abandoned');
    }
    let at = 0;
    const newKeys: { tenant: TenantId; keys: string[] }[] = [];
    for (const { tenant, keys: tenantKeys } of taken) {
      const mine = tenantKeys.filter((_, j) => fresh[at + j]);
      at += tenantKeys.length;
      outcome.new += mine.length;
      outcome.duplicates += tenantKeys.length - mine.length;
      if (mine.length > 0) newKeys.push({ tenant, keys: mine });
    }

    const enqueued = await Promise.allSettled(newKeys.map(({ tenant }) => options.runs.ensureRun(tenant)));
    const failed = newKeys.filter((_, i) => enqueued[i].status === 'rejected');
    if (failed.length > 0) {
      // Only the portals whose run failed: the others' events are in a run and need not come again.
      await forget(
        redis,
        failed.flatMap((f) => f.keys),
      ).catch(() => undefined);
      attempt.marked = [];
      const first = enqueued.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      throw new RetryLater(first.reason instanceof Error ? first.reason.message : String(first.reason));
    }
    for (const r of enqueued) if (r.status === 'fulfilled') outcome.runs.push(r.value);
    return outcome;
  }

  const router = Router();
  router.post(
    WEBHOOK_PATH,
    ...verifyHubSpotSignature({
      clientSecret: options.clientSecret,
      versions: ['v3', 'v1'],
      publicUrl: options.publicUrl,
      maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
      now: options.now,
      onRejected: (_req, code) => {
        rejected.inc({ reason: code });
        logger.warn({ reason: code }, 'webhook delivery refused: signature');
      },
    }),
    async (req: Request, res: Response) => {
      // Defence in depth: this handler is never reached for a request the verifier did not accept.
      if (!isVerifiedHubSpotRequest(req)) {
        res.status(401).json({ error: 'SIGNATURE_MISSING', message: 'the request is not verified' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(rawBody(req).toString('utf8'));
      } catch {
        rejected.inc({ reason: 'INVALID_JSON' });
        res.status(400).json({ error: 'INVALID_JSON', message: 'the body is not JSON' });
        return;
      }
      const parsed = parseWebhookDelivery(json);
      if (!parsed.ok) {
        rejected.inc({ reason: 'INVALID_WEBHOOK_EVENTS' });
        logger.warn({ fields: parsed.fields }, 'webhook delivery refused: invalid events');
        res
          .status(400)
          .json({ error: 'INVALID_WEBHOOK_EVENTS', message: parsed.message, fields: parsed.fields });
        return;
      }
      const attempt: Attempt = { abandoned: false, marked: [] };
      try {
        const outcome = await withTimeout(
          take(parsed.events, attempt),
          ANSWER_WITHIN_MS,
          `the delivery was not taken within ${ANSWER_WITHIN_MS} ms`,
        );
        events.inc({ outcome: 'new' }, outcome.new);
        events.inc({ outcome: 'duplicate' }, outcome.duplicates);
        events.inc({ outcome: 'ignored' }, outcome.ignored);
        logger.info(
          {
            received: outcome.received,
            new: outcome.new,
            duplicates: outcome.duplicates,
            ignored: outcome.ignored,
            runs: outcome.runs.map((r) => `${r.tenant}/${r.runId}`),
          },
          'webhook delivery taken',
        );
        const { runs: _runs, ...counts } = outcome;
        res.status(200).json(counts);
      } catch (error) {
        if (!attempt.abandoned) {
          attempt.abandoned = true;
          // A run may still be enqueued after this; the retry then finds it there (same run id) and adds nothing.
          await forget(options.redis.redis, attempt.marked).catch(() => undefined);
        }
        const message = error instanceof Error ? error.message : String(error);
        logger.error({ reason: message }, 'webhook delivery not taken: HubSpot will retry it');
        res.status(503).json({
          error: 'WEBHOOK_NOT_TAKEN',
          message: 'the delivery could not be recorded now; HubSpot retries it',
        });
      }
    },
  );
  router.use(WEBHOOK_PATH, bodyErrors);
  return router;
}
