/** HubSpot's side of a webhook delivery for tests: events, signed bodies, and the queue and dedupe state to check. */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { signatureV1, signatureV3 } from '../../../cards/signatures';
import { dedupeKeyPrefix } from '../../../cards/webhooks';
import { crmTenantId } from '../../../domain/tenant';
import { stageJobId } from '../../../worker/queue/stages';
import { RedisTenantRegistry } from '../../../worker/tenants';
import { keysMatching } from '../../../bench/private-redis';

export type TestEvent = {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
};

/** An event as HubSpot sends it (NOTES §6), with overrides. */
export function buildEvent(overrides: Partial<TestEvent> = {}): TestEvent {
  return {
    eventId: 1,
    subscriptionId: 25,
    portalId: 62515,
    appId: 54321,
    occurredAt: 1_764_000_000_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 123,
    changeSource: 'CRM',
    propertyName: 'lifecyclestage',
    propertyValue: 'customer',
    ...overrides,
  };
}

export type Signing = { secret: string; host: string; timestamp?: string; version?: 'v3' | 'v1' };

/** Body and headers of a delivery, signed as HubSpot signs it (v3 by default). */
export function signedDelivery(
  body: string,
  signing: Signing,
): { method: 'POST'; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signing.version === 'v1') {
    headers['x-hubspot-signature'] = signatureV1(signing.secret, body);
    headers['x-hubspot-signature-version'] = 'v1';
  } else {
    const timestamp = signing.timestamp ?? String(Date.now());
    headers['x-hubspot-signature-v3'] = signatureV3(signing.secret, {
      method: 'POST',
      uri: `https://${signing.host}/webhooks/hubspot`,
      body,
      timestamp,
    });
    headers['x-hubspot-request-timestamp'] = timestamp;
  }
  return { method: 'POST', headers, body };
}

export async function registerPortals(redis: Redis, prefix: string, portals: number[]): Promise<void> {
  const registry = new RedisTenantRegistry({ redis, prefix });
  for (const portal of portals)
    await registry.put({
      tenant: crmTenantId('hubspot', portal),
      crm: 'hubspot',
      accountId: String(portal),
      auth: 'oauth',
      schedule: { syncEveryMinutes: 15, rescoreCron: '0 2 * * *', retrainCron: '0 3 * * 0' },
      addedAt: new Date().toISOString(),
    });
}

/** The dedupe entries of a portal (each distinct event taken once). */
export async function dedupeCount(redis: Redis, prefix: string, portal: number): Promise<number> {
  return new Set(await keysMatching(redis, `${dedupeKeyPrefix(prefix, crmTenantId('hubspot', portal))}*`))
    .size;
}

/** The stage jobs in the `sync` queue, by id. */
export async function syncJobIds(redis: Redis, prefix: string): Promise<string[]> {
  const queue = new Queue('sync', { connection: redis, prefix: `{${prefix}}` });
  try {
    const jobs = await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed', 'prioritized']);
    return jobs.map((j) => j.id!).sort();
  } finally {
    await queue.close();
  }
}

export function syncJobId(portal: number, runId: string): string {
  return stageJobId(crmTenantId('hubspot', portal), runId, 'sync');
}
