/**
 * The contact card API against a seeded sandbox portal run through sync → score → write-back: the card of a
 * contact matches its Score and the properties HubSpot now holds; the tenant comes only from the signed
 * portal; unsigned requests are refused before anything reads the store; a contact with too little history
 * gets the fallback; an unknown one a 404. Actions feedback is recorded once per minute.
 */
import { cardResponseSchema, type CardResponse } from '../../cards/contact-card/card-response';
import { readActionFeedback } from '../../cards/contact-card/action-feedback';
import type { CardStore } from '../../cards/contact-card/tenant-index';
import { RedisRecordStore } from '../../worker/state';
import type { RunningCards } from './serve-harness';
import {
  cardServer,
  OTHER_CONTACT,
  OTHER_TENANT,
  seedCardFixture,
  signedFetch,
  signedHeaders,
  TENANT,
  type CardFixture,
} from './card-fixture';

let f: CardFixture;
let up: RunningCards;
/** Store reads the server made (the unsigned test proves there were none). */
const reads: string[] = [];

beforeAll(async () => {
  f = await seedCardFixture();
  const inner = new RedisRecordStore({ redis: f.t.redis, prefix: f.t.prefix });
  const counted = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as CardStore;
  up = await cardServer(f, { store: counted });
}, 240_000);

afterAll(async () => {
  await up?.close();
  await f?.close();
});

const cardPath = (portal: string, contact: string) =>
  `/api/v1/cards/contact?portalId=${portal}&objectId=${contact}&appId=42`;

async function card(portal: string, contact: string): Promise<{ status: number; body: unknown }> {
  const res = await signedFetch(up.base, 'GET', cardPath(portal, contact));
  return { status: res.status, body: await res.json() };
}

describe('GET /api/v1/cards/contact', () => {
  it('answers a scored contact with its Score and the values written to HubSpot', async () => {
    // A contact with every part: segment, churn drivers, recommendations.
    const score = f.scores.find((s) => s.segmentId && s.churnDrivers?.length && s.recommendations?.length)!;
    const { status, body } = await card('1000', score.customerId);
    expect(status).toBe(200);
    const c = cardResponseSchema.parse(body);
    expect(c).toMatchObject({ tenant: TENANT, contactId: score.customerId, status: 'scored', reason: null });
    expect(c.segment).toMatchObject({ id: score.segmentId, name: score.segmentName });
    expect(c.segment!.description.length).toBeGreaterThan(10);
    expect(c.rfm).toEqual({ segment: score.rfmSegment, score: score.rfmScore });
    expect(c.clv).toMatchObject({
      predicted: score.clvPredicted,
      historic: score.clvHistoric,
      currency: 'USD',
      months: 12,
    });
    expect(c.churn).toMatchObject({ probability: score.churnProbability, band: score.churnRisk });
    expect(c.churn!.drivers.map((d) => d.text)).toEqual(score.churnDrivers!.slice(0, 3).map((d) => d.text));
    expect(c.recommendations.map((r) => r.productId)).toEqual(
      score.recommendations!.slice(0, 3).map((r) => r.productId),
    );
    expect(c.nextOrderDate).toBe(score.nextOrderDate ?? null);
    expect(c.model).toMatchObject({ version: score.modelVersion, scoredAt: score.scoredAt });
    expect(c.playbook.html).toContain('<h3>');
    expect(c.actions.length).toBeLessThanOrEqual(3);

    // What HubSpot holds after write-back.
    const props = f.sandbox.store.objects.contacts.byId.get(score.customerId)!.properties;
    expect(c.segment!.id).toBe(props.clv_segment);
    expect(c.churn!.band).toBe(props.clv_churn_risk);
    expect(c.rfm!.score).toBe(props.clv_rfm_score);
    expect(Math.abs(c.clv.predicted - Number(props.clv_predicted_12m))).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(Math.abs(c.clv.historic - Number(props.clv_historic))).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(c.firstName).toBe(props.firstname ?? null);
  });

  it('matches every scored contact with the churn band and segment written back', async () => {
    for (const score of f.scores.slice(0, 60)) {
      const { status, body } = await card('1000', score.customerId);
      expect(status).toBe(200);
      const c = body as CardResponse;
      const props = f.sandbox.store.objects.contacts.byId.get(score.customerId)!.properties;
      expect([c.churn?.band, c.segment?.id]).toEqual([props.clv_churn_risk, props.clv_segment]);
    }
  });

  it("never reaches another portal's contact with this portal's signature", async () => {
    const mine = await card('1000', OTHER_CONTACT);
    expect(mine.status).toBe(404);
    expect((mine.body as { error: string }).error).toBe('CONTACT_NOT_FOUND');
    // The other portal's own signed request does reach it.
    const theirs = await card('2000', OTHER_CONTACT);
    expect(theirs.status).toBe(200);
    expect((theirs.body as CardResponse).tenant).toBe(OTHER_TENANT);
    // A portalId changed after signing is a signature failure, not another tenant.
    const path = cardPath('1000', OTHER_CONTACT);
    const res = await fetch(`${up.base}${path.replace('portalId=1000', 'portalId=2000')}`, {
      headers: signedHeaders('GET', path),
    });
    expect(res.status).toBe(401);
  });

  it('refuses an unsigned or wrongly signed request with 401, before anything reads the store', async () => {
    reads.length = 0;
    const path = cardPath('1000', f.scores[0].customerId);
    const unsigned = await fetch(`${up.base}${path}`);
    expect(unsigned.status).toBe(401);
    const wrong = await fetch(`${up.base}${path}`, {
      headers: signedHeaders('GET', path, '', 'not-the-secret'),
    });
    expect(wrong.status).toBe(401);
    const stale = await fetch(`${up.base}${path}`, {
      headers: signedHeaders('GET', path, '', undefined, String(Date.now() - 10 * 60_000)),
    });
    expect(stale.status).toBe(401);
    expect(reads).toEqual([]);
  });

  it('gives a contact with too little history a reason and the fallback playbook, never an empty card', async () => {
    expect(f.unscored.length).toBeGreaterThan(0);
    const { status, body } = await card('1000', f.unscored[0]);
    expect(status).toBe(200);
    const c = cardResponseSchema.parse(body);
    expect(c.status).toBe('too-little-history');
    expect(c.reason).toMatch(/No won orders yet|Not scored/);
    expect(c.segment).toBeNull();
    expect(c.churn).toBeNull();
    expect(c.playbook.title).toMatch(/Get to know/);
    expect(c.playbook.sections.length).toBeGreaterThan(2);
  });

  it('answers an unknown contact 404 with a reason', async () => {
    const { status, body } = await card('1000', '999999999999');
    expect(status).toBe(404);
    expect((body as { message: string }).message).toMatch(/not in this portal's synced data/);
  });

  it('answers 400 naming the field for a bad query', async () => {
    const res = await signedFetch(up.base, 'GET', '/api/v1/cards/contact?portalId=1000&objectId=a%20b');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^objectId: /);
    const missing = await signedFetch(up.base, 'GET', '/api/v1/cards/contact?portalId=1000');
    expect(((await missing.json()) as { message: string }).message).toMatch(/^objectId: is required/);
  });

  it('answers the POST form (hubspot.fetch JSON body, appId appended) like the GET', async () => {
    const id = f.scores[1].customerId;
    const res = await signedFetch(up.base, 'POST', '/api/v1/cards/contact?appId=42', {
      portalId: 1000,
      objectId: Number(id),
    });
    expect(res.status).toBe(200);
    const get = await card('1000', id);
    expect(await res.json()).toEqual(get.body);
    const other = await signedFetch(up.base, 'POST', '/api/v1/cards/contact?portalId=1000', {
      objectId: OTHER_CONTACT,
    });
    expect(other.status).toBe(404);
    const bad = await signedFetch(up.base, 'POST', '/api/v1/cards/contact?portalId=1000', { objectId: true });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^objectId: /);
  });

  it('rebuilds the index when a new run is committed', async () => {
    const score = f.scores[2];
    const before = (await card('1000', score.customerId)).body as CardResponse;
    const stored = (await f.store.readScoreRun(TENANT))!;
    const changed = stored.scores.map((s) =>
      s.customerId === score.customerId ? { ...s, clvPredicted: 12345.67 } : s,
    );
    await f.store.putScoreRun(TENANT, { ...stored.run, runId: 'r2' }, changed);
    const after = (await card('1000', score.customerId)).body as CardResponse;
    expect(after.clv.predicted).toBe(12345.67);
    expect(before.clv.predicted).toBe(score.clvPredicted);
    await f.store.putScoreRun(TENANT, stored.run, stored.scores);
  });
});

describe('POST /api/v1/cards/contact/actions', () => {
  it('records what a rep did once per (contact, action, outcome, rep, minute), per tenant', async () => {
    const contact = f.scores[0].customerId;
    const body = { objectId: contact, actionId: 'save-valuable-at-risk', outcome: 'accepted', userId: 77 };
    const first = await signedFetch(up.base, 'POST', '/api/v1/cards/contact/actions?portalId=1000', body);
    expect(first.status).toBe(201);
    const again = await signedFetch(up.base, 'POST', '/api/v1/cards/contact/actions?portalId=1000', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ recorded: false, duplicate: true });
    const dismissed = await signedFetch(up.base, 'POST', '/api/v1/cards/contact/actions?portalId=1000', {
      ...body,
      outcome: 'dismissed',
    });
    expect(dismissed.status).toBe(201);
    const entries = await readActionFeedback(f.t.redis, f.t.prefix, TENANT);
    expect(entries.map((e) => [e.contactId, e.actionId, e.outcome, e.userId])).toEqual([
      [contact, 'save-valuable-at-risk', 'accepted', '77'],
      [contact, 'save-valuable-at-risk', 'dismissed', '77'],
    ]);
    expect(Date.parse(entries[0].at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await readActionFeedback(f.t.redis, f.t.prefix, OTHER_TENANT)).toEqual([]);
  });

  it("refuses another portal's contact, a bad outcome and an unsigned request", async () => {
    const base = { actionId: 'x', outcome: 'accepted', userId: '1' };
    const other = await signedFetch(up.base, 'POST', '/api/v1/cards/contact/actions?portalId=1000', {
      ...base,
      objectId: OTHER_CONTACT,
    });
    expect(other.status).toBe(404);
    const bad = await signedFetch(up.base, 'POST', '/api/v1/cards/contact/actions?portalId=1000', {
      ...base,
      objectId: f.scores[0].customerId,
      outcome: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^outcome: /);
    const unsigned = await fetch(`${up.base}/api/v1/cards/contact/actions?portalId=1000`, {
      method: 'POST',
      body: JSON.stringify({ ...base, objectId: f.scores[0].customerId }),
    });
    expect(unsigned.status).toBe(401);
  });
});
