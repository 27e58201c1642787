import { Client } from '@hubspot/api-client';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/contacts/apis/exception';
import { MAX_BODY_BYTES } from '../../../../connectors/hubspot/sandbox';
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

  it('updates updatedAt and lastmodifieddate on write', async () => {
    const [good] = h.sandbox.store.objects.contacts.ids.slice(30, 31);
    const before = h.sandbox.store.objects.contacts.byId.get(good)?.updatedAt ?? '';
    const response = await h.client.crm.contacts.batchApi.update({
      inputs: [{ id: good, properties: { gender: 'female' } }],
    });
    expect(response.results.map((r) => r.id)).toEqual([good]);
    const written = response.results[0];
    expect(written.updatedAt.getTime()).toBeGreaterThan(Date.parse(before));
    expect(written.properties.lastmodifieddate).toBe(written.updatedAt.toISOString());
  });

  it('rejects a whole batch with 400 INVALID_OPTION when one value is outside the enumeration; nothing is written', async () => {
    const ids = h.sandbox.store.objects.contacts.ids.slice(100, 200);
    const bad = new Set([ids[7], ids[50], ids[93]]);
    const snapshot = (): string =>
      JSON.stringify(ids.map((id) => h.sandbox.store.objects.contacts.byId.get(id)));
    const before = snapshot();
    const error = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: ids.map((id) => ({
          id,
          properties: { gender: bad.has(id) ? 'not-an-option' : 'female', firstname: 'Changed' },
        })),
      }),
    );
    expect(error.code).toBe(400);
    const body = error.body as { message: string; errors: unknown[] };
    expect(body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.stringMatching(UUID),
    });
    // NOTES §4.7: the message is a fixed prefix and a JSON list naming the property, never the record.
    const prefix = 'Property values were not valid: ';
    expect(body.message.startsWith(prefix)).toBe(true);
    const listed = JSON.parse(body.message.slice(prefix.length)) as Record<string, unknown>[];
    expect(listed).toEqual([
      {
        isValid: false,
        message: expect.stringMatching(/^not-an-option was not one of the allowed options: \[.*female.*\]$/),
        error: 'INVALID_OPTION',
        name: 'gender',
        localizedErrorMessage: expect.stringContaining('not-an-option'),
        portalId: 1000,
      },
    ]);
    for (const id of ids) expect(body.message).not.toContain(id);
    expect(body.errors).toEqual([
      { message: listed[0].message, code: 'INVALID_OPTION', context: { propertyName: ['gender'] } },
    ]);
    expect(snapshot()).toBe(before);
  });

  it('rejects an object property value with 400 naming the property instead of storing "[object Object]"', async () => {
    const [a, b] = h.sandbox.store.objects.contacts.ids.slice(40, 42);
    const before = JSON.stringify([a, b].map((id) => h.sandbox.store.objects.contacts.byId.get(id)));
    // The SDK types values as strings; a caller's bug (an object) reaches the wire as a JSON object.
    const batch = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: [
          { id: a, properties: { firstname: 'Ok' } },
          { id: b, properties: { firstname: { first: 'Ada' } as never } },
        ],
      }),
    );
    expect(batch.code).toBe(400);
    expect(batch.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.stringMatching(UUID),
      message: expect.stringContaining('["inputs"]->[1]->["properties"]->["firstname"]'),
      context: { propertyName: ['firstname'] },
    });
    expect((batch.body as { message: string }).message).toContain('from Object value');
    const single = await rejection(() =>
      h.client.crm.contacts.basicApi.update(a, { properties: { lastname: ['x'] as never } }),
    );
    expect(single.code).toBe(400);
    expect(single.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      context: { propertyName: ['lastname'] },
    });
    const create = await rejection(() =>
      h.client.crm.contacts.batchApi.create({
        inputs: [{ properties: { email: 'x@example.com', firstname: { a: 1 } as never }, associations: [] }],
      }),
    );
    expect(create.code).toBe(400);
    expect(create.body).toMatchObject({ context: { propertyName: ['firstname'] } });
    expect(JSON.stringify([a, b].map((id) => h.sandbox.store.objects.contacts.byId.get(id)))).toBe(before);
    for (const id of h.sandbox.store.objects.contacts.ids)
      expect(Object.values(h.sandbox.store.objects.contacts.byId.get(id)?.properties ?? {})).not.toContain(
        '[object Object]',
      );
    // Numbers and booleans are taken as their text, as HubSpot does.
    const ok = await h.client.crm.contacts.batchApi.update({
      inputs: [{ id: a, properties: { hs_email_open: 7 as never, firstname: true as never } }],
    });
    expect(ok.results[0].properties).toMatchObject({ hs_email_open: '7', firstname: 'true' });
  });

  it("answers a 50 MB body with 413 and HubSpot's error body, not 500", async () => {
    const [id] = h.sandbox.store.objects.contacts.ids;
    const error = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: [{ id, properties: { firstname: 'x'.repeat(50 * 1024 * 1024) } }],
      }),
    );
    expect(error.code).toBe(413);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.stringMatching(UUID),
      message: expect.stringContaining(`limit is ${MAX_BODY_BYTES} bytes`),
    });
    expect(error.headers['content-type']).toMatch(/^application\/json/);
    expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.firstname).not.toMatch(/^x+$/);
    // Just under the limit is accepted.
    const under = 'y'.repeat(MAX_BODY_BYTES - 200);
    const accepted = await h.client.crm.contacts.batchApi.update({
      inputs: [{ id, properties: { firstname: under } }],
    });
    expect(accepted.results[0].properties.firstname).toBe(under);
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
