/**
 * Remembers which webhook events were already taken, in Redis, for longer than HubSpot retries.
 *
 * HubSpot delivers at least once: a delivery is retried up to 10 times over 24 hours when it fails or takes
 * over 5 s, duplicates happen anyway, and "eventId is not guaranteed to be unique" (NOTES §6; HubSpot webhooks
 * API, "Retries" and the payload's field table). So an event is known by what it says happened, not by its id:
 *   portalId, subscription type, objectId, eventId, occurredAt, propertyName, propertyValue, and for an
 *   association change fromObjectId, toObjectId, associationType, associationRemoved
 * — NOTES' tuple `(subscriptionType, objectId, occurredAt, propertyName, propertyValue)` plus the portal (ids
 * are per portal) and the eventId (two distinct changes the tuple alone would merge stay two). attemptNumber is
 * left out: it is what changes when the same event comes again.
 *
 * One key per event, `<prefix>:{<tenant>}:webhook-event:<sha-256 of the identity>` (beside the tenant's other
 * keys, same hash tag), set with SET NX PX: the answer says whether the event is new, atomically, so two
 * processes taking the same delivery at once count it once. The keys expire after DEDUPE_TTL_MS (48 h, twice
 * HubSpot's retry horizon); ~100 bytes each.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { tenantKey, type TenantId } from '../../domain/tenant';
import { subscriptionTypeOf, type WebhookEvent } from './webhook-events';

export const DEDUPE_TTL_MS = 48 * 3600_000;

/** What makes an event the same event (see above), as a stable text. */
export function eventIdentity(event: WebhookEvent): string {
  return JSON.stringify([
    String(event.portalId),
    subscriptionTypeOf(event),
    event.objectId === undefined ? null : String(event.objectId),
    String(event.eventId),
    event.occurredAt,
    event.propertyName ?? null,
    event.propertyValue ?? null,
    event.fromObjectId === undefined ? null : String(event.fromObjectId),
    event.toObjectId === undefined ? null : String(event.toObjectId),
    event.associationType ?? null,
    event.associationRemoved ?? null,
  ]);
}

/** The key prefix of a tenant's dedupe entries (for counting them: `${…}*`). */
export function dedupeKeyPrefix(prefix: string, tenant: TenantId): string {
  return `${prefix}:{${tenantKey(tenant)}}:webhook-event:`;
}

export function dedupeKey(prefix: string, tenant: TenantId, event: WebhookEvent): string {
  const digest = createHash('sha256').update(eventIdentity(event)).digest('base64url');
  return `${dedupeKeyPrefix(prefix, tenant)}${digest}`;
}

/**
 * Marks the keys as seen; true for each key that was not seen before. Duplicate keys within one call count as
 * new once. One round trip (a pipeline; on a cluster each key goes to its own tenant's slot).
 */
export async function markSeen(
  redis: Redis,
  keys: readonly string[],
  ttlMs = DEDUPE_TTL_MS,
): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.set(key, '1', 'PX', ttlMs, 'NX');
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply === 'OK';
  });
}

/** Forgets keys marked by a delivery whose run could not be enqueued, so HubSpot's retry is taken as new. */
export async function forget(redis: Redis, keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await redis.del(...keys);
}
