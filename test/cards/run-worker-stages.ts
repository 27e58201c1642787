/**
 * A tenant synced, scored and written back through the worker's stages, in process (runInline over STAGES),
 * into `store`, against the CRM `adapterFor` gives: the state the card tests serve, for either CRM.
 */
import { DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import { inProcessStageLocks } from '../../worker/locks/stage-lock';
import { runInline } from '../../worker/queue/inline-runner';
import type { StageContext } from '../../worker/queue/stage-context';
import { STAGES } from '../../worker/queue/stages';
import type { RecordStore } from '../../worker/state';

/** The day before the sandboxes' last generated day, so the run's history ends inside the data. */
export const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000)
  .toISOString()
  .slice(0, 10);

export async function runWorkerStages(
  store: RecordStore,
  tenant: string,
  adapterFor: StageContext['adapterFor'],
): Promise<void> {
  const locks = inProcessStageLocks();
  await runInline(
    STAGES,
    {
      tenant,
      runId: 'r1',
      mode: 'full',
      observationEnd: OBSERVATION_END,
      currency: 'USD',
      rates: { EUR: 1.08, GBP: 1.27 },
    },
    () => ({
      store,
      engineVersion: 'test',
      progress: async () => {},
      lock: (stage, lockTenant) => locks.acquire(lockTenant, stage),
      adapterFor,
    }),
  );
}
