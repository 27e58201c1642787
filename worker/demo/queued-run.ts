/**
 * The demo's running-system part: the demo portal's tenant through the BullMQ pipeline on Redis (in-process
 * workers, a prefix of the demo's own), or, when no Redis answers, the same stage processors inline.
 */
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { inProcessStageLocks, type StageLocks } from '../locks/stage-lock';
import { redisStageLocks } from '../locks/redis-stage-locks';
import { runInline } from '../queue/inline-runner';
import { enqueueRun, runStatus, type RunStatus } from '../queue/pipeline-runs';
import { connectClient, redisForClient, redisForWorker } from '../queue/redis-connection';
import type { RunData } from '../queue/stage-data';
import type { StageContext } from '../queue/stage-processors';
import { STAGES } from '../queue/stages';
import { startWorkers } from '../queue/start-workers';
import type { RecordStore } from '../state/record-store';

export type QueuedRunOutcome =
  | { via: 'bullmq'; status: RunStatus; redisUrl: string }
  | { via: 'inline'; why: string; stages: { stage: string; result: unknown }[] };

export async function queuedDemoRun(options: {
  tenant: string;
  /** A fresh adapter for each stage (connected, for a CRM whose connection is made asynchronously). */
  adapter: () => CrmAdapter | Promise<CrmAdapter>;
  redisUrl: string;
  /**
   * The tenant's state. The demo's workers run in this process, so they share the round trip's store: the
   * run then reads only what changed and writes only changed values, as a scheduled run would.
   */
  store: RecordStore;
  data: Omit<RunData, 'tenant' | 'runId'>;
  engineVersion: string;
}): Promise<QueuedRunOutcome> {
  const runId = `demo-${Date.now()}`;
  const context = (
    store: RecordStore,
    locks: StageLocks,
    progress: StageContext['progress'],
  ): StageContext => ({
    store,
    engineVersion: options.engineVersion,
    progress,
    adapterFor: async () => await options.adapter(),
    lock: (stage, tenant) => locks.acquire(tenant, stage),
  });
  let client;
  try {
    client = await connectClient(redisForClient(options.redisUrl), options.redisUrl);
  } catch (error) {
    const locks = inProcessStageLocks();
    const stages = await runInline(STAGES, { ...options.data, tenant: options.tenant, runId }, () =>
      context(options.store, locks, async () => {}),
    );
    return { via: 'inline', why: (error as Error).message, stages };
  }
  const prefix = `crm-clv-demo-${process.pid}`;
  const queuePrefix = `{${prefix}}`;
  const workerRedis = redisForWorker(options.redisUrl);
  const store = options.store;
  const locks = redisStageLocks({ redis: workerRedis, prefix });
  const workers = startWorkers({
    connection: workerRedis,
    prefix: queuePrefix,
    concurrency: 1,
    context: (job) => context(store, locks, (value) => job.updateProgress(value)),
  });
  try {
    await enqueueRun(client, queuePrefix, {
      tenant: options.tenant,
      runId,
      stages: STAGES,
      data: { ...options.data },
    });
    for (;;) {
      const status = await runStatus(client, queuePrefix, options.tenant, runId, STAGES);
      if (status.state === 'completed' || status.state === 'failed')
        return { via: 'bullmq', status, redisUrl: redactUrl(options.redisUrl) };
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await workers.close(5_000);
    // The demo leaves nothing behind in a Redis it shares with others.
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    client.disconnect();
    workerRedis.disconnect();
  }
}
