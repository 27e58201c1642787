/**
 * The sandbox's ListView metadata and REST list views, driven by jsforce's own Metadata API and REST calls
 * (sandbox NOTES-list-views-campaigns.md §1, §2): booleanFilter logic and a comma "any of" value evaluated on
 * contacts set by hand, refusals named per component (unknown field, label over 40, a scope or operation the
 * sandbox cannot evaluate), create of an existing name refused, and the REST paging bounds.
 */
import { updateRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import { startOrg, type Org } from '../e2e/org-harness';

type SaveError = { statusCode: string; message: string };
type SaveResult = { fullName: string; success: boolean | string; errors?: SaveError | SaveError[] };
/** The first error of a result (jsforce unwraps a list of one). */
const firstError = (r: SaveResult): SaveError | undefined => [r.errors ?? []].flat()[0];
type Metadata = {
  upsert(type: string, metadata: object[]): Promise<SaveResult[]>;
  create(type: string, metadata: object[]): Promise<SaveResult[]>;
};

const view = (name: string, extra: object = {}) => ({
  fullName: `Contact.${name}`,
  columns: ['FULL_NAME', 'CLV_Churn_Risk__c'],
  filterScope: 'Everything',
  filters: [{ field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'high' }],
  label: name,
  ...extra,
});

describe('sandbox list views', () => {
  let org: Org;
  let metadata: Metadata;
  let ids: string[];
  let request: <T>(path: string) => Promise<T>;

  beforeAll(async () => {
    org = await startOrg({ contacts: 30 }, { predefinedFields: true });
    const adapter = await org.adapter();
    metadata = adapter.connection.conn.metadata as unknown as Metadata;
    request = (path) => adapter.connection.conn.request(`/services/data/v62.0${path}`);
    const contacts = [...org.sandbox.store.records.get('Contact')!.values()].filter((c) => !c.IsDeleted);
    ids = contacts.map((c) => c.Id);
    // Contact i: high when i % 3 = 0, low when i % 3 = 1, nothing otherwise; treatment when i < 10.
    contacts.forEach((c, i) =>
      updateRecord(
        org.sandbox.store,
        'Contact',
        c,
        {
          CLV_Churn_Risk__c: i % 3 === 0 ? 'high' : i % 3 === 1 ? 'low' : null,
          CLV_Retention_Group__c: i < 10 ? 'treatment' : null,
        },
        '2026-11-01T00:00:00.000+0000',
      ),
    );
  });
  afterAll(() => org?.close());

  const members = async (developerName: string, query = '?limit=2000') => {
    const listed = await request<{ listviews: { id: string; developerName: string }[] }>(
      '/sobjects/Contact/listviews',
    );
    const id = listed.listviews.find((v) => v.developerName === developerName)!.id;
    const results = await request<{ records: { columns: { fieldNameOrPath: string; value: string }[] }[] }>(
      `/sobjects/Contact/listviews/${id}/results${query}`,
    );
    return results.records.map((r) => r.columns.find((c) => c.fieldNameOrPath === 'Id')!.value).sort();
  };

  it('evaluates booleanFilter and a comma list of values', async () => {
    const saved = await metadata.upsert('ListView', [
      view('High_or_treated', {
        booleanFilter: '1 OR 2',
        filters: [
          { field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'high' },
          { field: 'CLV_Retention_Group__c', operation: 'equals', value: 'treatment' },
        ],
      }),
      view('High_and_treated', {
        booleanFilter: '(1 AND 2)',
        filters: [
          { field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'high' },
          { field: 'CLV_Retention_Group__c', operation: 'equals', value: 'treatment' },
        ],
      }),
      view('Any_band', {
        filters: [{ field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'high, low' }],
      }),
      view('Not_high', { filters: [{ field: 'CLV_Churn_Risk__c', operation: 'notEqual', value: 'high' }] }),
    ]);
    expect(saved.map((r) => String(r.success))).toEqual(['true', 'true', 'true', 'true']);
    const pick = (test: (i: number) => boolean) => ids.filter((_, i) => test(i)).sort();
    expect(await members('High_or_treated')).toEqual(pick((i) => i % 3 === 0 || i < 10));
    expect(await members('High_and_treated')).toEqual(pick((i) => i % 3 === 0 && i < 10));
    expect(await members('Any_band')).toEqual(pick((i) => i % 3 !== 2));
    expect(await members('Not_high')).toEqual(pick((i) => i % 3 !== 0));
    // 30 contacts, 10 high: the default page is 25 rows, offset skips rows.
    expect(await members('Not_high', '')).toHaveLength(20);
    expect(await members('Not_high', '?limit=5&offset=18')).toHaveLength(2);
  });

  it('refuses, per component, what it cannot hold or evaluate; create of an existing name is a duplicate', async () => {
    const saved = await metadata.upsert('ListView', [
      view('Unknown_field', { filters: [{ field: 'Nope__c', operation: 'equals', value: 'x' }] }),
      view('Long_label', { label: 'x'.repeat(41) }),
      view('Mine_scope', { filterScope: 'Mine' }),
      view('Contains_op', { filters: [{ field: 'CLV_Churn_Risk__c', operation: 'contains', value: 'hi' }] }),
      view('Bad__name'),
      view('Good_one'),
    ]);
    expect(saved.map((r) => [r.fullName, String(r.success), firstError(r)?.statusCode])).toEqual([
      ['Contact.Unknown_field', 'false', 'FIELD_INTEGRITY_EXCEPTION'],
      ['Contact.Long_label', 'false', 'FIELD_INTEGRITY_EXCEPTION'],
      ['Contact.Mine_scope', 'false', 'FIELD_INTEGRITY_EXCEPTION'],
      ['Contact.Contains_op', 'false', 'FIELD_INTEGRITY_EXCEPTION'],
      ['Contact.Bad__name', 'false', 'FIELD_INTEGRITY_EXCEPTION'],
      ['Contact.Good_one', 'true', undefined],
    ]);
    expect(firstError(saved[0])!.message).toMatch(/Nope__c/);
    expect(org.sandbox.listViews.get('Contact.Unknown_field')).toBeUndefined();
    const again = await metadata.create('ListView', [view('Good_one')]);
    expect(firstError(again[0])?.statusCode).toBe('DUPLICATE_DEVELOPER_NAME');
  });

  it('answers 400 for a limit outside 1..2000 and 404 for an unknown view id', async () => {
    const id = org.sandbox.listViews.get('Contact.Good_one')!.id;
    await expect(request(`/sobjects/Contact/listviews/${id}/results?limit=2001`)).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_PARAMETER_VALUE',
    });
    await expect(request('/sobjects/Contact/listviews/00B5g0000000000ZZZ/describe')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });
});
