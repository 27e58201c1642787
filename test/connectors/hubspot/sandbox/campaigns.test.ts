/**
 * The sandbox's Marketing Campaigns API v3 against HubSpot's published contract (OpenAPI "Marketing Campaigns
 * Public Api" v3 and the campaigns guide; see campaign-routes.ts): paging with `after`/`limit` (1–100, default
 * 50), `properties` returning only non-empty requested values, `sort`, the contacts reports, and the error
 * bodies (NOTES §4.7: category, correlationId, message) for bad parameters, unknown guids, missing scopes,
 * authentication and rate limits. Requests go through the real client's `apiRequest`, as the connector's do.
 */
import { seedPortal, setCampaignAccess } from '../../../../connectors/hubspot/sandbox';
import { TOKEN, UUID, startHarness, type Harness } from './sandbox-harness';

type CampaignPage = {
  total: number;
  results: { id: string; properties: Record<string, string>; createdAt: string; updatedAt: string }[];
  paging?: { next?: { after: string; link?: string } };
};
type ContactPage = { results: { id: string }[]; paging?: { next?: { after: string } } };

let h: Harness;

async function get(path: string, qs: Record<string, string> = {}) {
  const response = await h.client.apiRequest({ method: 'GET', path, qs });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The standard error body (NOTES §4.7: spec `Error` requires category, correlationId as a uuid, message). */
function expectErrorBody(body: Record<string, unknown>, category: string) {
  expect(body).toMatchObject({
    status: 'error',
    category,
    correlationId: expect.stringMatching(UUID),
    message: expect.any(String),
  });
}

beforeAll(async () => {
  h = await startHarness({ contacts: 400, seed: 5 });
});
afterAll(async () => {
  await h.server.close();
});

describe('GET /marketing/v3/campaigns', () => {
  it('pages with after/limit through every campaign once; total counts them all', async () => {
    const first = (await get('/marketing/v3/campaigns')).body as unknown as CampaignPage;
    // Default limit 50: the portal's campaigns fit in one page, so there is no paging.next.
    expect(first.total).toBeGreaterThan(5);
    expect(first.results).toHaveLength(Math.min(first.total, 50));
    expect(first.paging).toBeUndefined();

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const qs: Record<string, string> = { limit: '3' };
      if (after !== undefined) qs.after = after;
      const page = (await get('/marketing/v3/campaigns', qs)).body as unknown as CampaignPage;
      expect(page.total).toBe(first.total);
      expect(page.results.length).toBeLessThanOrEqual(3);
      seen.push(...page.results.map((c) => c.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(Math.ceil(first.total / 3));
    expect(new Set(seen).size).toBe(first.total);
    expect(new Set(seen)).toEqual(new Set(first.results.map((c) => c.id)));
    for (const c of first.results) {
      expect(c.id).toMatch(UUID);
      expect(Number.isNaN(Date.parse(c.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(c.updatedAt))).toBe(false);
    }
  });

  it('returns only the requested properties, leaving out empty ones', async () => {
    const bare = (await get('/marketing/v3/campaigns')).body as unknown as CampaignPage;
    for (const c of bare.results) expect(c.properties).toEqual({});
    const page = (
      await get('/marketing/v3/campaigns', {
        properties: 'hs_name,hs_start_date,hs_spend_items_sum_amount,hs_budget_items_sum_amount',
      })
    ).body as unknown as CampaignPage;
    for (const c of page.results) {
      expect(Object.keys(c.properties).sort()).toEqual(
        c.properties.hs_spend_items_sum_amount === undefined
          ? ['hs_budget_items_sum_amount', 'hs_name', 'hs_start_date']
          : ['hs_budget_items_sum_amount', 'hs_name', 'hs_spend_items_sum_amount', 'hs_start_date'],
      );
      expect(c.properties.hs_start_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The running quarter's campaigns have a budget and no spend yet.
    expect(page.results.some((c) => c.properties.hs_spend_items_sum_amount === undefined)).toBe(true);
  });

  it('sorts by hs_name by default and descending with a leading -', async () => {
    const names = async (qs: Record<string, string>) =>
      (
        (await get('/marketing/v3/campaigns', { properties: 'hs_name', ...qs }))
          .body as unknown as CampaignPage
      ).results.map((c) => c.properties.hs_name);
    const ascending = await names({});
    expect(ascending).toEqual([...ascending].sort());
    expect(await names({ sort: '-hs_name' })).toEqual([...ascending].reverse());
    const filtered = await names({ name: 'newsletter' });
    expect(filtered.length).toBe(ascending.length / 2);
    for (const n of filtered) expect(n).toMatch(/^Newsletter /);
  });

  it('answers 400 VALIDATION_ERROR for a limit outside 1–100, an unknown sort or a cursor it never gave', async () => {
    for (const qs of [
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { sort: 'hs_budget' },
      { after: '%%' },
    ] as Record<string, string>[]) {
      const r = await get('/marketing/v3/campaigns', qs);
      expect(r.status).toBe(400);
      expectErrorBody(r.body, 'VALIDATION_ERROR');
    }
    expect((await get('/marketing/v3/campaigns', { limit: '100' })).status).toBe(200);
    expect((await get('/marketing/v3/campaigns', { limit: '1' })).status).toBe(200);
  });
});

describe('GET /marketing/v3/campaigns/{campaignGuid} and its contacts reports', () => {
  let guid: string;
  let influenced: number;
  beforeAll(async () => {
    const page = (await get('/marketing/v3/campaigns', { name: 'Newsletter', limit: '100' }))
      .body as unknown as CampaignPage;
    // The newsletter with the most influenced contacts, so its report needs several pages.
    let best = { guid: '', count: -1 };
    for (const c of page.results) {
      const r = (
        await get(`/marketing/v3/campaigns/${c.id}/reports/contacts/influencedContacts`, { limit: '100' })
      ).body as unknown as ContactPage;
      const count = r.results.length;
      if (count > best.count) best = { guid: c.id, count };
    }
    guid = best.guid;
    influenced = best.count;
    expect(influenced).toBeGreaterThan(10);
  });

  it('reads one campaign with its assets map', async () => {
    const r = await get(`/marketing/v3/campaigns/${guid}`, { properties: 'hs_name' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: guid,
      properties: { hs_name: expect.stringMatching(/^Newsletter /) },
      assets: {},
    });
  });

  it('pages a contacts report with after/limit; default page size 100', async () => {
    const whole = (await get(`/marketing/v3/campaigns/${guid}/reports/contacts/influencedContacts`))
      .body as unknown as ContactPage;
    expect(whole.results).toHaveLength(Math.min(influenced, 100));
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const qs: Record<string, string> = { limit: '4', startDate: '2006-01-01', endDate: '2030-12-31' };
      if (after !== undefined) qs.after = after;
      const page = (await get(`/marketing/v3/campaigns/${guid}/reports/contacts/influencedContacts`, qs))
        .body as unknown as ContactPage;
      expect(page.results.length).toBeLessThanOrEqual(4);
      ids.push(...page.results.map((c) => c.id));
      after = page.paging?.next?.after;
    } while (after !== undefined);
    expect(ids).toHaveLength(influenced);
    expect(new Set(ids).size).toBe(influenced);
    for (const id of ids) expect(h.sandbox.store.objects.contacts.byId.has(id)).toBe(true);
  });

  it('serves the three documented contact types and refuses another, and bad dates, with 400', async () => {
    for (const type of ['contactFirstTouch', 'contactLastTouch', 'influencedContacts'])
      expect((await get(`/marketing/v3/campaigns/${guid}/reports/contacts/${type}`)).status).toBe(200);
    const bad = await get(`/marketing/v3/campaigns/${guid}/reports/contacts/allContacts`);
    expect(bad.status).toBe(400);
    expectErrorBody(bad.body, 'VALIDATION_ERROR');
    const badDate = await get(`/marketing/v3/campaigns/${guid}/reports/contacts/influencedContacts`, {
      startDate: '01/02/2026',
    });
    expect(badDate.status).toBe(400);
    expectErrorBody(badDate.body, 'VALIDATION_ERROR');
  });

  it('answers 404 OBJECT_NOT_FOUND for an unknown campaignGuid', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [
      `/marketing/v3/campaigns/${unknown}`,
      `/marketing/v3/campaigns/${unknown}/reports/contacts/influencedContacts`,
    ]) {
      const r = await get(path);
      expect(r.status).toBe(404);
      expectErrorBody(r.body, 'OBJECT_NOT_FOUND');
    }
  });
});

describe('campaigns API access and limits', () => {
  afterEach(() => setCampaignAccess(h.sandbox.store, 'granted'));

  it('answers 403 MISSING_SCOPES naming marketing.campaigns.read to a token without it', async () => {
    setCampaignAccess(h.sandbox.store, 'missing-scope');
    const r = await get('/marketing/v3/campaigns');
    expect(r.status).toBe(403);
    expectErrorBody(r.body, 'MISSING_SCOPES');
    expect(r.body.errors).toEqual([
      expect.objectContaining({ context: { requiredGranularScopes: ['marketing.campaigns.read'] } }),
    ]);
    expect(r.body.links).toEqual({ scopes: expect.stringMatching(/^https:\/\//) });
  });

  it('answers 404 on a portal without the product', async () => {
    setCampaignAccess(h.sandbox.store, 'no-product');
    const r = await get('/marketing/v3/campaigns');
    expect(r.status).toBe(404);
    expectErrorBody(r.body, 'OBJECT_NOT_FOUND');
  });

  it('answers 401 INVALID_AUTHENTICATION without a valid token', async () => {
    const response = await fetch(`${h.server.url}/marketing/v3/campaigns`, {
      headers: { Authorization: `Bearer ${TOKEN}-wrong` },
    });
    expect(response.status).toBe(401);
    expectErrorBody((await response.json()) as Record<string, unknown>, 'INVALID_AUTHENTICATION');
  });

  it('counts against the general limit: a 429 TEN_SECONDLY_ROLLING like every other endpoint', async () => {
    h.sandbox.faults.rateLimitStorm = 1;
    const r = await get('/marketing/v3/campaigns');
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect((await get('/marketing/v3/campaigns')).status).toBe(200);
  });
});

describe('the seeded campaigns', () => {
  it('leave every seeded object as the generator made it', () => {
    const plain = seedPortal({ portalId: '1000', seed: 5, contacts: 400 });
    for (const type of ['contacts', 'deals', 'line_items', 'tickets'] as const) {
      const a = h.sandbox.store.objects[type];
      const b = plain.objects[type];
      expect(a.ids).toEqual(b.ids);
      for (const id of b.ids) expect(a.byId.get(id)).toEqual(b.byId.get(id));
    }
  });

  it('attribute sign-ups to the campaign of their source and creation quarter', async () => {
    const page = (
      await get('/marketing/v3/campaigns', { properties: 'hs_name,hs_start_date,hs_end_date', limit: '100' })
    ).body as unknown as CampaignPage;
    const contacts = h.sandbox.store.objects.contacts;
    let signUps = 0;
    for (const c of page.results) {
      const report = (
        await get(`/marketing/v3/campaigns/${c.id}/reports/contacts/contactFirstTouch`, { limit: '100' })
      ).body as unknown as ContactPage;
      const from = Date.parse(`${c.properties.hs_start_date}T00:00:00Z`);
      const to = Date.parse(`${c.properties.hs_end_date}T23:59:59.999Z`);
      const source = c.properties.hs_name.startsWith('Newsletter') ? 'EMAIL_MARKETING' : 'PAID_SEARCH';
      const expected = contacts.ids.filter((id) => {
        const contact = contacts.byId.get(id)!;
        const at = Date.parse(contact.createdAt);
        return contact.properties.hs_analytics_source === source && at >= from && at <= to;
      });
      expect(report.results.map((r) => r.id)).toEqual(expected);
      signUps += expected.length;
    }
    const bySource = contacts.ids.filter((id) =>
      ['EMAIL_MARKETING', 'PAID_SEARCH'].includes(
        contacts.byId.get(id)!.properties.hs_analytics_source ?? '',
      ),
    );
    expect(signUps).toBe(bySource.length);
  });
});
