/**
 * Applies what a CRM adapter read to a tenant's store. Rules that depend on what is stored live here, not in
 * the adapters: a full read keeps only what it saw, and a removed customer takes its orders and service cases.
 */
import type { RecordChange, RecordSink, RemovedCounts } from '../../connectors/crm-adapter';
import type { RecordType } from '../../domain/records';
import type { RecordStore } from './record-store';

/** Record types that belong to a customer and go when the customer goes. */
const DEPENDENTS = ['order', 'serviceCase'] as const satisfies readonly RecordType[];

export function storeSink(store: RecordStore, tenant: string): RecordSink {
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
        if (change.withDependents && change.type === 'customer' && ids.size > 0)
          for (const type of DEPENDENTS) {
            const owned = (await store.readRecords(tenant, type)).filter((r) => ids.has(r.customerId));
            removed[type] = await store.deleteRecords(
              tenant,
              type,
              owned.map((r) => r.id),
            );
          }
        return removed;
      }
    }
  };
  return { apply, cursor: (name) => store.getCursor(tenant, name) };
}
