/**
 * The write-back stage: a tenant's latest Scores to its CRM through the adapter. The contract fields and the
 * run's segment options first, then only the values that changed since the last confirmed write. What the CRM
 * confirms is recorded after every accepted batch, before the next, so a run killed at any point never sends
 * a confirmed value again.
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
import type { RecordStore, WrittenValues } from '../state/record-store';

export type WriteBackResult = {
  run: ScoreRun;
  scores: number;
  ensured: EnsureFieldsReport;
  written: WriteReport;
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
  onProgress?: (progress: WriteProgress | { stage: 'fields' }) => void;
}): Promise<WriteBackResult> {
  const { adapter, store } = input;
  const tenant = adapter.tenant;
  const scored = input.scored ?? (await store.readScoreRun(tenant));
  if (scored === undefined) throw new NoScoreRunError(tenant);
  assertRunBelongsTo(scored.run, adapter);
  const { values, segments, interests } = runContractValues(scored.run, scored.scores);
  const lastWritten = new Map<string, WrittenValues>(Object.entries(await store.getWrittenValues(tenant)));
  input.onProgress?.({ stage: 'fields' });
  const ensured = await adapter.ensureFields({ segments, interests });
  const written = await adapter.writeChanged({
    values,
    lastWritten,
    onConfirmed: (confirmed) => store.setWrittenValues(tenant, confirmed),
    onProgress: input.onProgress,
  });
  return { run: scored.run, scores: scored.scores.length, ensured, written };
}
