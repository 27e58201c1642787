/**
 * `POST /webhooks/hubspot` as HubSpot calls it, against the card server on a real Redis: signed deliveries are
 * taken (deduped, one coalesced run per portal), unsigned or tampered ones refused with nothing enqueued,
 * unknown portals answered 2xx and ignored, bad bodies refused naming the field; headers, metrics and logs.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { createLogger } from '../../../cards/http/request-log';
import { webhookRunId } from '../../../cards/webhooks';
import { crmTenantId } from '../../../domain/tenant';
import { stageJobId } from '../../../worker/queue/stages';
import { testRedis, type TestRedis } from '../../helpers/test-redis';
import { startCards, type RunningCards } from '../serve-harness';
import {
  buildEvent,
  dedupeCount,
  registerPortals,
  signedDelivery,
  syncJobId,
  syncJobIds,
  type Signing,
} from './webhook-harness';

const SECRET = `hubspot-secret-${randomBytes(12).toString('hex')}`;
const WINDOW = 300_000;
const PORTAL_A = 62515;
const PORTAL_B = 77001;
const UNKNOWN = 99999;

let t: TestRedis;
let up: RunningCards;
let down: RunningCards;
let clocked: RunningCards;
let clock: number;
const logLines: string[] = [];

beforeAll(async () => {
  t = await testRedis();
  await registerPortals(t.redis, t.prefix, [PORTAL_A, PORTAL_B]);
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const env = { HUBSPOT_CLIENT_SECRET: SECRET };
  up = await startCards({ redisUrl: process.env.REDIS_URL, redisPrefix: t.prefix, env, logger });
  down = await startCards({ redisUrl: 'redis://127.0.0.1:1', redisPrefix: t.prefix, env, logger });
  // A server on a clock of the test's own (signatures are judged by it too), a second into a window.
  clock = Math.floor(Date.now() / WINDOW) * WINDOW + 1000;
  clocked = await startCards({
    redisUrl: process.env.REDIS_URL,
    redisPrefix: `${t.prefix}-clocked`,
    env,
    now: () => clock,
  });
  await registerPortals(t.redis, `${t.prefix}-clocked`, [PORTAL_A]);
});

afterAll(async () => {
  await up.close();
  await down.close();
  await clocked.close();
  await t.cleanup();
});

const host = (server: RunningCards) => server.base.replace(/^http:\/\//, '');
const signing = (server: RunningCards, more: Partial<Signing> = {}): Signing => ({
  secret: SECRET,
  host: host(server),
  ...more,
});

async function deliver(server: RunningCards, events: unknown, more: Partial<Signing> = {}) {
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  return fetch(`${server.base}/webhooks/hubspot`, signedDelivery(body, signing(server, more)));
}

describe('refused deliveries: nothing enqueued', () => {
  it('a tampered body, an unsigned delivery and a wrong secret answer 401 with the reason', async () => {
    const body = JSON.stringify([buildEvent({ portalId: PORTAL_A, eventId: 501 })]);
    const signed = signedDelivery(body, signing(up));
    const tampered = await fetch(`${up.base}/webhooks/hubspot`, {
      ...signed,
      body: body.replace('501', '502'),
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: string }).error).toBe('SIGNATURE_MISMATCH');

    const unsigned = await fetch(`${up.base}/webhooks/hubspot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: string }).error).toBe('SIGNATURE_MISSING');

    const wrongSecret = await deliver(up, body, { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await deliver(up, body, { timestamp: String(Date.now() - 6 * 60_000) });
    expect(((await stale.json()) as { error: string }).error).toBe('SIGNATURE_TIMESTAMP_EXPIRED');
    const wrongV1 = await deliver(up, body, { version: 'v1', secret: 'not-the-secret' });
    expect(wrongV1.status).toBe(401);

    expect(await syncJobIds(t.redis, t.prefix)).toEqual([]);
    expect(await dedupeCount(t.redis, t.prefix, PORTAL_A)).toBe(0);
  });

  it('a body that is not a list of events answers 400 naming the field', async () => {
    const missing = await deliver(up, [
      buildEvent({ portalId: PORTAL_A }),
      { ...buildEvent({ portalId: PORTAL_A }), portalId: undefined },
    ]);
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { error: string; message: string; fields: string[] };
    expect(body.error).toBe('INVALID_WEBHOOK_EVENTS');
    expect(body.fields).toEqual(['[1].portalId']);
    expect(body.message).toMatch(/\[1\]\.portalId: Required/);

    const wrongType = await deliver(up, [{ ...buildEvent(), occurredAt: 'yesterday' }]);
    expect(((await wrongType.json()) as { fields: string[] }).fields).toEqual(['[0].occurredAt']);
    const notList = await deliver(up, { events: [] });
    expect(((await notList.json()) as { message: string }).message).toMatch(/JSON array of events/);
    const notJson = await deliver(up, '[{"eventId":');
    expect([notJson.status, ((await notJson.json()) as { error: string }).error]).toEqual([
      400,
      'INVALID_JSON',
    ]);
    expect(await syncJobIds(t.redis, t.prefix)).toEqual([]);
  });

  it('a body over 1 MB answers 413', async () => {
    const events = Array.from({ length: 900 }, (_, i) =>
      buildEvent({ portalId: PORTAL_A, eventId: i, propertyValue: 'x'.repeat(1200) }),
    );
    const res = await deliver(up, events);
    expect(res.status).toBe(413);
    expect(await syncJobIds(t.redis, t.prefix)).toEqual([]);
  });
});

describe('taken deliveries', () => {
  it('enqueues one delayed sync → score → write-back run per portal, and ignores repeats', async () => {
    const events = [
      buildEvent({ portalId: PORTAL_A, eventId: 1, objectId: 10 }),
      buildEvent({ portalId: PORTAL_A, eventId: 2, objectId: 11, subscriptionType: 'contact.creation' }),
      // eventId is not unique (NOTES §6): the same id for another object is another event
      buildEvent({ portalId: PORTAL_A, eventId: 2, objectId: 12, subscriptionType: 'contact.creation' }),
      buildEvent({ portalId: PORTAL_B, eventId: 1, objectId: 10 }),
    ];
    const first = await deliver(up, events);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 4, new: 4, duplicates: 0, ignored: 0 });

    // HubSpot's retry: the same events, attemptNumber 1, signed afresh; and a v1-signed copy
    const retry = await deliver(
      up,
      events.map((e) => ({ ...e, attemptNumber: 1 })),
    );
    expect(await retry.json()).toEqual({ received: 4, new: 0, duplicates: 4, ignored: 0 });
    const legacy = await deliver(up, events.slice(0, 1), { version: 'v1' });
    expect([legacy.status, await legacy.json()]).toEqual([
      200,
      { received: 1, new: 0, duplicates: 1, ignored: 0 },
    ]);

    expect(await dedupeCount(t.redis, t.prefix, PORTAL_A)).toBe(3);
    expect(await dedupeCount(t.redis, t.prefix, PORTAL_B)).toBe(1);

    const ids = await syncJobIds(t.redis, t.prefix);
    expect(ids).toHaveLength(2);
    const runIds = ids.map((id) => id.split('.')[1]);
    expect(runIds[0]).toMatch(/^webhook-\d+$/);
    for (const portal of [PORTAL_A, PORTAL_B])
      expect(ids.some((id) => id.startsWith(`hubspot-${portal}.webhook-`))).toBe(true);

    const queues = ['sync', 'score', 'writeback'].map(
      (name) => new Queue(name, { connection: t.redis, prefix: `{${t.prefix}}` }),
    );
    try {
      const tenant = crmTenantId('hubspot', PORTAL_A);
      const runId = ids.find((id) => id.startsWith(`hubspot-${PORTAL_A}.`))!.split('.')[1];
      const sync = await queues[0].getJob(stageJobId(tenant, runId, 'sync'));
      expect(sync?.data).toEqual({ tenant, runId, mode: 'incremental' });
      expect(await sync!.getState()).toBe('delayed');
      expect(await queues[1].getJobState(stageJobId(tenant, runId, 'score'))).toBe('waiting-children');
      expect(await queues[2].getJobState(stageJobId(tenant, runId, 'writeback'))).toBe('waiting-children');
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });

  it('answers 2xx for a portal that is not registered, ignores its events and counts them', async () => {
    const before = await syncJobIds(t.redis, t.prefix);
    const res = await deliver(up, [
      buildEvent({ portalId: UNKNOWN, eventId: 7 }),
      buildEvent({ portalId: UNKNOWN, eventId: 8 }),
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, new: 0, duplicates: 0, ignored: 2 });
    expect(await syncJobIds(t.redis, t.prefix)).toEqual(before);
    expect(await dedupeCount(t.redis, t.prefix, UNKNOWN)).toBe(0);
    const metrics = await (await up.get('/metrics')).text();
    expect(metrics).toMatch(/^crm_clv_webhook_events_total\{outcome="ignored"\} 2$/m);
  });

  it('answers 503 (HubSpot retries) when Redis does not answer, within the 5 s HubSpot waits', async () => {
    const started = Date.now();
    const res = await deliver(down, [buildEvent({ portalId: PORTAL_A, eventId: 900 })]);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('coalescing', () => {
  it('gathers a portal’s events of one window into one run, delayed until the window has closed', async () => {
    const prefix = `${t.prefix}-clocked`;
    const windowStart = clock - 1000;
    const send = (eventId: number) =>
      deliver(clocked, [buildEvent({ portalId: PORTAL_A, eventId, occurredAt: clock })], {
        timestamp: String(clock),
      });
    expect((await send(1)).status).toBe(200);
    clock += 60_000;
    expect((await send(2)).status).toBe(200);
    clock += 200_000; // still the same window
    expect((await send(3)).status).toBe(200);
    expect(await syncJobIds(t.redis, prefix)).toEqual([syncJobId(PORTAL_A, `webhook-${windowStart}`)]);

    const queue = new Queue('sync', { connection: t.redis, prefix: `{${prefix}}` });
    try {
      const job = await queue.getJob(syncJobId(PORTAL_A, `webhook-${windowStart}`));
      // made at the first event, 1 s into the window: waits the rest of the window and 15 s more
      expect(job?.opts.delay).toBe(WINDOW - 1000 + 15_000);
    } finally {
      await queue.close();
    }

    clock = windowStart + WINDOW + 5; // the next window
    expect((await send(4)).status).toBe(200);
    expect(webhookRunId(clock, WINDOW)).toBe(`webhook-${windowStart + WINDOW}`);
    expect(await syncJobIds(t.redis, prefix)).toEqual(
      [
        syncJobId(PORTAL_A, `webhook-${windowStart}`),
        syncJobId(PORTAL_A, `webhook-${windowStart + WINDOW}`),
      ].sort(),
    );
  });
});

describe('headers, metrics and logs', () => {
  it('sets the security headers, a strict policy on the webhook route', async () => {
    const res = await deliver(up, [buildEvent({ portalId: UNKNOWN, eventId: 31 })]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const health = await up.get('/health');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('/metrics counts the webhook route by status, refusals by reason', async () => {
    const text = await (await up.get('/metrics')).text();
    expect(text).toMatch(
      /^crm_clv_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^crm_clv_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="401"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^crm_clv_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="400"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^crm_clv_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="413"\} [1-9]/m,
    );
    expect(text).toMatch(/^crm_clv_webhook_rejected_total\{reason="SIGNATURE_MISMATCH"\} [1-9]/m);
    expect(text).toMatch(/^crm_clv_webhook_events_total\{outcome="duplicate"\} [1-9]/m);
  });

  it('logs JSON lines with route and status, and never the secret or a signature', async () => {
    expect(logLines.length).toBeGreaterThan(5);
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.some((e) => e.route === '/webhooks/hubspot' && e.status === 401)).toBe(true);
    expect(entries.some((e) => e.msg === 'webhook delivery taken' && e.new === 4)).toBe(true);
    expect(entries.some((e) => e.reason === 'SIGNATURE_MISMATCH')).toBe(true);
    const all = logLines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/x-hubspot-signature/i);
    // no signature value either: a v3 signature is 44 base64 characters, a v1 one 64 hex digits
    expect(all).not.toMatch(/[A-Za-z0-9+/]{43}=/);
    expect(all).not.toMatch(/[0-9a-f]{64}/);
  });
});
