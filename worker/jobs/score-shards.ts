/**
 * The score stage's last three steps (after the plan and the prepare shards, ./score-prepare), so one tenant's
 * scoring spreads over every worker:
 * - fit: the engine on the tenant's data (models fitted, or the promoted version reused), its per-customer
 *   results cut into slices of SHARD_CUSTOMERS and staged in the store as the run's scratch, with the run
 *   itself written last as `pending`: once that exists the fit is done, and a fit retried after a crash
 *   stages nothing new (so every shard of a run is made from the same fit);
 * - score-shard i: slice i's Scores built, checked and stored aside as shard i of the pending run (a retry
 *   replaces the shard, never adds to it);
 * - commit: every shard made current at once, the run's part of the model merged into the stored model.
 * The same functions run inline (one process, no Redis) and as BullMQ jobs.
 */
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import { CrmClvError } from '../../domain/errors';
import type { ScoreRun } from '../../domain/score';
import { assertValidScores } from '../pipeline/build-scores';
import {
  scoreBasis,
  scoreSlice,
  scoresOfSlice,
  type ScoreBasis,
  type ScoreSlice,
} from '../pipeline/score-slice';
import type { RecordStore } from '../state/record-store';
import { prepareScoreRun, withRunModel, type ModelUpdate, type ScoreRunRequest } from './score-run';

/**
 * Customers per shard: about 50–100 ms of work each (Scores built, checked, stored), far above a BullMQ
 * job's own cost (0.1–0.2 ms), and a million customers make 200 shards to share out.
 */
export const SHARD_CUSTOMERS = 5_000;

/** Slices written to the store at once while a fit stages them. */
const SLICES_IN_FLIGHT = 4;

/** What `fit` leaves for the shards and the commit. */
type PendingRun = { run: ScoreRun; shards: number; modelUpdate: ModelUpdate | null };

const PENDING = 'pending';
const BASIS = 'basis';
const sliceName = (shard: number) => `slice-${shard}`;

export class ShardedRunError extends CrmClvError<'SHARDED_RUN'> {
  constructor(message: string) {
    super('SHARDED_RUN', message);
  }
}

export type FitOutcome = { run: ScoreRun; shards: number };

/**
 * Fits (or reuses) and stages the run under `flowRunId` (the pipeline run's id). Returns the staged run
 * when an earlier attempt already finished staging it.
 */
export async function fitShardedRun(
  request: ScoreRunRequest & { store: RecordStore },
  flowRunId: string,
  shardCustomers = SHARD_CUSTOMERS,
): Promise<FitOutcome> {
  const { store, tenant } = request;
  const staged = await stagedRun(store, tenant, flowRunId);
  if (staged) return staged;
  const { result, run, modelUpdate } = await prepareScoreRun(request);
  const rows = result.summary.ids.length;
  const shards = Math.max(1, Math.ceil(rows / shardCustomers));
  request.hooks?.stage?.(`Staging ${shards} shards`);
  await store.putRunScratch(tenant, flowRunId, BASIS, serialize(scoreBasis(result, run)));
  // A few slices in flight at once: the next is cut and serialized while the store takes the last ones.
  const writing = new Set<Promise<void>>();
  for (let s = 0; s < shards; s++) {
    const from = s * shardCustomers;
    const slice = scoreSlice(result, from, Math.min(rows, from + shardCustomers));
    const put = store.putRunScratch(tenant, flowRunId, sliceName(s), serialize(slice));
    writing.add(put);
    void put.then(
      () => writing.delete(put),
      () => undefined,
    );
    if (writing.size >= SLICES_IN_FLIGHT) await Promise.race(writing);
  }
  await Promise.all(writing);
  const pending: PendingRun = { run, shards, modelUpdate };
  await store.putRunScratch(tenant, flowRunId, PENDING, Buffer.from(JSON.stringify(pending)));
  return { run, shards };
}

/** The run a fit already staged under `flowRunId` (a fit retried after it finished), or undefined. */
export async function stagedRun(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
): Promise<FitOutcome | undefined> {
  const staged = await readPending(store, tenant, flowRunId).catch(() => undefined);
  return staged && { run: staged.run, shards: staged.shards };
}

/** A run's basis is the same for all its shards: a worker reads it once (a small cache of recent runs). */
const basisCache = new Map<string, ScoreBasis>();
const BASIS_CACHE_SIZE = 8;

export type ShardOutcome = { shard: number; customers: number };

export async function scoreShard(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
  shard: number,
): Promise<ShardOutcome> {
  const cacheKey = `${tenant}\u0000${flowRunId}`;
  let basis = basisCache.get(cacheKey);
  if (basis === undefined) {
    basis = deserialize(await scratch(store, tenant, flowRunId, BASIS)) as ScoreBasis;
    basisCache.set(cacheKey, basis);
    if (basisCache.size > BASIS_CACHE_SIZE) basisCache.delete(basisCache.keys().next().value as string);
  }
  const slice = deserialize(await scratch(store, tenant, flowRunId, sliceName(shard))) as ScoreSlice;
  const scores = scoresOfSlice(basis, slice);
  assertValidScores(scores);
  await store.putScoreShard(tenant, basis.run.runId, shard, scores);
  return { shard, customers: scores.length };
}

export type CommitOutcome = { run: ScoreRun };

/**
 * Makes the staged run current and merges its model part into the stored model; then drops the scratch.
 * A commit retried after it succeeded (the job died before BullMQ heard of it) finds the scratch gone and the
 * run it names (`committedRunId`, from the fit) already current: nothing to do.
 */
export async function commitShardedRun(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
  committedRunId?: string,
): Promise<CommitOutcome> {
  const pending = await readPending(store, tenant, flowRunId);
  if (pending === undefined) {
    const current = committedRunId === undefined ? undefined : await store.readScoreRun(tenant);
    if (current !== undefined && current.run.runId === committedRunId) return { run: current.run };
    throw new ShardedRunError(
      `${tenant}: run ${flowRunId} has no staged score run to commit (its scratch expired or was dropped); run the score stage again`,
    );
  }
  await store.commitScoreRun(tenant, pending.run, pending.shards);
  if (pending.modelUpdate !== null)
    await store.putModel(tenant, withRunModel(await store.getModel(tenant), pending.modelUpdate));
  await store.dropRunScratch(tenant, flowRunId);
  basisCache.delete(`${tenant}\u0000${flowRunId}`);
  return { run: pending.run };
}

/** fit, every shard and the commit in this process (the inline runner, the CLI, tests). */
export async function scoreShardedInline(
  request: ScoreRunRequest & { store: RecordStore },
  flowRunId: string,
  shardCustomers = SHARD_CUSTOMERS,
): Promise<CommitOutcome> {
  const { shards } = await fitShardedRun(request, flowRunId, shardCustomers);
  for (let s = 0; s < shards; s++) await scoreShard(request.store, request.tenant, flowRunId, s);
  return commitShardedRun(request.store, request.tenant, flowRunId);
}

const pendingSchema = z.object({
  run: z.object({ runId: z.string(), customers: z.number().int().nonnegative() }).passthrough(),
  shards: z.number().int().positive(),
  modelUpdate: z.object({ version: z.string(), trainedAt: z.string() }).passthrough().nullable(),
});

async function readPending(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
): Promise<PendingRun | undefined> {
  const bytes = await store.getRunScratch(tenant, flowRunId, PENDING);
  if (bytes === undefined) return undefined;
  const parsed = pendingSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!parsed.success)
    throw new ShardedRunError(
      `${tenant}: the staged run ${flowRunId} is not readable (${parsed.error.issues[0].message}); run the score stage again`,
    );
  return parsed.data as unknown as PendingRun;
}

async function scratch(store: RecordStore, tenant: string, flowRunId: string, name: string): Promise<Buffer> {
  const bytes = await store.getRunScratch(tenant, flowRunId, name);
  if (bytes === undefined)
    throw new ShardedRunError(
      `${tenant}: run ${flowRunId} has no staged ${name} (its scratch expired or the run was committed); run the score stage again`,
    );
  return bytes;
}
