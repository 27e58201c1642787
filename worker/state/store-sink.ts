/**
 * Applies what a CRM adapter read to a tenant's store. Rules that depend on what is stored live here, not in
 * the adapters: a full read keeps only what it saw, a removed customer takes what belongs to it along, and
 * engagement counters are recounted from the stored activities.
 */
import type { RecordChange, RecordSink, RemovedCounts } from '../../connectors/crm-adapter';
import type { RecordType } from '../../domain/records';
import { applyActivities } from './recount-engagement';
import type { SinkStore } from './record-store';

/** Record types that go when the record they belong to goes: [type, the field naming the owner]. */
const DEPENDENTS: Partial<Record<RecordType, readonly (readonly [RecordType, string])[]>> = {
  customer: [
    ['order', 'customerId'],
    ['serviceCase', 'customerId'],
    ['activity', 'customerId'],
    ['campaignMember', 'customerId'],
  ],
  campaign: [['campaignMember', 'campaignId']],
};

export function storeSink(store: SinkStore, tenant: string): RecordSink {
  const apply = async (change: RecordChange): Promise<RemovedCounts> => {
    switch (change.kind) {
      case 'upsert':
        await store.putRecords(tenant, change.type, change.records);
        return {};
      case 'cursor':
        await store.setCursor(tenant, change.name, change.value);
        return {};
      case 'retain-only': {
        const stale = (await store.readRecordIds(tenant, change.type)).filter((id) => !change.keep.has(id));
        return { [change.type]: await store.deleteRecords(tenant, change.type, stale) };
      }
      case 'remove': {
        const ids = new Set(change.ids);
        const removed: RemovedCounts = { [change.type]: await store.deleteRecords(tenant, change.type, ids) };
        if (!change.withDependents || ids.size === 0) return removed;
        for (const [type, owner] of DEPENDENTS[change.type] ?? []) {
          const owned = (await store.readRecords(tenant, type)).filter((r) =>
            ids.has(String((r as Record<string, unknown>)[owner])),
          );
          removed[type] = await store.deleteRecords(
            tenant,
            type,
            owned.map((r) => r.id),
          );
        }
        // A deal outlives its contact (the opportunity is still there): it is attributed to no one now.
        if (change.type === 'customer') {
          const detached = (await store.readRecords(tenant, 'deal'))
            .filter((d) => d.customerId !== undefined && ids.has(d.customerId))
            .map(({ customerId: _gone, ...deal }) => deal);
          await store.putRecords(tenant, 'deal', detached);
        }
        return removed;
      }
      case 'activities':
        return applyActivities(store, tenant, change);
    }
  };
  return { apply, cursor: (name) => store.getCursor(tenant, name) };
}
