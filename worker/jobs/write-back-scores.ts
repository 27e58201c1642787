/**
 * The write-back stage: a tenant's latest Scores to its CRM through the adapter. The contract fields and the
 * run's segment options first, then only the values that changed since the last confirmed write. What the CRM
 * confirms is recorded after every accepted batch, before the next, so a run killed at any point never sends
 * a confirmed value again.
 *
 * A kill can also fall between the CRM accepting a batch and the store recording it. So every batch is
 * recorded as an intent before it is sent, and the next write-back first settles leftover intents: it reads
 * those customers' fields from the CRM and records the intended values the CRM already holds as written, so
 * they are not sent a second time; the rest are diffed and sent as usual.
 *
 * With the tenant's owner tasks on (off by default), the properties are followed by a task for the owner of
 * each top-fifth-CLV customer who turned high risk (./owner-tasks.ts), once the property write went through.
 */
import type {
  CrmAdapter,
  EnsureFieldsReport,
  WriteProgress,
  WriteReport,
} from '../../connectors/crm-adapter';
import { CrmClvError, TenantMismatchError } from '../../domain/errors';
import { runContractValues } from '../../domain/property-contract';
import type { Score, ScoreRun } from '../../domain/score';
import { assignRetentionGroups } from '../programs/assign-retention-groups';
import type { RecordStore, WrittenValues } from '../state/record-store';
import { createOwnerTasksForRun, type OwnerTaskReport, type OwnerTaskSettings } from './owner-tasks';

/** Intents a killed write-back left: how many customers were checked and how many held the values. */
export type SettledIntents = { customers: number; confirmed: number };

export type WriteBackResult = {
  run: ScoreRun;
  scores: number;
  settled: SettledIntents;
  ensured: EnsureFieldsReport;
  written: WriteReport;
  /** Present when owner tasks are on and the property write was not stopped early. */
  tasks?: OwnerTaskReport;
};

export class NoScoreRunError extends CrmClvError<'INPUT_FORMAT'> {
  constructor(tenant: string) {
    super(
      'INPUT_FORMAT',
      `${tenant} has no scores yet: score it first ('crm-clv score --tenant ${tenant} …')`,
    );
  }
}

/** Refuses Scores made for another tenant or from another source than the adapter's CRM. */
export function assertRunBelongsTo(run: ScoreRun, adapter: Pick<CrmAdapter, 'tenant' | 'crm'>): void {
  if (run.tenant !== adapter.tenant || run.source !== adapter.crm)
    throw new TenantMismatchError(
      `these scores were made for ${run.tenant} from ${run.source} data, not for ${adapter.tenant}: score ${adapter.tenant} itself and write that run`,
    );
}

export async function writeBackScores(input: {
  adapter: CrmAdapter;
  store: RecordStore;
  /** An exported run to write instead of the store's latest (e.g. `--scores DIR`). */
  scored?: { run: ScoreRun; scores: readonly Score[] };
  onProgress?: (progress: WriteProgress | { stage: 'fields' } | { stage: 'tasks' }) => void;
  /** The tenant's owner-task setting; off when absent. */
  ownerTasks?: OwnerTaskSettings;
  /** Clock for the tasks' due dates. */
  now?: () => Date;
}): Promise<WriteBackResult> {
  const { adapter, store } = input;
  const tenant = adapter.tenant;
  const read = input.scored ?? (await store.readScoreRun(tenant));
  if (read === undefined) throw new NoScoreRunError(tenant);
  assertRunBelongsTo(read.run, adapter);
  // Retention programs enrol here, where the arms are written: a run that is never written enrols nobody.
  const scored = { run: read.run, scores: (await assignRetentionGroups(store, tenant, read)).scores };
  const { values, segments, interests } = runContractValues(scored.run, scored.scores);
  const lastWritten = new Map<string, WrittenValues>(Object.entries(await store.getWrittenValues(tenant)));
  const settled = await settleWriteIntents(adapter, store, lastWritten);
  input.onProgress?.({ stage: 'fields' });
  const ensured = await adapter.ensureFields({ segments, interests });
  const written = await adapter.writeChanged({
    values,
    lastWritten,
    onSending: (sending) => store.setWriteIntents(tenant, sending),
    onConfirmed: async (confirmed) => {
      // Written values first: a kill between the two leaves an intent the next run settles as held.
      await store.setWrittenValues(tenant, confirmed);
      await store.clearWriteIntents(tenant, Object.keys(confirmed));
    },
    onProgress: input.onProgress,
  });
  const result: WriteBackResult = {
    run: scored.run,
    scores: scored.scores.length,
    settled,
    ensured,
    written,
  };
  // A run stopped at a limit is retried; its tasks follow then, so the limit is not hit twice.
  if (input.ownerTasks?.enabled === true && written.stopped === undefined) {
    input.onProgress?.({ stage: 'tasks' });
    result.tasks = await createOwnerTasksForRun({ adapter, store, ...scored, now: input.now });
  }
  return result;
}

/**
 * Records as written every intended value the CRM holds now, then drops the intents; `lastWritten` (in/out)
 * gets the recorded values. Fields are compared one by one: a customer edited in the CRM since keeps only
 * the fields that still hold what was sent, and the others are diffed as changed.
 */
export async function settleWriteIntents(
  adapter: Pick<CrmAdapter, 'tenant' | 'readWritten'>,
  store: RecordStore,
  lastWritten: Map<string, WrittenValues>,
): Promise<SettledIntents> {
  const tenant = adapter.tenant;
  const intents = await store.getWriteIntents(tenant);
  const ids = Object.keys(intents);
  if (ids.length === 0) return { customers: 0, confirmed: 0 };
  const fields = [...new Set(Object.values(intents).flatMap((values) => Object.keys(values)))];
  const held = await adapter.readWritten(ids, fields);
  const confirmed: Record<string, WrittenValues> = {};
  for (const [id, intended] of Object.entries(intents)) {
    const now = held.get(id);
    if (now === undefined) continue;
    const landed = Object.fromEntries(
      Object.entries(intended).filter(([field, value]) => now[field] === value),
    );
    if (Object.keys(landed).length === 0) continue;
    confirmed[id] = landed;
    lastWritten.set(id, { ...(lastWritten.get(id) ?? {}), ...landed });
  }
  await store.setWrittenValues(tenant, confirmed);
  await store.clearWriteIntents(tenant, ids);
  return { customers: ids.length, confirmed: Object.keys(confirmed).length };
}
