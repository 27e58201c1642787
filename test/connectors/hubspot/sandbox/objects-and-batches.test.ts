import { Client } from '@hubspot/api-client';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/contacts/apis/exception';
import { rejection, startHarness, UUID, type Harness } from './sandbox-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { perTenSeconds: 100_000 } });
});
afterAll(async () => {
  await h.server.close();
});

describe('HubSpot sandbox: objects and batches through the real client', () => {
  it('pages through every seeded contact and reproduces the store exactly', async () => {
    const definitions = await h.client.crm.properties.coreApi.getAll('contacts');
    const names = definitions.results.map((p) => p.name);
    const seen = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await h.client.crm.contacts.basicApi.getPage(100, after, names);
      expect(page.results.length).toBeLessThanOrEqual(100);
      seen.push(...page.results);
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    const table = h.sandbox.store.objects.contacts;
    expect(pages).toBe(Math.ceil(table.ids.length / 100));
    expect(seen.map((c) => c.id)).toEqual(table.ids);
    for (const contact of seen) {
      const stored = table.byId.get(contact.id);
      expect(contact.properties).toEqual(stored?.properties);
      expect(contact.createdAt.toISOString()).toBe(stored?.createdAt);
      expect(contact.updatedAt.toISOString()).toBe(stored?.updatedAt);
      expect(contact.archived).toBe(false);
    }
  });

  it('serves deals with won/lost stages, line items, products with a category, and tickets', async () => {
    const deals = await h.client.crm.deals.basicApi.getPage(100, undefined, [
      'amount',
      'dealstage',
      'deal_currency_code',
      'closedate',
      'pipeline',
    ]);
    expect(deals.results.length).toBeGreaterThan(0);
    expect(deals.results.some((d) => d.properties.dealstage === 'closedwon')).toBe(true);
    for (const d of deals.results) expect(typeof d.properties.amount).toBe('string');
    const products = await h.client.crm.products.basicApi.getPage(100, undefined, [
      'name',
      'category',
      'price',
    ]);
    expect(products.results.every((p) => typeof p.properties.category === 'string')).toBe(true);
    const tickets = await h.client.crm.objects.basicApi.getPage('tickets', 10, undefined, [
      'hs_ticket_priority',
    ]);
    expect(tickets.results.length).toBeGreaterThan(0);
    const pipelines = await h.client.crm.pipelines.pipelinesApi.getAll('deals');
    const stages = pipelines.results[0].stages;
    expect(stages.find((s) => s.metadata?.probability === '1.0')?.id).toBe('closedwon');
    expect(stages.find((s) => s.metadata?.probability === '0.0')?.id).toBe('closedlost');
  });

  it('answers 401 with an INVALID_AUTHENTICATION body for a wrong token', async () => {
    const stranger = new Client({ accessToken: 'wrong', basePath: h.server.url });
    const error = await rejection(() => stranger.crm.contacts.basicApi.getPage(1));
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(401);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      correlationId: expect.stringMatching(UUID),
    });
  });

  it('answers 404 OBJECT_NOT_FOUND for an unknown id', async () => {
    const error = await rejection(() => h.client.crm.contacts.basicApi.getById('999999999'));
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      correlationId: expect.stringMatching(UUID),
    });
  });

  it('rejects a batch update of 101 inputs with 400 VALIDATION_ERROR', async () => {
    const ids = h.sandbox.store.objects.contacts.ids.slice(0, 101);
    const error = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: ids.map((id) => ({ id, properties: { firstname: 'X' } })),
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: expect.any(String),
      correlationId: expect.stringMatching(UUID),
    });
  });

  it('answers 207 listing exactly the 3 fault-injected inputs and writes the rest', async () => {
    const ids = h.sandbox.store.objects.contacts.ids.slice(10, 20);
    const failing = [ids[1], ids[4], ids[7]];
    h.sandbox.faults.partialFailureIds = new Set(failing);
    try {
      const response = await h.client.crm.contacts.batchApi.update({
        inputs: ids.map((id) => ({ id, properties: { lifecyclestage: 'evangelist' } })),
      });
      expect(response.results.map((r) => r.id).sort()).toEqual(
        ids.filter((id) => !failing.includes(id)).sort(),
      );
      expect('numErrors' in response && response.numErrors).toBe(3);
      const failedIds = ('errors' in response ? (response.errors ?? []) : []).flatMap(
        (e) => e.context?.ids ?? [],
      );
      expect(failedIds.sort()).toEqual([...failing].sort());
      for (const id of failing)
        expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.lifecyclestage).not.toBe(
          'evangelist',
        );
    } finally {
      h.sandbox.faults.partialFailureIds = new Set();
    }
  });

  it('updates updatedAt and lastmodifieddate on write and rejects a value outside the enumeration', async () => {
    const [good, bad] = h.sandbox.store.objects.contacts.ids.slice(30, 32);
    const before = h.sandbox.store.objects.contacts.byId.get(good)?.updatedAt ?? '';
    const response = await h.client.crm.contacts.batchApi.update({
      inputs: [
        { id: good, properties: { gender: 'female' } },
        { id: bad, properties: { gender: 'not-an-option' } },
      ],
    });
    expect(response.results.map((r) => r.id)).toEqual([good]);
    const written = response.results[0];
    expect(written.updatedAt.getTime()).toBeGreaterThan(Date.parse(before));
    expect(written.properties.lastmodifieddate).toBe(written.updatedAt.toISOString());
    const errors = 'errors' in response ? (response.errors ?? []) : [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ category: 'VALIDATION_ERROR', context: { ids: [bad] } });
  });

  it('reads a batch and reports missing ids in a 207', async () => {
    const [a, b] = h.sandbox.store.objects.deals.ids;
    const response = await h.client.crm.deals.batchApi.read({
      inputs: [{ id: a }, { id: b }, { id: '404' }],
      properties: ['amount'],
      propertiesWithHistory: [],
    });
    expect(response.results.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect('errors' in response ? response.errors?.[0].category : undefined).toBe('OBJECT_NOT_FOUND');
  });

  it('lists owners with and without the trailing slash', async () => {
    const viaClient = await h.client.crm.owners.ownersApi.getPage(undefined, undefined, 100, false);
    expect(viaClient.results.length).toBe(h.sandbox.store.owners.length);
    const noSlash = await h.client.apiRequest({ method: 'GET', path: '/crm/v3/owners' });
    expect(noSlash.status).toBe(200);
    const body = (await noSlash.json()) as { results: { id: string }[] };
    expect(body.results.map((o) => o.id)).toEqual(viaClient.results.map((o) => o.id));
  });

  it('reads contact→deal and deal→line item associations with v4 batch read', async () => {
    const contacts = h.sandbox.store.objects.contacts.ids.slice(0, 50);
    const response = await h.client.crm.associations.v4.batchApi.getPage('contacts', 'deals', {
      inputs: contacts.map((id) => ({ id })),
    });
    const withDeals = response.results.filter((r) => r.to.length > 0);
    expect(withDeals.length).toBeGreaterThan(0);
    const first = withDeals[0];
    expect(contacts).toContain(first._from.id);
    expect(first.to[0].associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 4 });
    const dealId = String(first.to[0].toObjectId);
    const lines = await h.client.crm.associations.v4.batchApi.getPage('deals', 'line_items', {
      inputs: [{ id: dealId }],
    });
    expect(lines.results[0].to.length).toBeGreaterThan(0);
    expect(lines.results[0].to[0].associationTypes[0].typeId).toBe(19);
    const back = await h.client.crm.associations.v4.batchApi.getPage('deals', 'contacts', {
      inputs: [{ id: dealId }],
    });
    expect(back.results[0].to.map((t) => String(t.toObjectId))).toContain(first._from.id);
    expect(back.results[0].to[0].associationTypes[0].typeId).toBe(3);
  });

  it('pages the deals of one contact with the v4 per-record read', async () => {
    const byContact = h.sandbox.store.associations.get('contacts|deals');
    const [contactId, edges] = [...(byContact?.entries() ?? [])].find(([, list]) => list.length >= 2) ?? [
      '',
      [],
    ];
    expect(edges.length).toBeGreaterThanOrEqual(2);
    const first = await h.client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contactId,
      'deals',
      undefined,
      1,
    );
    expect(first.results).toHaveLength(1);
    expect(first.results[0].associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 4 });
    const rest = await h.client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contactId,
      'deals',
      first.paging?.next?.after,
      500,
    );
    expect([...first.results, ...rest.results]).toHaveLength(edges.length);
  });
});
