/** The sync stage: whatever CRM the adapter speaks, what it reads lands in the tenant's store. */
import type { CrmAdapter, SyncMode, SyncProgress, SyncReport } from '../../connectors/crm-adapter';
import type { RecordStore } from '../state/record-store';
import { storeSink } from '../state/store-sink';

export async function syncTenant<Report extends SyncReport>(input: {
  adapter: CrmAdapter & { readRecords: (...args: Parameters<CrmAdapter['readRecords']>) => Promise<Report> };
  store: RecordStore;
  mode: SyncMode;
  onProgress?: (progress: SyncProgress) => void;
}): Promise<Report> {
  const { adapter, store, mode, onProgress } = input;
  return adapter.readRecords({ mode, onProgress }, storeSink(store, adapter.tenant)) as Promise<Report>;
}
