/**
 * A store and a CRM adapter that refuse to write once the stage's lock is lost: from then on another run may
 * hold it, and a write from here would send values twice or put this run's older view over that run's.
 * Reads stay open. A call already under way finishes; the next one throws the lock's StageLockLostError.
 */
import type { CrmAdapter, OwnerTaskCapability } from '../../connectors/crm-adapter';
import type { RecordStore } from '../state/record-store';
import type { StageLock } from './stage-lock';

export function storeWhileHeld(store: RecordStore, lock: Pick<StageLock, 'signal'>): RecordStore {
  const check = () => lock.signal.throwIfAborted();
  return {
    putRecords: async (tenant, type, records) => {
      check();
      return store.putRecords(tenant, type, records);
    },
    deleteRecords: async (tenant, type, ids) => {
      check();
      return store.deleteRecords(tenant, type, ids);
    },
    readRecords: (tenant, type) => store.readRecords(tenant, type),
    readRecordIds: (tenant, type) => store.readRecordIds(tenant, type),
    readCustomerRecords: (tenant, type, buckets) => store.readCustomerRecords(tenant, type, buckets),
    // Only adds to the store's index of what is stored: nothing another run could be hurt by.
    indexCustomerRecords: (tenant) => store.indexCustomerRecords(tenant),
    getCursor: (tenant, name) => store.getCursor(tenant, name),
    setCursor: async (tenant, name, value) => {
      check();
      return store.setCursor(tenant, name, value);
    },
    deleteCursor: async (tenant, name) => {
      check();
      return store.deleteCursor(tenant, name);
    },
    readEnrolmentEntries: (tenant, programId) => store.readEnrolmentEntries(tenant, programId),
    addEnrolmentEntries: async (tenant, programId, entries) => {
      check();
      return store.addEnrolmentEntries(tenant, programId, entries);
    },
    getWrittenValues: (tenant) => store.getWrittenValues(tenant),
    setWrittenValues: async (tenant, values) => {
      check();
      return store.setWrittenValues(tenant, values);
    },
    putScoreRun: async (tenant, run, scores) => {
      check();
      return store.putScoreRun(tenant, run, scores);
    },
    putScoreShard: async (tenant, runId, shard, scores) => {
      check();
      return store.putScoreShard(tenant, runId, shard, scores);
    },
    commitScoreRun: async (tenant, run, shards) => {
      check();
      return store.commitScoreRun(tenant, run, shards);
    },
    readScoreRun: (tenant) => store.readScoreRun(tenant),
    readScoreSegments: (tenant) => store.readScoreSegments(tenant),
    readScoreSegmentsPart: (tenant, part, parts) => store.readScoreSegmentsPart(tenant, part, parts),
    readScoreRunHeader: (tenant) => store.readScoreRunHeader(tenant),
    putRunScratch: async (tenant, runId, name, bytes) => {
      check();
      return store.putRunScratch(tenant, runId, name, bytes);
    },
    getRunScratch: (tenant, runId, name) => store.getRunScratch(tenant, runId, name),
    dropRunScratch: async (tenant, runId) => {
      check();
      return store.dropRunScratch(tenant, runId);
    },
    putTenantReport: async (tenant, name, json) => {
      check();
      return store.putTenantReport(tenant, name, json);
    },
    getTenantReport: (tenant, name) => store.getTenantReport(tenant, name),
    putModel: async (tenant, model) => {
      check();
      return store.putModel(tenant, model);
    },
    getModel: (tenant) => store.getModel(tenant),
    getWriteIntents: (tenant) => store.getWriteIntents(tenant),
    setWriteIntents: async (tenant, values) => {
      check();
      return store.setWriteIntents(tenant, values);
    },
    clearWriteIntents: async (tenant, ids) => {
      check();
      return store.clearWriteIntents(tenant, ids);
    },
    getOwnerTaskEpisodes: (tenant) => store.getOwnerTaskEpisodes(tenant),
    setOwnerTaskEpisodes: async (tenant, episodes) => {
      check();
      return store.setOwnerTaskEpisodes(tenant, episodes);
    },
    closeOwnerTaskEpisodes: async (tenant, ids) => {
      check();
      return store.closeOwnerTaskEpisodes(tenant, ids);
    },
  };
}

function ownerTasksWhileHeld(tasks: OwnerTaskCapability, check: () => void): OwnerTaskCapability {
  return {
    readTaskContacts: (ids) => tasks.readTaskContacts(ids),
    findTasks: (wanted) => tasks.findTasks(wanted),
    createTasks: async (input) => {
      check();
      // Checked again before every batch: a lock lost mid-way stops the creates (they are not idempotent).
      return tasks.createTasks({
        ...input,
        onSending: async (batch) => {
          check();
          await input.onSending?.(batch);
        },
      });
    },
  };
}

export function adapterWhileHeld(adapter: CrmAdapter, lock: Pick<StageLock, 'signal'>): CrmAdapter {
  const check = () => lock.signal.throwIfAborted();
  return {
    crm: adapter.crm,
    tenant: adapter.tenant,
    readRecords: async (request, sink) => {
      check();
      return adapter.readRecords(request, sink);
    },
    ensureFields: async (request) => {
      check();
      return adapter.ensureFields(request);
    },
    writeChanged: async (input) => {
      check();
      return adapter.writeChanged(input);
    },
    readWritten: (ids, fields) => adapter.readWritten(ids, fields),
    ...(adapter.ownerTasks === undefined
      ? {}
      : { ownerTasks: ownerTasksWhileHeld(adapter.ownerTasks, check) }),
    ...(adapter.segmentLists === undefined
      ? {}
      : {
          segmentLists: {
            sync: async (segments) => {
              check();
              return adapter.segmentLists!.sync(segments);
            },
          },
        }),
    ...(adapter.retentionCampaigns === undefined
      ? {}
      : {
          retentionCampaigns: {
            sync: async (programs) => {
              check();
              return adapter.retentionCampaigns!.sync(programs);
            },
          },
        }),
    limits: () => adapter.limits(),
    close: () => adapter.close(),
  };
}
