import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/AssociationSpec';
import { rejection, startHarness, type Harness } from './sandbox-harness';

let clock = Date.parse('2026-11-20T09:00:00.000Z');
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    contacts: 120,
    rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 },
    now: () => clock,
  });
});
afterAll(async () => {
  await h.server.close();
});

describe('HubSpot sandbox: creates, archives and incremental reads', () => {
  it('creates a contact with 201 and a contact→deal association, listed after the seeded ones', async () => {
    const dealId = h.sandbox.store.objects.deals.ids[0];
    const created = await h.client.crm.contacts.basicApi.create({
      properties: { email: 'new.customer@example.com', lifecyclestage: 'lead' },
      associations: [
        {
          to: { id: dealId },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 4,
            },
          ],
        },
      ],
    });
    expect(created.properties).toMatchObject({ email: 'new.customer@example.com', hs_object_id: created.id });
    expect(created.createdAt.toISOString()).toBe(new Date(clock).toISOString());
    const ids = h.sandbox.store.objects.contacts.ids;
    expect(ids[ids.length - 1]).toBe(created.id);
    const back = await h.client.crm.associations.v4.batchApi.getPage('deals', 'contacts', {
      inputs: [{ id: dealId }],
    });
    expect(back.results[0].to.map((t) => String(t.toObjectId))).toContain(created.id);
  });

  it('rejects a create with a value outside the enumeration with 400 VALIDATION_ERROR', async () => {
    const error = await rejection(() =>
      h.client.crm.contacts.basicApi.create({
        properties: { lifecyclestage: 'unknown_stage' },
        associations: [],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('archives with 204; the archived contact is gone from reads and searches', async () => {
    const [one, two, three] = h.sandbox.store.objects.contacts.ids.slice(5, 8);
    await expect(h.client.crm.contacts.basicApi.archive(one)).resolves.toBeUndefined();
    await expect(
      h.client.crm.contacts.batchApi.archive({ inputs: [{ id: two }, { id: three }] }),
    ).resolves.toBeUndefined();
    const error = await rejection(() => h.client.crm.contacts.basicApi.getById(one));
    expect(error.code).toBe(404);
    const all = await h.client.crm.contacts.getAll(100);
    expect(all.map((c) => c.id)).not.toEqual(expect.arrayContaining([one]));
    const archived = await h.client.crm.contacts.basicApi.getPage(
      100,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.results.map((c) => c.id).sort()).toEqual([one, two, three].sort());
  });

  it('after N writes, a lastmodifieddate GTE search from the previous cursor returns exactly those N', async () => {
    clock += 60_000;
    const cursor = clock;
    clock += 1000;
    const changed = h.sandbox.store.objects.contacts.ids.slice(40, 47);
    await h.client.crm.contacts.batchApi.update({
      inputs: changed.map((id) => ({ id, properties: { hs_email_open: '99' } })),
    });
    const page = await h.client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(cursor) },
          ],
        },
      ],
      sorts: ['lastmodifieddate'],
      properties: ['hs_email_open'],
      limit: 200,
      after: '0',
    });
    expect(page.total).toBe(changed.length);
    expect(page.results.map((r) => r.id).sort()).toEqual([...changed].sort());
    expect(page.results.every((r) => r.properties.hs_email_open === '99')).toBe(true);
  });

  it('refuses a batch writing the read-only hs_object_id or an unknown property with one 400; nothing is written', async () => {
    const [a, b, c] = h.sandbox.store.objects.contacts.ids.slice(60, 63);
    const before = JSON.stringify([a, b, c].map((id) => h.sandbox.store.objects.contacts.byId.get(id)));
    const error = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: [
          { id: a, properties: { hs_object_id: '1' } },
          { id: b, properties: { no_such_property: 'x' } },
          { id: c, properties: { firstname: 'Fine' } },
        ],
      }),
    );
    expect(error.code).toBe(400);
    const body = error.body as { category: string; message: string; errors: { code: string }[] };
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.errors.map((e) => e.code).sort()).toEqual(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);
    const listed = JSON.parse(body.message.replace('Property values were not valid: ', '')) as {
      name: string;
    }[];
    expect(listed.map((p) => p.name).sort()).toEqual(['hs_object_id', 'no_such_property']);
    expect(JSON.stringify([a, b, c].map((id) => h.sandbox.store.objects.contacts.byId.get(id)))).toBe(before);
  });
});
