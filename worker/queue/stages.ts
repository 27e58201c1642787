/**
 * The pipeline's stages, their queues and deterministic job ids. A run of a tenant is one BullMQ flow whose
 * last stage is the root: BullMQ runs children before their parent, so sync → score → writeback run in order
 * and a failed stage fails the run (failParentOnFailure).
 */
import { tenantKey, type TenantId } from '../../domain/tenant';

/** The everyday pipeline. */
export const STAGES = ['sync', 'score', 'writeback'] as const;
export type Stage = (typeof STAGES)[number];

/** Every stage a run may hold, in run order: a retrain comes after the sync and before the scoring that uses it. */
export const RUN_STAGES = ['sync', 'retrain', 'score', 'writeback'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/**
 * One queue per stage (and retraining), so each scales and is watched on its own; `schedule` holds the
 * tenants' job schedulers and their ticks (tenant-schedules.ts).
 */
export const QUEUE_NAMES = {
  sync: 'sync',
  score: 'score',
  writeback: 'writeback',
  retrain: 'retrain',
  /** The shards of a score job (score-flow.ts): any worker takes them, so one tenant's scoring spreads out. */
  scoreShard: 'score-shard',
  /**
   * What is made from a committed score run and is not scoring (the sales-performance report): off the run's
   * path, so neither the score stage's lock nor the write-back waits for it.
   */
  report: 'report',
  schedule: 'schedule',
} as const;

/** BullMQ keys are `<prefix>:<queue>:…`; a hash tag keeps every queue's keys in one Redis Cluster slot. */
export const DEFAULT_QUEUE_PREFIX = '{crm-clv}';

/**
 * A stage's job id in a run: the same run and stage always get the same id, so enqueueing twice (a retried
 * CLI call, a duplicated webhook) adds nothing. No `:` from user data: the tenant is %-escaped by tenantKey.
 */
export function stageJobId(tenant: TenantId, runId: string, stage: RunStage): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId))
    throw new RangeError(`run id '${runId}' must be 1–64 letters, digits, '_' or '-'`);
  return `${tenantKey(tenant)}.${runId}.${stage}`;
}

/** Stages asked for, in pipeline order; refuses unknown names with the list of known ones. */
export function orderedStages(names: readonly string[]): RunStage[] {
  for (const name of names)
    if (!(RUN_STAGES as readonly string[]).includes(name))
      throw new RangeError(`unknown stage '${name}': use one or more of ${RUN_STAGES.join(', ')}`);
  return RUN_STAGES.filter((stage) => names.includes(stage));
}

/** Completed and failed jobs are kept long enough to inspect, not forever (100k kept jobs ≈ 130 MiB; README, Redis). */
export const KEEP_JOBS = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
} as const;
