/**
 * TEST DOUBLE — the worker's store sink (worker/state/store-sink.ts: upsert, remove with dependents,
 * retain-only, activities with engagement recounts, cursors) over records held in memory, so connector tests
 * see the store's semantics without files or Redis.
 */
import type { RecordChange, RecordSink, RemovedCounts } from '../../../../connectors/crm-adapter';
import { recordSchemas, type RecordOf, type RecordType } from '../../../../domain/records';
import type { SinkStore } from '../../../../worker/state/record-store';
import { storeSink } from '../../../../worker/state/store-sink';

type Stored = Record<string, unknown> & { id: string; customerId?: string };

export class MemorySink implements RecordSink {
  readonly records = Object.fromEntries(
    Object.keys(recordSchemas).map((type) => [type, new Map<string, Stored>()]),
  ) as Record<RecordType, Map<string, Stored>>;
  readonly cursors = new Map<string, string>();
  private readonly sink: RecordSink;

  constructor() {
    const { records, cursors } = this;
    const store: SinkStore = {
      async putRecords(_tenant, type, list) {
        for (const record of list) records[type].set(record.id, record as unknown as Stored);
      },
      async deleteRecords(_tenant, type, ids) {
        let removed = 0;
        for (const id of new Set(ids)) if (records[type].delete(id)) removed++;
        return removed;
      },
      async readRecords<T extends RecordType>(_tenant: string, type: T) {
        return [...records[type].values()] as unknown as RecordOf<T>[];
      },
      async readRecordIds(_tenant, type) {
        return [...records[type].keys()];
      },
      async getCursor(_tenant, name) {
        return cursors.get(name);
      },
      async setCursor(_tenant, name, value) {
        cursors.set(name, value);
      },
    };
    this.sink = storeSink(store, 'memory');
  }

  cursor(name: string): Promise<string | undefined> {
    return this.sink.cursor(name);
  }

  apply(change: RecordChange): Promise<RemovedCounts> {
    return this.sink.apply(change);
  }
}
