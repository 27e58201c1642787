/**
 * P6's acceptance: 1,000 deliveries of 100 events each, signed, sent 10 at a time (HubSpot's default
 * `maxConcurrentRequests`, NOTES §6), with HubSpot's kinds of repeats among them: whole deliveries retried
 * (attemptNumber + 1), single events delivered again in later deliveries, and eventIds reused for other objects
 * (not duplicates). Each is answered 2xx within 5 s, no event is lost (the dedupe store holds exactly the
 * distinct events, counted here by the test's own identity), duplicates are ignored, and each portal gets one run.
 */
import { randomBytes } from 'node:crypto';
import { createSeededRandom } from '../../helpers/random';
import { testRedis, type TestRedis } from '../../helpers/test-redis';
import { startCards, type RunningCards } from '../serve-harness';
import {
  buildEvent,
  dedupeCount,
  registerPortals,
  signedDelivery,
  syncJobIds,
  type TestEvent,
} from './webhook-harness';

const SECRET = `hubspot-secret-${randomBytes(12).toString('hex')}`;
const PORTALS = [1001, 1002, 1003];
const DELIVERIES = 1000;
const EVENTS = 100;
const RETRIES = 150;

let t: TestRedis;
let server: RunningCards;
const now = Date.now();

beforeAll(async () => {
  t = await testRedis();
  await registerPortals(t.redis, t.prefix, PORTALS);
  server = await startCards({
    redisUrl: process.env.REDIS_URL,
    redisPrefix: t.prefix,
    env: { HUBSPOT_CLIENT_SECRET: SECRET },
    // one clock for the whole test, so the deliveries fall into one coalescing window
    now: () => now,
  });
});

afterAll(async () => {
  await server.close();
  await t.cleanup();
});

/** The test's own idea of "the same event" (NOTES §6), independent of the server's key. */
const identity = (e: TestEvent) =>
  [e.portalId, e.subscriptionType, e.objectId, e.eventId, e.occurredAt, e.propertyName, e.propertyValue].join(
    '|',
  );

function buildDeliveries(): TestEvent[][] {
  const random = createSeededRandom(6_000_100);
  const pick = (n: number) => Math.floor(random.uniform() * n);
  const fresh: TestEvent[][] = [];
  let eventId = 1;
  for (let d = 0; d < DELIVERIES - RETRIES; d++) {
    const portalId = PORTALS[d % PORTALS.length];
    const events: TestEvent[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const roll = random.uniform();
      const earlier = fresh.length > 0 ? fresh[pick(fresh.length)] : undefined;
      if (roll < 0.05 && earlier) {
        // an event delivered again in another delivery (same event, same attempt)
        events.push({ ...earlier[pick(earlier.length)] });
      } else if (roll < 0.1 && earlier) {
        // an eventId used again for another object: a distinct event
        const other = earlier[pick(earlier.length)];
        events.push({ ...other, portalId, objectId: other.objectId + 1_000_000 });
      } else {
        events.push(
          buildEvent({
            portalId,
            eventId: eventId++,
            objectId: 1 + pick(50_000),
            occurredAt: now - pick(3_600_000),
            subscriptionType: random.uniform() < 0.8 ? 'contact.propertyChange' : 'deal.propertyChange',
            propertyName: random.uniform() < 0.5 ? 'lifecyclestage' : 'amount',
            propertyValue: String(pick(1000)),
          }),
        );
      }
    }
    fresh.push(events);
  }
  // HubSpot's retries of whole deliveries, attemptNumber + 1, placed after the delivery they repeat
  const all = fresh.map((events) => [events]);
  for (let r = 0; r < RETRIES; r++) {
    const index = pick(fresh.length);
    all[index].push(fresh[index].map((e) => ({ ...e, attemptNumber: e.attemptNumber + 1 })));
  }
  return all.flat();
}

it('takes 1,000 deliveries of 100 events each within 5 s each, losing none and ignoring duplicates', async () => {
  const deliveries = buildDeliveries();
  expect(deliveries).toHaveLength(DELIVERIES);
  expect(deliveries.every((d) => d.length === EVENTS)).toBe(true);
  const distinct = new Set(deliveries.flat().map(identity));
  const distinctPerPortal = PORTALS.map(
    (portal) =>
      new Set(
        deliveries
          .flat()
          .filter((e) => e.portalId === portal)
          .map(identity),
      ).size,
  );
  expect(distinct.size).toBeLessThan(DELIVERIES * EVENTS * 0.9);

  const host = server.base.replace(/^http:\/\//, '');
  const times: number[] = new Array(deliveries.length);
  const answers: { status: number; body: { new: number; duplicates: number; ignored: number } }[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const request = signedDelivery(JSON.stringify(deliveries[index]), {
          secret: SECRET,
          host,
          timestamp: String(now),
        });
        const sent = performance.now();
        const res = await fetch(`${server.base}/webhooks/hubspot`, request);
        const body = (await res.json()) as { new: number; duplicates: number; ignored: number };
        times[index] = performance.now() - sent;
        answers[index] = { status: res.status, body };
      }
    }),
  );
  const elapsed = Date.now() - started;

  expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  const slowest = Math.max(...times);
  expect(slowest).toBeLessThan(5000);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `1,000 deliveries × 100 events in ${elapsed} ms: per delivery p50 ${sorted[499].toFixed(1)} ms, ` +
      `p99 ${sorted[989].toFixed(1)} ms, max ${slowest.toFixed(1)} ms; ${distinct.size} distinct events`,
  );

  const taken = answers.reduce((sum, a) => sum + a.body.new, 0);
  const duplicates = answers.reduce((sum, a) => sum + a.body.duplicates, 0);
  expect(taken).toBe(distinct.size);
  expect(duplicates).toBe(DELIVERIES * EVENTS - distinct.size);
  expect(answers.every((a) => a.body.ignored === 0)).toBe(true);

  // the dedupe store holds exactly the distinct events, per portal
  for (const [i, portal] of PORTALS.entries())
    expect([portal, await dedupeCount(t.redis, t.prefix, portal)]).toEqual([portal, distinctPerPortal[i]]);

  // one coalesced run per portal
  const ids = await syncJobIds(t.redis, t.prefix);
  expect(ids.map((id) => id.split('.')[0]).sort()).toEqual(PORTALS.map((p) => `hubspot-${p}`));

  const metrics = await (await server.get('/metrics')).text();
  expect(metrics).toContain(`crm_clv_webhook_events_total{outcome="new"} ${distinct.size}`);
  expect(metrics).toContain(
    `crm_clv_http_requests_total{method="POST",route="/webhooks/hubspot",status="200"} ${DELIVERIES}`,
  );
});
