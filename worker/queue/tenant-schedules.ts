/**
 * Every tenant's schedules come from here: from the tenant registry's list, one BullMQ job scheduler per tenant
 * and kind on the `schedule` queue, an incremental sync every N minutes and a rescoring and a retraining on
 * cron patterns (UTC), each as the tenant registered it.
 *
 * A scheduler makes plain jobs, not flows, so what it makes is a small tick, `{ tenant, kind }`; the tick
 * worker turns a tick into a pipeline run with enqueueRun, the run id derived from the tick's scheduled time.
 * A tick processed twice (a stalled worker, a retry) enqueues the same run again, which adds nothing.
 *
 * What a tick runs:
 * - sync: an incremental sync only. Scoring every 15 minutes would refit the models many times a day for
 *   numbers that barely move; the syncs keep the store current for the night's scoring.
 * - rescore: an incremental sync, then score, then write-back, so the scores use the latest data.
 * - retrain: an incremental sync, the retrain (a candidate model version, promoted unless clearly worse), then
 *   score and write-back with whichever version is promoted. Nightly rescoring reuses the promoted version's
 *   parameters, so predictions move with the data, not with a refit, between retrains.
 */
import { UnrecoverableError, Worker, Queue, type JobSchedulerJson } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CrmClvError } from '../../domain/errors';
import { tenantKey, type TenantId } from '../../domain/tenant';
import type { TenantConnection, TenantRegistry } from '../tenants/tenant-registry';
import { enqueueRun } from './pipeline-runs';
import { KEEP_JOBS, QUEUE_NAMES, type RunStage } from './stages';

export const SCHEDULE_KINDS = ['sync', 'rescore', 'retrain'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

const TICK_STAGES: Record<ScheduleKind, readonly RunStage[]> = {
  sync: ['sync'],
  rescore: ['sync', 'score', 'writeback'],
  retrain: ['sync', 'retrain', 'score', 'writeback'],
};

/** The job name of every tick; the kind is in its data. */
export const TICK_JOB = 'tick';

/** Cron patterns are registered as UTC (the CLI says so); BullMQ would otherwise read them in local time. */
const CRON_TZ = 'UTC';

/** A tick is cheap and only fails when Redis does: a few quick retries, a day of history. */
const TICK_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: KEEP_JOBS.removeOnFail,
} as const;

const tickData = z.object({ tenant: z.string().min(1), kind: z.enum(SCHEDULE_KINDS) });
export type TickData = z.infer<typeof tickData>;

/**
 * A scheduler's id: `<tenantKey>.<kind>`. tenantKey %-escapes everything outside [A-Za-z0-9_-], `.` and `:`
 * included, so two tenants never share an id and no user data puts a `:` in a BullMQ key.
 */
export function scheduleId(tenant: TenantId, kind: ScheduleKind): string {
  return `${tenantKey(tenant)}.${kind}`;
}

type PlannedScheduler = {
  id: string;
  repeat: { every: number; startDate: number } | { pattern: string; tz: string };
  data: TickData;
};

/** The schedulers a tenant should have. */
function plannedSchedulers(connection: TenantConnection, now: number): PlannedScheduler[] {
  const { tenant, schedule } = connection;
  const every = schedule.syncEveryMinutes * 60_000;
  return [
    // The first sync tick comes one interval after the schedule is made, not at once: a tenant just added is
    // often run by hand (`crm-clv run`) right away, and a scheduled sync would start alongside that run's.
    {
      id: scheduleId(tenant, 'sync'),
      repeat: { every, startDate: now + every },
      data: { tenant, kind: 'sync' },
    },
    {
      id: scheduleId(tenant, 'rescore'),
      repeat: { pattern: schedule.rescoreCron, tz: CRON_TZ },
      data: { tenant, kind: 'rescore' },
    },
    {
      id: scheduleId(tenant, 'retrain'),
      repeat: { pattern: schedule.retrainCron, tz: CRON_TZ },
      data: { tenant, kind: 'retrain' },
    },
  ];
}

/** True when the stored scheduler already is the planned one (the first tick's start date aside). */
function isCurrent(stored: JobSchedulerJson, planned: PlannedScheduler): boolean {
  const data = tickData.safeParse(stored.template?.data);
  const repeat = planned.repeat;
  return (
    stored.name === TICK_JOB &&
    data.success &&
    data.data.tenant === planned.data.tenant &&
    data.data.kind === planned.data.kind &&
    ('every' in repeat
      ? stored.every === repeat.every && stored.pattern === undefined
      : stored.pattern === repeat.pattern && stored.tz === repeat.tz && stored.every === undefined)
  );
}

export type ScheduleChanges = { added: string[]; updated: string[]; removed: string[]; unchanged: string[] };

export type SyncSchedulesOptions = {
  connection: Redis;
  /** The queues' prefix (queuePrefix()). */
  prefix: string;
  registry: Pick<TenantRegistry, 'list'>;
  now?: () => Date;
};

/**
 * Makes the schedulers on the `schedule` queue those of the registered tenants: adds the missing ones,
 * updates those whose schedule changed, removes those of tenants no longer registered (and any other
 * scheduler on the queue). A scheduler already as planned is left alone, so its next tick keeps its time and
 * calling this twice changes nothing. Throws what registry.list() throws (a corrupt entry) before changing
 * anything.
 */
export async function syncTenantSchedules(options: SyncSchedulesOptions): Promise<ScheduleChanges> {
  const now = (options.now ?? (() => new Date()))().getTime();
  const tenants = await options.registry.list();
  const planned = new Map(tenants.flatMap((t) => plannedSchedulers(t, now)).map((s) => [s.id, s] as const));
  const changes: ScheduleChanges = { added: [], updated: [], removed: [], unchanged: [] };
  const queue = scheduleQueue(options.connection, options.prefix);
  try {
    const stored = new Map((await queue.getJobSchedulers()).map((s) => [s.key, s] as const));
    for (const [id, scheduler] of planned) {
      const current = stored.get(id);
      if (current !== undefined && isCurrent(current, scheduler)) {
        changes.unchanged.push(id);
        continue;
      }
      await queue.upsertJobScheduler(id, scheduler.repeat, {
        name: TICK_JOB,
        data: scheduler.data,
        opts: TICK_JOB_OPTIONS,
      });
      (current === undefined ? changes.added : changes.updated).push(id);
    }
    for (const id of stored.keys()) {
      if (planned.has(id)) continue;
      await queue.removeJobScheduler(id);
      changes.removed.push(id);
    }
  } finally {
    await queue.close();
  }
  return changes;
}

/** For a log or the CLI, e.g. "3 added, 0 updated, 0 removed, 6 unchanged". */
export function describeScheduleChanges(changes: ScheduleChanges): string {
  return (
    `${changes.added.length} added, ${changes.updated.length} updated, ` +
    `${changes.removed.length} removed, ${changes.unchanged.length} unchanged`
  );
}

/** When each of a tenant's schedules next ticks (ISO, UTC); a kind without a scheduler is absent. */
export async function nextScheduledTimes(
  connection: Redis,
  prefix: string,
  tenant: TenantId,
): Promise<Partial<Record<ScheduleKind, string>>> {
  const queue = scheduleQueue(connection, prefix);
  try {
    const next: Partial<Record<ScheduleKind, string>> = {};
    for (const kind of SCHEDULE_KINDS) {
      const scheduler = await queue.getJobScheduler(scheduleId(tenant, kind));
      if (scheduler?.next !== undefined && scheduler.next !== null)
        next[kind] = new Date(scheduler.next).toISOString();
    }
    return next;
  } finally {
    await queue.close();
  }
}

function scheduleQueue(connection: Redis, prefix: string): Queue<TickData, unknown, string> {
  return new Queue<TickData, unknown, string>(QUEUE_NAMES.schedule, { connection, prefix });
}

/** A job on the `schedule` queue that no scheduler of ours made: nothing can be derived from it. */
export class ScheduleTickError extends CrmClvError<'SCHEDULE_TICK_INVALID'> {
  constructor(jobId: string | undefined, problem: string) {
    super(
      'SCHEDULE_TICK_INVALID',
      `job ${jobId ?? '(no id)'} on the '${QUEUE_NAMES.schedule}' queue is not a tenant schedule's tick ` +
        `(${problem}); runs are enqueued with \`crm-clv run\`, schedules made by the worker from the tenant registry`,
    );
  }
}

export type TickDeps = {
  connection: Redis;
  prefix: string;
  /** False for a tenant removed since its schedulers were made: its tick runs nothing. */
  isRegistered(tenant: TenantId): Promise<boolean>;
};

export type TickOutcome =
  | { tenant: TenantId; kind: ScheduleKind; runId: string; stages: RunStage[] }
  | { tenant: TenantId; kind: ScheduleKind; skipped: string };

/**
 * Enqueues the run a tick stands for, `<kind>-<scheduled ms>`. The scheduled time is read from the job id:
 * BullMQ names a scheduler's job `repeat:<scheduler id>:<scheduled ms>` and keeps that time nowhere else a
 * processor can read (the job's delay reads 0 once it is active, its timestamp is when it was made).
 */
export async function processTick(job: { id?: string; data: unknown }, deps: TickDeps): Promise<TickOutcome> {
  const parsed = tickData.safeParse(job.data);
  if (!parsed.success) throw new ScheduleTickError(job.id, 'its data is not { tenant, kind }');
  const { tenant, kind } = parsed.data;
  const expected = `repeat:${scheduleId(tenant, kind)}:`;
  const at = job.id?.startsWith(expected) ? job.id.slice(expected.length) : '';
  if (!/^\d{1,15}$/.test(at))
    throw new ScheduleTickError(job.id, `its id is not ${expected}<scheduled time in ms>`);
  if (!(await deps.isRegistered(tenant)))
    return {
      tenant,
      kind,
      skipped: 'the tenant is no longer registered; its schedules go when they are next synced',
    };
  const runId = `${kind}-${at}`;
  const stages = [...TICK_STAGES[kind]];
  await enqueueRun(deps.connection, deps.prefix, { tenant, runId, stages, data: { mode: 'incremental' } });
  return { tenant, kind, runId, stages };
}

/** The worker of the `schedule` queue: each tick becomes its run. */
export function startTickWorker(deps: TickDeps & { log?: (line: string) => void }): Worker {
  const log = deps.log ?? (() => {});
  const worker = new Worker(
    QUEUE_NAMES.schedule,
    async (job) => {
      try {
        return await processTick(job, deps);
      } catch (error) {
        // A job that is not a tick fails the same way every time: no retries.
        if (error instanceof ScheduleTickError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('completed', (job, outcome: TickOutcome) =>
    log(
      'runId' in outcome
        ? `schedule ${job.id} enqueued ${outcome.runId} for ${outcome.tenant}`
        : `schedule ${job.id} skipped: ${outcome.skipped}`,
    ),
  );
  worker.on('failed', (job, error) => log(`schedule ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => log(`schedule worker error: ${error.message}`));
  return worker;
}
