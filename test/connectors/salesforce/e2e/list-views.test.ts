/**
 * Segment list views for a Salesforce tenant, through the same job the worker and `crm-clv lists sync` run
 * (syncTenantSegmentLists) and the adapter's segment-list capability, over real jsforce 3.10.16 against the
 * sandbox's Metadata SOAP API: one Contact ListView per behavioural segment, RFM segment, churn band and
 * retention arm, deployed once, left alone on a rerun, put back when edited. Membership is read back through
 * the REST list view resources (listviews, describe, results) and compared with an assignment made here by
 * hand, not with anything the connector computed.
 */
import type { FieldValues } from '../../../../connectors/crm-adapter';
import type { SalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import { RFM_SEGMENTS, optionValue } from '../../../../domain/rfm-segments';
import { syncTenantSegmentLists } from '../../../../worker/jobs/sync-segment-lists';
import { startOrg, type Org } from './org-harness';

type ListViewSummary = { id: string; developerName: string; label: string; resultsUrl: string };
type Results = {
  done: boolean;
  size: number;
  records: { columns: { fieldNameOrPath: string; value: string | null }[] }[];
};

const SEGMENTS = [
  { id: 'seg-1', name: 'Loyal regulars' },
  { id: 'seg-2', name: 'Occasional buyers' },
];
const RFM = ['champions', 'at_risk', 'lost'];

/** The hand-made assignment: contact i → the values written, by simple rules of i. */
function assignment(i: number): Record<string, string> {
  const values: Record<string, string> = {
    clv_segment: i % 2 === 0 ? 'seg-1' : 'seg-2',
    clv_rfm_segment: RFM[i % 3],
    clv_churn_risk: i % 7 === 0 ? 'high' : i % 2 === 0 ? 'medium' : 'low',
  };
  if (i % 5 === 0) values.clv_retention_group = 'treatment';
  if (i % 5 === 1) values.clv_retention_group = 'control';
  return values;
}

/** Every view of this run: 2 segments + 11 RFM segments + 3 churn bands + 2 arms. */
const VIEW_COUNT = 2 + RFM_SEGMENTS.length + 3 + 2;

describe('Salesforce segment list views (Metadata API ListView, REST list view results)', () => {
  let org: Org;
  let adapter: SalesforceAdapter;
  let ids: string[];
  const version = () => `/services/data/v${adapter.connection.conn.version}`;
  const get = <T>(path: string) => adapter.connection.conn.request<T>(`${version()}${path}`);
  const sync = () =>
    syncTenantSegmentLists({
      adapter,
      store: { readScoreSegments: async () => new Map(ids.map((id, i) => [id, assignment(i).clv_segment])) },
    });

  beforeAll(async () => {
    org = await startOrg({ contacts: 120 });
    adapter = await org.adapter();
    ids = [...org.sandbox.store.records.get('Contact')!.values()]
      .filter((c) => !c.IsDeleted)
      .map((c) => c.Id);
    expect(ids).toHaveLength(120);
  }, 60_000);
  afterAll(() => org?.close());

  it('skips every view, naming write-back, while the CLV fields do not exist', async () => {
    const result = await sync();
    expect(result.status).toBe('synced');
    if (result.status !== 'synced') return;
    expect(result.skipped).toBe(VIEW_COUNT);
    expect(result.lists.every((l) => l.action === 'skipped' && /run write-back first/.test(l.reason))).toBe(
      true,
    );
    expect(org.sandbox.listViews.ofObject('Contact').map((v) => v.developerName)).toEqual(['AllContacts']);
  });

  it('deploys one view per segment, RFM segment, churn band and arm; results are the contacts holding the value', async () => {
    await adapter.ensureFields({ segments: SEGMENTS });
    const values = new Map<string, FieldValues>(ids.map((id, i) => [id, assignment(i)]));
    const written = await adapter.writeChanged({ values, lastWritten: new Map() });
    expect(written.failed).toEqual([]);

    const result = await sync();
    expect(result.status).toBe('synced');
    if (result.status !== 'synced') return;
    expect([result.created, result.updated, result.unchanged, result.skipped]).toEqual([VIEW_COUNT, 0, 0, 0]);

    const listed = await get<{ listviews: ListViewSummary[]; sobjectType: string }>(
      '/sobjects/Contact/listviews',
    );
    expect(listed.sobjectType).toBe('Contact');
    const ours = listed.listviews.filter((v) => v.developerName.startsWith('CLV_'));
    expect(ours).toHaveLength(VIEW_COUNT);
    expect(listed.listviews.map((v) => v.developerName)).toContain('AllContacts');
    expect(ours.every((v) => /^00B/.test(v.id))).toBe(true);
    const byName = new Map(ours.map((v) => [v.developerName, v]));
    expect(byName.get('CLV_Segment_seg_1')!.label).toBe('CLV · Loyal regulars');
    expect(byName.get('CLV_RFM_cant_lose_them')!.label).toBe("CLV · RFM Can't Lose Them");
    expect(byName.get('CLV_Churn_high')!.label).toBe('CLV · High churn risk');
    expect(byName.get('CLV_Retention_treatment')!.label).toBe('CLV · Retention treatment');
    expect(byName.has('CLV_Retention_none')).toBe(false);

    const cases: [string, string, string][] = [
      ['CLV_Segment_seg_1', 'clv_segment', 'seg-1'],
      ['CLV_Segment_seg_2', 'clv_segment', 'seg-2'],
      ...RFM_SEGMENTS.map(
        (label) =>
          [`CLV_RFM_${optionValue(label)}`, 'clv_rfm_segment', optionValue(label)] as [
            string,
            string,
            string,
          ],
      ),
      ['CLV_Churn_low', 'clv_churn_risk', 'low'],
      ['CLV_Churn_medium', 'clv_churn_risk', 'medium'],
      ['CLV_Churn_high', 'clv_churn_risk', 'high'],
      ['CLV_Retention_treatment', 'clv_retention_group', 'treatment'],
      ['CLV_Retention_control', 'clv_retention_group', 'control'],
    ];
    for (const [developerName, field, value] of cases) {
      const view = byName.get(developerName)!;
      const results = await get<Results>(`${view.resultsUrl.slice(version().length)}?limit=2000`);
      expect(results.done).toBe(true);
      const members = results.records.map((r) => r.columns.find((c) => c.fieldNameOrPath === 'Id')!.value);
      const expected = ids.filter((_, i) => assignment(i)[field] === value);
      expect({ developerName, members: [...members].sort() }).toEqual({
        developerName,
        members: [...expected].sort(),
      });
    }
    // 120 contacts: seg-1 holds the 60 even ones, the high band i ≡ 0 (mod 7): 18, each arm 24.
    const count = async (name: string) =>
      (await get<Results>(`${byName.get(name)!.resultsUrl.slice(version().length)}?limit=2000`)).size;
    expect(await count('CLV_Segment_seg_1')).toBe(60);
    expect(await count('CLV_Churn_high')).toBe(18);
    expect(await count('CLV_Retention_treatment')).toBe(24);
    expect(await count('CLV_RFM_hibernating')).toBe(0);

    const described = await get<{ whereCondition: unknown; sobjectType: string; query: string }>(
      `/sobjects/Contact/listviews/${byName.get('CLV_Churn_high')!.id}/describe`,
    );
    expect(described.sobjectType).toBe('Contact');
    expect(described.whereCondition).toEqual({
      field: 'CLV_Churn_Risk__c',
      operator: 'equals',
      values: ['high'],
    });
    expect(described.query).toMatch(/FROM Contact WHERE CLV_Churn_Risk__c IN \('high'\)/);

    const page = await get<Results>(
      `${byName.get('CLV_Segment_seg_1')!.resultsUrl.slice(version().length)}?limit=25&offset=50`,
    );
    expect([page.size, page.done]).toEqual([10, true]);
  });

  it('a rerun deploys nothing; an edited view gets its filter back and keeps its id', async () => {
    const before = org.sandbox.listViews.ofObject('Contact').map((v) => [v.fullName, v.id]);
    const soapBefore = org.sandbox.usage.used;
    const rerun = await sync();
    if (rerun.status !== 'synced') throw new Error(rerun.status);
    expect([rerun.created, rerun.updated, rerun.unchanged, rerun.skipped]).toEqual([0, 0, VIEW_COUNT, 0]);
    // Reads only: one CustomField read and ceil(18 / 10) = 2 ListView reads.
    expect(org.sandbox.usage.used - soapBefore).toBe(3);
    expect(org.sandbox.listViews.ofObject('Contact').map((v) => [v.fullName, v.id])).toEqual(before);

    const edited = org.sandbox.listViews.get('Contact.CLV_Churn_high')!;
    org.sandbox.listViews.define({
      ...edited,
      filters: [{ field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'low' }],
    });
    const repaired = await sync();
    if (repaired.status !== 'synced') throw new Error(repaired.status);
    expect([repaired.created, repaired.updated, repaired.unchanged]).toEqual([0, 1, VIEW_COUNT - 1]);
    expect(repaired.lists.find((l) => l.action === 'updated')).toMatchObject({
      name: 'CLV · High churn risk',
      listId: 'Contact.CLV_Churn_high',
    });
    const view = org.sandbox.listViews.get('Contact.CLV_Churn_high')!;
    expect(view.id).toBe(edited.id);
    expect(view.filters).toEqual([{ field: 'CLV_Churn_Risk__c', operation: 'equals', value: 'high' }]);
    expect(org.sandbox.listViews.ofObject('Contact')).toHaveLength(VIEW_COUNT + 1);
  });

  it('keeps the view of a segment that left the run (not deleted), and adds one for a new segment', async () => {
    await adapter.ensureFields({ segments: [{ id: 'seg-3', name: 'New arrivals' }] });
    const result = await syncTenantSegmentLists({
      adapter,
      store: { readScoreSegments: async () => new Map(ids.map((id) => [id, 'seg-3'])) },
    });
    if (result.status !== 'synced') throw new Error(result.status);
    expect(result.created).toBe(1);
    expect(result.lists.find((l) => l.action === 'created')!.name).toBe('CLV · New arrivals');
    const names = org.sandbox.listViews.ofObject('Contact').map((v) => v.developerName);
    expect(names).toEqual(
      expect.arrayContaining(['CLV_Segment_seg_1', 'CLV_Segment_seg_2', 'CLV_Segment_seg_3']),
    );
  });
});
