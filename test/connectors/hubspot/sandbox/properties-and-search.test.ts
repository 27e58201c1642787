import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/properties/apis/exception';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
  type PropertyCreate,
} from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { rejection, startHarness, UUID, type Harness } from './sandbox-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 } });
});
afterAll(async () => {
  await h.server.close();
});

// The request body as the SDK sends it (NOTES §4.5).
const SEGMENT: PropertyCreate = {
  name: 'clv_segment',
  label: 'CLV segment',
  type: PropertyCreateTypeEnum.Enumeration,
  fieldType: PropertyCreateFieldTypeEnum.Select,
  groupName: 'clv',
  description: 'Segment computed by crm-clv',
  formField: false,
  hasUniqueValue: false,
  options: [
    { label: 'Champions', value: 'champions', displayOrder: 0, hidden: false },
    { label: 'At risk', value: 'at_risk', displayOrder: 1, hidden: false },
  ],
};

describe('HubSpot sandbox: properties and groups', () => {
  it('creates the group with 201, then 409 OBJECT_ALREADY_EXISTS on the second create', async () => {
    const group = await h.client.crm.properties.groupsApi.create('contacts', {
      name: 'clv',
      label: 'Customer lifetime value',
      displayOrder: -1,
    });
    expect(group).toMatchObject({ name: 'clv', label: 'Customer lifetime value', archived: false });
    const error = await rejection(() =>
      h.client.crm.properties.groupsApi.create('contacts', { name: 'clv', label: 'again' }),
    );
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(409);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'OBJECT_ALREADY_EXISTS',
      correlationId: expect.stringMatching(UUID),
    });
  });

  it('creates a property once; the second create throws an ApiException with a 409 HubSpot error body', async () => {
    const created = await h.client.crm.properties.coreApi.create('contacts', SEGMENT);
    expect(created).toMatchObject({
      name: 'clv_segment',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'clv',
      hubspotDefined: false,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    const error = await rejection(() => h.client.crm.properties.coreApi.create('contacts', SEGMENT));
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(409);
    expect(error.body).toEqual({
      status: 'error',
      message: expect.any(String),
      correlationId: expect.stringMatching(UUID),
      category: 'OBJECT_ALREADY_EXISTS',
      subCategory: expect.any(String),
      context: { name: ['clv_segment'] },
    });
  });

  it('rejects a property whose fieldType does not fit its type', async () => {
    const error = await rejection(() =>
      h.client.crm.properties.coreApi.create('contacts', {
        name: 'clv_p_alive',
        label: 'P alive',
        type: 'number',
        fieldType: 'select',
        groupName: 'clv',
      } as never),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('adds enumeration options with PATCH, after which the new value can be written', async () => {
    const [id] = h.sandbox.store.objects.contacts.ids;
    const rejected = await rejection(() =>
      h.client.crm.contacts.batchApi.update({ inputs: [{ id, properties: { clv_segment: 'loyal' } }] }),
    );
    expect(rejected.code).toBe(400);
    expect(rejected.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    const options = [
      ...(SEGMENT.options ?? []),
      { label: 'Loyal', value: 'loyal', displayOrder: 2, hidden: false },
    ];
    const patched = await h.client.crm.properties.coreApi.update('contacts', 'clv_segment', { options });
    expect(patched.options.map((o) => o.value)).toEqual(['champions', 'at_risk', 'loyal']);
    const read = await h.client.crm.properties.coreApi.getByName('contacts', 'clv_segment');
    expect(read.options).toHaveLength(3);
    const accepted = await h.client.crm.contacts.batchApi.update({
      inputs: [{ id, properties: { clv_segment: 'loyal' } }],
    });
    expect(accepted.results[0].properties.clv_segment).toBe('loyal');
  });
});

describe('HubSpot sandbox: property batches', () => {
  const riskBand = (name: string): PropertyCreate => ({
    name,
    label: name,
    type: PropertyCreateTypeEnum.Enumeration,
    fieldType: PropertyCreateFieldTypeEnum.Select,
    groupName: 'contactinformation',
    options: ['low', 'medium', 'high'].map((value, displayOrder) => ({
      label: value,
      value,
      displayOrder,
      hidden: false,
    })),
  });

  it('batch-creates with 201, then answers 207 naming only the input that already exists', async () => {
    const first = await h.client.crm.properties.batchApi.create('contacts', {
      inputs: [riskBand('clv_churn_risk')],
    });
    expect(first.results.map((p) => p.name)).toEqual(['clv_churn_risk']);
    const second = await h.client.crm.properties.batchApi.create('contacts', {
      inputs: [riskBand('clv_churn_risk'), riskBand('clv_retention_group')],
    });
    expect(second.results.map((p) => p.name)).toEqual(['clv_retention_group']);
    const errors = 'errors' in second ? (second.errors ?? []) : [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      category: 'OBJECT_ALREADY_EXISTS',
      context: { name: ['clv_churn_risk'] },
    });
  });

  it('batch-reads properties and reports unknown names in a 207', async () => {
    const read = await h.client.crm.properties.batchApi.read('contacts', {
      inputs: [{ name: 'email' }, { name: 'no_such_property' }],
      archived: false,
    });
    expect(read.results.map((p) => p.name)).toEqual(['email']);
    expect('errors' in read ? read.errors?.[0].category : undefined).toBe('OBJECT_NOT_FOUND');
  });
});

describe('HubSpot sandbox: search', () => {
  it('pages a lastmodifieddate GTE search in ascending order and returns every match once', async () => {
    const contacts = [...h.sandbox.store.objects.contacts.byId.values()];
    const times = contacts.map((c) => Date.parse(c.properties.lastmodifieddate)).sort((a, b) => a - b);
    const since = times[Math.floor(times.length / 2)];
    const expected = contacts
      .filter((c) => Date.parse(c.properties.lastmodifieddate) >= since)
      .map((c) => c.id);
    const found: string[] = [];
    let after: string | undefined = '0';
    let lastTime = -Infinity;
    while (after !== undefined) {
      const page = await h.client.crm.contacts.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(since) },
            ],
          },
        ],
        // Object sorts as the docs show them; the SDK types `sorts` as string[] but passes objects through (NOTES §4.1).
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
        properties: ['email', 'lastmodifieddate'],
        limit: 40,
        after,
      });
      expect(page.total).toBe(expected.length);
      for (const r of page.results) {
        const t = Date.parse(r.properties.lastmodifieddate ?? '');
        expect(t).toBeGreaterThanOrEqual(Math.max(since, lastTime));
        lastTime = t;
        found.push(r.id);
      }
      after = page.paging?.next?.after;
    }
    expect(found.sort()).toEqual([...expected].sort());
  });

  it('enforces the 200 limit, 5 × 6 filters, 18 filters in all, the 10,000-result cap and 3,000-character bodies with 400s', async () => {
    const api = h.client.crm.contacts.searchApi;
    const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' as const };
    for (const request of [
      { limit: 201, filterGroups: [] },
      { filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) },
      { filterGroups: [{ filters: Array.from({ length: 7 }, () => filter) }] },
      { after: '10000', filterGroups: [] },
      {
        filterGroups: Array.from({ length: 4 }, () => ({ filters: Array.from({ length: 5 }, () => filter) })),
      },
      { query: 'x'.repeat(3001), filterGroups: [] },
    ]) {
      const error = await rejection(() => api.doSearch(request as never));
      expect(error.code).toBe(400);
      expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    }
  });

  it('supports IN, BETWEEN, NOT_HAS_PROPERTY and NEQ', async () => {
    const search = (filters: object[]) =>
      h.client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters }],
        limit: 200,
        properties: ['country', 'gender', 'hs_analytics_num_visits'],
      } as never);
    const inResult = await search([
      { propertyName: 'country', operator: 'IN', values: ['france', 'germany'] },
    ]);
    expect(inResult.results.every((r) => ['France', 'Germany'].includes(r.properties.country ?? ''))).toBe(
      true,
    );
    const between = await search([
      { propertyName: 'hs_analytics_num_visits', operator: 'BETWEEN', value: '3', highValue: '5' },
    ]);
    expect(
      between.results.every(
        (r) =>
          Number(r.properties.hs_analytics_num_visits) >= 3 &&
          Number(r.properties.hs_analytics_num_visits) <= 5,
      ),
    ).toBe(true);
    const noGender = await search([{ propertyName: 'gender', operator: 'NOT_HAS_PROPERTY' }]);
    expect(noGender.total).toBeGreaterThan(0);
    expect(noGender.results.every((r) => r.properties.gender === undefined)).toBe(true);
    const neq = await search([{ propertyName: 'country', operator: 'NEQ', value: 'France' }]);
    expect(neq.results.every((r) => r.properties.country !== 'France')).toBe(true);
  });

  it('finds the deals of one contact with the associations.contact pseudo-property', async () => {
    const byContact = h.sandbox.store.associations.get('contacts|deals');
    const [contactId, edges] = [...(byContact?.entries() ?? [])].find(([, list]) => list.length >= 2) ?? [
      '',
      [],
    ];
    const page = await h.client.crm.deals.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'associations.contact', operator: FilterOperatorEnum.Eq, value: contactId },
          ],
        },
      ],
      limit: 100,
    } as never);
    expect(page.results.map((d) => d.id).sort()).toEqual(edges.map((e) => e.toId).sort());
  });
});
