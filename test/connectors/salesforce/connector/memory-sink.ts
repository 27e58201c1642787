/** TEST DOUBLE — an in-memory RecordSink with the store's semantics (upsert, remove with dependents, retain-only, cursors). */
import type { RecordChange, RecordSink, RemovedCounts } from '../../../../connectors/crm-adapter';
import type { RecordType } from '../../../../domain/records';

type Stored = Record<string, unknown> & { id: string; customerId?: string };

export class MemorySink implements RecordSink {
  readonly records: Record<RecordType, Map<string, Stored>> = {
    customer: new Map(),
    order: new Map(),
    product: new Map(),
    rep: new Map(),
    serviceCase: new Map(),
  };
  readonly cursors = new Map<string, string>();

  async cursor(name: string): Promise<string | undefined> {
    return this.cursors.get(name);
  }

  async apply(change: RecordChange): Promise<RemovedCounts> {
    switch (change.kind) {
      case 'upsert':
        for (const record of change.records) this.records[change.type].set(record.id, record as Stored);
        return {};
      case 'cursor':
        this.cursors.set(change.name, change.value);
        return {};
      case 'remove': {
        const removed: RemovedCounts = {};
        const ids = new Set(change.ids);
        for (const id of ids)
          if (this.records[change.type].delete(id)) removed[change.type] = (removed[change.type] ?? 0) + 1;
        if (change.withDependents && change.type === 'customer')
          for (const type of ['order', 'serviceCase'] as const)
            for (const [id, record] of this.records[type])
              if (record.customerId !== undefined && ids.has(record.customerId)) {
                this.records[type].delete(id);
                removed[type] = (removed[type] ?? 0) + 1;
              }
        return removed;
      }
      case 'retain-only': {
        let count = 0;
        for (const id of [...this.records[change.type].keys()])
          if (!change.keep.has(id)) {
            this.records[change.type].delete(id);
            count++;
          }
        return count > 0 ? { [change.type]: count } : {};
      }
    }
  }
}
