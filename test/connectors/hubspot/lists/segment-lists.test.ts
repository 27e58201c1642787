import { ensureClvProperties, writeChangedValues } from '../../../../connectors/hubspot/writeback';
import { syncSegmentLists } from '../../../../connectors/hubspot/lists';
import { HubSpotRequestError } from '../../../../connectors/hubspot/errors';
import { sandboxLists } from '../../../../connectors/hubspot/sandbox';
import {
  RETRY,
  SEGMENTS,
  scoresFor,
  startWritebackHarness,
  TOKEN,
  type WritebackHarness,
} from '../writeback/writeback-harness';

// 3 behavioural segments + 11 RFM segments + 3 risk bands + 2 retention arms (DESIGN; issue P8).
const LIST_COUNT = 3 + 11 + 3 + 2;

async function raw(h: WritebackHarness, method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const enumFilter = (property: string, values: string[]) => ({
  filterBranchType: 'OR',
  filters: [],
  filterBranches: [
    {
      filterBranchType: 'AND',
      filterBranches: [],
      filters: [
        {
          filterType: 'PROPERTY',
          property,
          operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values },
        },
      ],
    },
  ],
});

async function members(h: WritebackHarness, listId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await h.connection.client.crm.lists.membershipsApi.getPage(listId, after, undefined, 50);
    ids.push(...page.results.map((r) => r.recordId));
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return ids.sort();
}

describe('segment lists through the SDK against the sandbox', () => {
  let h: WritebackHarness;
  beforeAll(async () => {
    h = await startWritebackHarness(120);
  });
  afterAll(() => h.close());

  it('skips every list while the clv properties do not exist, and creates none', async () => {
    const result = await syncSegmentLists(h.connection, { segments: SEGMENTS, retry: RETRY });
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 0, skipped: LIST_COUNT });
    const first = result.lists[0];
    expect(first.action === 'skipped' && first.reason).toMatch(
      /property clv_segment does not exist.*run write-back first/,
    );
    expect(sandboxLists(h.sandbox.store)).toHaveLength(0);
  });

  it('creates each list once; membership is the contacts whose stored value matches', async () => {
    const ensured = await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
    const ids = h.contactIds();
    await writeChangedValues(h.connection, {
      updates: new Map(ids.map((id, i) => [id, scoresFor(i)])),
      lastWritten: new Map(),
      definitions: ensured.definitions,
      retry: RETRY,
    });

    const result = await syncSegmentLists(h.connection, { segments: SEGMENTS, retry: RETRY });
    expect(result).toMatchObject({ created: LIST_COUNT, updated: 0, unchanged: 0, skipped: 0 });
    const lists = sandboxLists(h.sandbox.store);
    expect(lists).toHaveLength(LIST_COUNT);
    expect(lists.every((l) => l.processingType === 'DYNAMIC' && l.objectTypeId === '0-1')).toBe(true);
    expect(lists.map((l) => l.name)).toEqual(
      expect.arrayContaining([
        'CLV · Lapsing',
        'CLV · RFM Champions',
        'CLV · High churn risk',
        'CLV · Retention control',
      ]),
    );

    // Independent expectation: the harness wrote contact i with scoresFor(i), so segment = SEGMENTS[i % 3],
    // RFM champions for even i, risk RISKS[i % 3], control for i % 10 === 0.
    const expected: Record<string, string[]> = {
      'CLV · Lapsing': ids.filter((_, i) => i % 3 === 2),
      'CLV · RFM Champions': ids.filter((_, i) => i % 2 === 0),
      'CLV · RFM Lost': [],
      'CLV · High churn risk': ids.filter((_, i) => i % 3 === 2),
      'CLV · Retention control': ids.filter((_, i) => i % 10 === 0),
      'CLV · Retention treatment': ids.filter((_, i) => i % 10 !== 0),
    };
    for (const [name, want] of Object.entries(expected)) {
      const list = lists.find((l) => l.name === name);
      expect(list).toBeDefined();
      expect(await members(h, list!.listId)).toEqual([...want].sort());
    }
  });

  it('a rerun finds every list by name and changes nothing', async () => {
    const before = h.requests.length;
    const result = await syncSegmentLists(h.connection, { segments: SEGMENTS, retry: RETRY });
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: LIST_COUNT, skipped: 0 });
    const writes = h.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect(sandboxLists(h.sandbox.store)).toHaveLength(LIST_COUNT);
  });

  it('puts back filters someone changed, as a new list version, without a second list', async () => {
    const list = sandboxLists(h.sandbox.store).find((l) => l.name === 'CLV · High churn risk')!;
    const edited = await raw(h, 'PUT', `/crm/v3/lists/${list.listId}/update-list-filters`, {
      filterBranch: enumFilter('clv_churn_risk', ['high', 'medium']),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.updatedList.listVersion).toBe(2);

    const result = await syncSegmentLists(h.connection, { segments: SEGMENTS, retry: RETRY });
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: LIST_COUNT - 1 });
    expect(result.lists.find((l) => l.action === 'updated')?.name).toBe('CLV · High churn risk');
    const after = sandboxLists(h.sandbox.store).filter((l) => l.name === 'CLV · High churn risk');
    expect(after).toHaveLength(1);
    expect(after[0].listVersion).toBe(3);
    const highs = h.contactIds().filter((_, i) => i % 3 === 2);
    expect(await members(h, list.listId)).toEqual([...highs].sort());
  });

  it('a create answered "name taken" (its first attempt went through) finds the list instead of a duplicate', async () => {
    const segments = [...SEGMENTS, { id: 'seg-vip', name: 'VIP' }];
    await ensureClvProperties(h.connection, { segments, retry: RETRY });
    const api = h.connection.client.crm.lists.listsApi;
    // The list appears between the look-up and the create, as when a lost answer is retried.
    const created = await raw(h, 'POST', '/crm/v3/lists/', {
      name: 'CLV · VIP',
      objectTypeId: '0-1',
      processingType: 'DYNAMIC',
      filterBranch: enumFilter('clv_segment', ['seg-vip']),
    });
    expect(created.status).toBe(200);
    const real = api.getByName.bind(api);
    let hidden = false;
    const spy = jest.spyOn(api, 'getByName').mockImplementation(async (name, ...rest) => {
      if (name === 'CLV · VIP' && !hidden) {
        hidden = true;
        throw new HubSpotRequestError(404, 'OBJECT_NOT_FOUND', undefined, 'not found');
      }
      return real(name, ...rest);
    });
    const before = h.requests.length;
    const result = await syncSegmentLists(h.connection, { segments, retry: RETRY });
    spy.mockRestore();
    expect(hidden).toBe(true);
    const creates = h.requests.slice(before).filter((r) => r.method === 'POST');
    expect(creates).toEqual([{ method: 'POST', path: '/crm/v3/lists', status: 409 }]);
    expect(result.lists.find((l) => l.name === 'CLV · VIP')).toMatchObject({
      action: 'unchanged',
      listId: created.body.list.listId,
    });
    expect(sandboxLists(h.sandbox.store).filter((l) => l.name === 'CLV · VIP')).toHaveLength(1);
  });
});

describe('the sandbox Lists API error bodies', () => {
  let h: WritebackHarness;
  beforeAll(async () => {
    h = await startWritebackHarness(10);
    await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
  });
  afterAll(() => h.close());

  const create = (body: Record<string, unknown>) =>
    raw(h, 'POST', '/crm/v3/lists/', { objectTypeId: '0-1', processingType: 'DYNAMIC', ...body });

  it('answers a duplicate name with 409 OBJECT_ALREADY_EXISTS, whatever the case', async () => {
    expect((await create({ name: 'Dup', filterBranch: enumFilter('clv_churn_risk', ['high']) })).status).toBe(
      200,
    );
    const again = await create({ name: 'dup', filterBranch: enumFilter('clv_churn_risk', ['low']) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      status: 'error',
      category: 'OBJECT_ALREADY_EXISTS',
      errors: [{ code: 'LIST_NAME_ALREADY_EXISTS' }],
    });
    expect(typeof again.body.correlationId).toBe('string');
  });

  it('answers a filter on a missing property, or a value with no option, with 400 VALIDATION_ERROR', async () => {
    const missing = await create({ name: 'Bad property', filterBranch: enumFilter('clv_nope', ['x']) });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [{ code: 'INVALID_FILTER_PROPERTY', context: { propertyName: ['clv_nope'] } }],
    });
    const option = await create({
      name: 'Bad option',
      filterBranch: enumFilter('clv_churn_risk', ['extreme']),
    });
    expect(option.status).toBe(400);
    expect(option.body.errors[0]).toMatchObject({ code: 'INVALID_OPTION' });
    expect(sandboxLists(h.sandbox.store).map((l) => l.name)).not.toContain('Bad option');
  });

  it('refuses a root branch that is not OR, and a DYNAMIC list without filters', async () => {
    const andRoot = await create({
      name: 'AND root',
      filterBranch: { ...enumFilter('clv_churn_risk', ['high']), filterBranchType: 'AND' },
    });
    expect(andRoot.status).toBe(400);
    expect(andRoot.body.message).toMatch(/root branch must have filterBranchType OR/);
    expect((await create({ name: 'No filters' })).status).toBe(400);
  });

  it('answers an unknown name or id with 404 OBJECT_NOT_FOUND', async () => {
    const byName = await raw(
      h,
      'GET',
      `/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent('CLV · none')}`,
    );
    expect(byName.status).toBe(404);
    expect(byName.body.category).toBe('OBJECT_NOT_FOUND');
    expect((await raw(h, 'PUT', '/crm/v3/lists/999/update-list-filters', { filterBranch: {} })).status).toBe(
      404,
    );
  });

  it('returns the filterBranch only with includeFilters=true', async () => {
    const name = encodeURIComponent('Dup');
    const plain = await raw(h, 'GET', `/crm/v3/lists/object-type-id/0-1/name/${name}`);
    expect(plain.body.list.filterBranch).toBeUndefined();
    const full = await raw(h, 'GET', `/crm/v3/lists/object-type-id/0-1/name/${name}?includeFilters=true`);
    expect(full.body.list.filterBranch.filterBranches[0].filters[0]).toMatchObject({
      property: 'clv_churn_risk',
      operation: { operator: 'IS_ANY_OF', values: ['high'], includeObjectsWithNoValueSet: false },
    });
  });
});
