/**
 * What a stage processor is given (its store, adapters, progress, clock and the tenant's stage lock), and how it
 * holds the lock while it works.
 */
import type { CrmAdapter } from '../../connectors/crm-adapter';
import type { TenantId } from '../../domain/tenant';
import type { AcquisitionSpend } from '../analytics/performance';
import type { OwnerTaskSettings } from '../jobs/owner-tasks';
import type { StageLock } from '../locks/stage-lock';
import { adapterWhileHeld, storeWhileHeld } from '../locks/while-held';
import type { RecordStore } from '../state/record-store';
import type { Stage } from './stages';

export type StageContext = {
  store: RecordStore;
  /** The tenant's adapter, connected; closed by the processor when done. */
  adapterFor(tenant: TenantId): Promise<CrmAdapter>;
  /** 0–100, or a small object the status command shows. */
  progress(value: number | Record<string, number | string>): Promise<void>;
  /** `<model>/<crm-clv version>`'s second half. */
  engineVersion: string;
  now?: () => Date;
  /**
   * Takes the tenant's lock for a stage, or throws StageLockHeldError when another run holds it (a worker
   * then delays the job). The processor releases it.
   */
  lock(stage: Stage, tenant: TenantId): Promise<StageLock>;
  /**
   * The tenant's owner-task setting (its registry entry's `ownerTasks`), read when its write-back runs, so a
   * `tenant add --owner-tasks` counts from the next write-back; absent or undefined: off.
   */
  ownerTasks?(tenant: TenantId): Promise<OwnerTaskSettings | undefined>;
  /**
   * The tenant's acquisition spend (its registry entry's `acquisitionSpend`, `crm-clv tenant spend`), read
   * when a score run is committed, for the stored sales-performance report's CAC; absent or undefined: none.
   */
  acquisitionSpend?(tenant: TenantId): Promise<readonly AcquisitionSpend[] | undefined>;
};

/**
 * Runs `work` holding the tenant's lock for `stage`, with a store and adapters that stop writing if the lock
 * is lost on the way.
 */
export async function whileLocked<T>(
  ctx: StageContext,
  stage: Stage,
  tenant: TenantId,
  work: (held: StageContext) => Promise<T>,
): Promise<T> {
  const lock = await ctx.lock(stage, tenant);
  try {
    return await work({
      ...ctx,
      store: storeWhileHeld(ctx.store, lock),
      adapterFor: async (t) => adapterWhileHeld(await ctx.adapterFor(t), lock),
    });
  } finally {
    // A release that fails (Redis gone) must not hide the stage's own outcome: the lock expires by itself.
    await lock.release().catch(() => false);
  }
}
