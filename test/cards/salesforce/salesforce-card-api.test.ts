/**
 * The card API for the Salesforce Lightning card: requests signed as the Apex controller signs them (the org's
 * derived key, an HMAC of method, path and query, timestamp and body hash) get the card of a contact of that
 * org's tenant; anything else is refused before the store is read. The HubSpot routes answer as before.
 */
import { randomBytes } from 'node:crypto';
import { cardResponseSchema } from '../../../cards/contact-card/card-response';
import type { CardStore } from '../../../cards/contact-card/tenant-index';
import { salesforceOrgKey, salesforceSignature, signatureV3 } from '../../../cards/signatures';
import type { Score, ScoreRun } from '../../../domain/score';
import { signedRoutesConfig } from '../../../cards/webhooks/webhook-config';
import { RedisRecordStore } from '../../../worker/state';
import { testRedis, type TestRedis } from '../../helpers/test-redis';
import { buildScore } from '../../playbooks/builders';
import { startCards, type RunningCards } from '../serve-harness';

const SECRET = `sf-${randomBytes(24).toString('hex')}`;
const HUBSPOT_SECRET = `hs-${randomBytes(8).toString('hex')}`;
const PUBLIC_URL = 'https://crm-clv.example.com';
const ORG = '00D000000000001AAA';
const OTHER_ORG = '00D000000000002AAA';
const CONTACT = '003000000000001AAA';
const OTHER_CONTACT = '003000000000002AAA';
const USER = '005000000000001AAA';

const run = (tenant: string, source: ScoreRun['source']): ScoreRun => ({
  runId: `run-${tenant}`,
  tenant,
  source,
  scoredAt: '2026-11-30T08:00:00.000Z',
  modelVersion: 'bgnbd-gg-test',
  clvMonths: 12,
  currency: 'EUR',
  customers: 1,
});

const score = (customerId: string): Score =>
  buildScore({
    customerId,
    nextBestActions: [{ id: 'call-owner', title: 'Call this week', reason: 'High value', priority: 1 }],
  });

type SignOptions = { key?: string; timestamp?: string; body?: string };

function sfHeaders(method: string, path: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? String(Date.now());
  const key = options.key ?? salesforceOrgKey(SECRET, ORG);
  return {
    'x-crmclv-timestamp': timestamp,
    'x-crmclv-signature': salesforceSignature(key, { method, path, body: options.body ?? '', timestamp }),
  };
}

const cardPath = (org = ORG, contact = CONTACT) =>
  `/api/v1/cards/salesforce/contact?orgId=${org}&contactId=${contact}`;
const actionsPath = (org = ORG) => `/api/v1/cards/salesforce/contact/actions?orgId=${org}`;

type Answer = { error?: string; message?: string; tenant?: string };
const answerOf = async (res: Response): Promise<Answer> => (await res.json()) as Answer;

let t: TestRedis;
let reads = 0;
let server: RunningCards;

beforeAll(async () => {
  t = await testRedis();
  const store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  await store.putScoreRun(`salesforce-${ORG}`, run(`salesforce-${ORG}`, 'salesforce'), [score(CONTACT)]);
  await store.putScoreRun(`salesforce-${OTHER_ORG}`, run(`salesforce-${OTHER_ORG}`, 'salesforce'), [
    score(OTHER_CONTACT),
  ]);
  await store.putScoreRun('hubspot-1000', run('hubspot-1000', 'hubspot'), [score('101')]);
  // Every read of the card server counted: a refused request must cost none.
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as CardStore;
  server = await startCards({
    redisUrl: process.env.REDIS_URL,
    redisPrefix: t.prefix,
    cardHeaderCheckMs: 0,
    store: counted,
    env: {
      HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
      CRM_CLV_PUBLIC_URL: PUBLIC_URL,
      SALESFORCE_CARD_SECRET: SECRET,
    },
  });
});

afterAll(async () => {
  await server?.close();
  await t?.cleanup();
});

describe('GET /api/v1/cards/salesforce/contact', () => {
  it("answers a signed request with the card of the org's contact", async () => {
    const path = cardPath();
    const res = await server.get(path, sfHeaders('GET', path));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const card = cardResponseSchema.parse(await res.json());
    expect(card).toMatchObject({ tenant: `salesforce-${ORG}`, contactId: CONTACT, status: 'scored' });
    expect(card.clv.currency).toBe('EUR');
    expect(card.recommendations.map((r) => r.productId)).toEqual(['p-1', 'p-2']);
  });

  it.each([
    ['no signature', () => ({ 'x-crmclv-timestamp': String(Date.now()) }), 'SIGNATURE_MISSING', cardPath()],
    [
      'a stale timestamp',
      (p: string) => sfHeaders('GET', p, { timestamp: String(Date.now() - 6 * 60_000) }),
      'SIGNATURE_TIMESTAMP_EXPIRED',
      cardPath(),
    ],
    [
      'a timestamp ahead',
      (p: string) => sfHeaders('GET', p, { timestamp: String(Date.now() + 6 * 60_000) }),
      'SIGNATURE_TIMESTAMP_IN_FUTURE',
      cardPath(),
    ],
    [
      'a key from another deployment secret',
      (p: string) => sfHeaders('GET', p, { key: salesforceOrgKey(`${SECRET}x`, ORG) }),
      'SIGNATURE_MISMATCH',
      cardPath(),
    ],
    [
      'the deployment secret itself as the key',
      (p: string) => sfHeaders('GET', p, { key: SECRET }),
      'SIGNATURE_MISMATCH',
      cardPath(),
    ],
    [
      'a contact id swapped after signing',
      () => sfHeaders('GET', cardPath(ORG, OTHER_CONTACT)),
      'SIGNATURE_MISMATCH',
      cardPath(),
    ],
    [
      "another org's id signed with this org's key",
      (p: string) => sfHeaders('GET', p),
      'SIGNATURE_MISMATCH',
      cardPath(OTHER_ORG, OTHER_CONTACT),
    ],
    [
      'a POST signature replayed as a GET',
      (p: string) => sfHeaders('POST', p),
      'SIGNATURE_MISMATCH',
      cardPath(),
    ],
  ])('refuses %s with 401 before any store read', async (_name, headers, code, path) => {
    const before = reads;
    const res = await server.get(path, headers(path));
    expect(res.status).toBe(401);
    expect(await answerOf(res)).toEqual({ error: code, message: expect.any(String) });
    expect(reads).toBe(before);
  });

  it("never serves another org's contact with this org's signature (404)", async () => {
    const path = cardPath(ORG, OTHER_CONTACT);
    const res = await server.get(path, sfHeaders('GET', path));
    expect(res.status).toBe(404);
    expect((await answerOf(res)).error).toBe('CONTACT_NOT_FOUND');
    const theirs = cardPath(OTHER_ORG, OTHER_CONTACT);
    const own = await server.get(
      theirs,
      sfHeaders('GET', theirs, { key: salesforceOrgKey(SECRET, OTHER_ORG) }),
    );
    expect(own.status).toBe(200);
    expect((await answerOf(own)).tenant).toBe(`salesforce-${OTHER_ORG}`);
  });

  it('answers 400 naming the field for a missing or malformed id, before any store read', async () => {
    const before = reads;
    const noOrg = `/api/v1/cards/salesforce/contact?contactId=${CONTACT}`;
    const a = await server.get(noOrg, sfHeaders('GET', noOrg));
    expect(a.status).toBe(400);
    expect((await answerOf(a)).message).toMatch(/^orgId: is required/);
    const badContact = cardPath(ORG, 'not-an-id');
    const b = await server.get(badContact, sfHeaders('GET', badContact));
    expect(b.status).toBe(400);
    expect((await answerOf(b)).message).toMatch(/^contactId: must be a Salesforce Contact id/);
    expect(reads).toBe(before);
  });

  it('answers 503 when SALESFORCE_CARD_SECRET is not set', async () => {
    const bare = await startCards({
      redisUrl: process.env.REDIS_URL,
      redisPrefix: t.prefix,
      env: { HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET },
    });
    try {
      const path = cardPath();
      const res = await bare.get(path, sfHeaders('GET', path));
      expect(res.status).toBe(503);
      expect((await answerOf(res)).error).toBe('SALESFORCE_CARD_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });
});

describe('POST /api/v1/cards/salesforce/contact/actions', () => {
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${server.base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });

  it("records a rep's answer once, for the signed org's contact", async () => {
    const body = JSON.stringify({
      contactId: CONTACT,
      actionId: 'call-owner',
      outcome: 'accepted',
      userId: USER,
    });
    const path = actionsPath();
    const first = await post(path, body, sfHeaders('POST', path, { body }));
    expect(first.status).toBe(201);
    expect(await answerOf(first)).toEqual({ recorded: true, duplicate: false });
    const again = await post(path, body, sfHeaders('POST', path, { body }));
    expect(again.status).toBe(200);
    expect(await answerOf(again)).toEqual({ recorded: false, duplicate: true });
  });

  it('refuses a body changed after signing (401) and another org’s contact (404)', async () => {
    const signedBody = JSON.stringify({
      contactId: CONTACT,
      actionId: 'x',
      outcome: 'dismissed',
      userId: USER,
    });
    const sentBody = signedBody.replace('dismissed', 'accepted');
    const path = actionsPath();
    const before = reads;
    const tampered = await post(path, sentBody, sfHeaders('POST', path, { body: signedBody }));
    expect(tampered.status).toBe(401);
    expect(reads).toBe(before);
    const theirs = JSON.stringify({
      contactId: OTHER_CONTACT,
      actionId: 'x',
      outcome: 'accepted',
      userId: USER,
    });
    const res = await post(path, theirs, sfHeaders('POST', path, { body: theirs }));
    expect(res.status).toBe(404);
  });
});

describe('the HubSpot card route beside it', () => {
  it('still answers a v3-signed request, and refuses a Salesforce signature', async () => {
    const path = '/api/v1/cards/contact?portalId=1000&objectId=101';
    const timestamp = String(Date.now());
    const v3 = signatureV3(HUBSPOT_SECRET, {
      method: 'GET',
      uri: `${PUBLIC_URL}${path}`,
      body: '',
      timestamp,
    });
    const res = await server.get(path, {
      'x-hubspot-signature-v3': v3,
      'x-hubspot-request-timestamp': timestamp,
    });
    expect(res.status).toBe(200);
    expect((await answerOf(res)).tenant).toBe('hubspot-1000');
    const refused = await server.get(path, sfHeaders('GET', path));
    expect(refused.status).toBe(401);
  });
});

describe('SALESFORCE_CARD_SECRET', () => {
  it('is refused at start-up when shorter than 32 characters, without repeating it', () => {
    expect(() => signedRoutesConfig({ SALESFORCE_CARD_SECRET: 'short-secret-value' })).toThrow(
      /^SALESFORCE_CARD_SECRET must be at least 32 characters/,
    );
    expect(() => signedRoutesConfig({ SALESFORCE_CARD_SECRET: 'short-secret-value' })).not.toThrow(
      /short-secret-value/,
    );
    expect(signedRoutesConfig({ SALESFORCE_CARD_SECRET: SECRET }).salesforceCardSecret).toBe(SECRET);
    expect(signedRoutesConfig({ SALESFORCE_CARD_SECRET: ' ' }).salesforceCardSecret).toBeUndefined();
  });
});
