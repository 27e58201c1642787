/**
 * The step after write-back that keeps the CRM's segment lists current (issue P8): the segment ids of the
 * tenant's last score run (readScoreSegments: customer → segment, without loading the Scores) handed to the
 * adapter's segment-list capability (HubSpot lists, Salesforce Contact list views), which names each list
 * after the segment's label in the CRM. A CRM without one is reported as such, never as a failure.
 */
import type { CrmAdapter, SegmentListsReport } from '../../connectors/crm-adapter';
import type { RecordStore } from '../state';

export type SegmentListsStepResult =
  | ({ status: 'synced' } & SegmentListsReport)
  | { status: 'unsupported'; reason: string }
  | { status: 'no-run'; reason: string };

export async function syncTenantSegmentLists(input: {
  adapter: CrmAdapter;
  store: Pick<RecordStore, 'readScoreSegments'>;
}): Promise<SegmentListsStepResult> {
  const { adapter, store } = input;
  if (adapter.segmentLists === undefined)
    return {
      status: 'unsupported',
      reason: `${adapter.crm} has no segment lists here: filter its views on the CLV fields instead (README)`,
    };
  const segments = await store.readScoreSegments(adapter.tenant);
  if (segments === undefined)
    return { status: 'no-run', reason: `no score run for ${adapter.tenant}: run score and writeback first` };
  const ids = [...new Set(segments.values())].sort();
  const report = await adapter.segmentLists.sync(ids.map((id) => ({ id })));
  return { status: 'synced', ...report };
}
