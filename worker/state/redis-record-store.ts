/**
 * Redis-backed RecordStore for the long-running worker. With `t = tenantKey(tenant)`, a tenant's keys are:
 *
 *   <prefix>:{t}:records:<type>   HASH   record id → record JSON
 *   <prefix>:{t}:order:<type>     ZSET   record id, scored by its first-stored position (readRecords order)
 *   <prefix>:{t}:by-customer:<type>:<b>  SET  ids of the customers, orders or service cases of customer bucket b
 *   <prefix>:{t}:by-customer      SET    the types whose bucket sets hold every stored record (see below)
 *   <prefix>:{t}:cursors          HASH   cursor name → value
 *   <prefix>:{t}:written          HASH   contact id → JSON of the values last written to the CRM
 *   <prefix>:{t}:intents          HASH   contact id → JSON of the values sent but not yet confirmed
 *   <prefix>:{t}:task-episodes    HASH   customer id → JSON of the open high-risk episode (owner tasks)
 *   <prefix>:{t}:score-run        STRING the latest run's header: {"run": ScoreRun, "shards": n, "commit": nonce}
 *   <prefix>:{t}:scores:<r>:<i>   LIST   shard i of committed run r: one Score JSON per customer, in order
 *   <prefix>:{t}:scores:<r>:<i>:pending  LIST  shard i of run r, stored but not committed (expires)
 *   <prefix>:{t}:scores:<r>:pending      HASH  shard number → its Score count, for run r's stored shards (expires)
 *   <prefix>:{t}:scratch:<r>      HASH   scratch name → bytes, run r's flow hand-offs (expires after 24 h)
 *   <prefix>:{t}:model            STRING StoredModel JSON
 *   <prefix>:{t}:enrolments:<p>   HASH   customer id → enrolment entry, of retention program p (never replaced)
 *
 * `<r>` is the run id escaped like the tenant (`runIdPart`), so it adds no key segment. A score run is
 * committed by one script that checks the pending shards, renames them to their committed names, points
 * `score-run` at the new run and unlinks the old run's shards: a reader, who reads `score-run` and then that
 * run's shards, sees the old run or the new one. (`<prefix>:{t}:scores`, one LIST holding the run and all its
 * Scores, is the layout before shards: still read while no `score-run` exists, removed by the next commit.)
 *
 * The bucket sets (./customer-buckets) let a score run's prepare shard read its customers' records alone. A
 * set may hold more than the bucket's records, never fewer: every upsert adds the record's id to its current
 * customer's bucket in the same script, a delete removes it, and an order that moves to another customer
 * stays listed in its old bucket too; readCustomerRecords reads each listed record and keeps those whose
 * customer is in the range asked for. A tenant's first upsert of a type marks the type indexed; records stored
 * before the sets existed are listed once by indexCustomerRecords.
 *
 * `{t}` is a Redis Cluster hash tag: only the part in braces picks the slot, so all of one tenant's keys live
 * in one slot and MULTI, RENAME and multi-key scripts across them work on a cluster too. `tenantKey` escapes
 * braces, so a tenant id cannot end the tag early; the prefix must not contain braces for the same reason.
 *
 * Writes that must not be seen half-done are single scripts or MULTI blocks; large inputs go in chunks of
 * CHUNK items per round trip, so 100k records are ~100 round trips, not 100k.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { z } from 'zod';
import { CrmClvError } from '../../domain/errors';
import { describeIssues, type RecordOf, type RecordType } from '../../domain/records';
import { scoreRunSchema, scoreSchema, type Score, type ScoreRun } from '../../domain/score';
import { tenantKey } from '../../domain/tenant';
import { enrolmentProgramPart, reportName, StoreError } from './file-record-store';
import {
  customerBucket,
  customerOfRecord,
  CUSTOMER_RECORD_TYPES,
  inBuckets,
  isCustomerRecordType,
  type BucketRange,
  type CustomerRecordType,
} from './customer-buckets';
import type {
  OwnerTaskEpisode,
  PositionedRecords,
  RecordStore,
  StoredModel,
  WrittenValues,
} from './record-store';
import { segmentFromScoreJson } from './score-segment-text';
import { plainlyStoredScore, segmentsOf, storedSegment } from './stored-scores';
import {
  assertScratchName,
  assertShardCount,
  assertShardNumber,
  missingShardsMessage,
  runIdPart,
  shardCountMessage,
} from './run-keys';

/** Items (records, ids, contacts, Scores) per command or script call: one round trip each, ~1 MB at most. */
const CHUNK = 1000;

/** A half-written shard (its temp key) left by a crashed writer expires instead of piling up. */
const PENDING_RUN_TTL_SECONDS = 3600;

/**
 * Stored shards of a run not committed: long enough for a flow queued behind other tenants' jobs, short enough
 * that an abandoned run's copy of the Scores does not sit in memory for a day.
 */
const PENDING_SHARD_TTL_SECONDS = 6 * 3600;

/** Run scratch lives as long as a flow may (its TTL restarts with every put). */
const SCRATCH_TTL_SECONDS = 24 * 3600;

/** Scores per shard when putScoreRun stores a whole run: each shard is a few chunk-sized round trips. */
const SCORES_PER_SHARD = 5000;

/** Shards read per round trip; the run header is read again with each batch to catch a commit mid-read. */
const SHARDS_PER_READ = 16;

/** Times readScoreRun and commitScoreRun start over when another commit moved the header under them. */
const HEADER_ATTEMPTS = 5;

const RESCORE = 'rescore the tenant';

/** Fields per HSCAN page of an enrolment hash (a hint; at a million fields, 1,000 read faster than 20,000). */
const ENROLMENT_SCAN_COUNT = 1000;

export const DEFAULT_REDIS_PREFIX = 'crm-clv';

/** A key prefix that would break the tenant hash tag (or is empty). */
export class RedisPrefixError extends CrmClvError<'INVALID_OPTION'> {
  constructor(prefix: string) {
    super('INVALID_OPTION', `Redis key prefix '${prefix}' must be non-empty and contain no '{' or '}'`);
  }
}

export type RedisRecordStoreOptions = { redis: Redis; prefix?: string };

/** The keys of one tenant; see the layout above. */
export function redisTenantKeys(prefix: string, tenant: string) {
  const base = `${prefix}:{${tenantKey(tenant)}}`;
  return {
    records: (type: RecordType) => `${base}:records:${type}`,
    order: (type: RecordType) => `${base}:order:${type}`,
    byCustomer: (type: CustomerRecordType, bucket: number) => `${base}:by-customer:${type}:${bucket}`,
    customerIndexed: `${base}:by-customer`,
    cursors: `${base}:cursors`,
    written: `${base}:written`,
    intents: `${base}:intents`,
    taskEpisodes: `${base}:task-episodes`,
    /** The layout before shards (one LIST: the run, then its Scores); read only when `scoreRun` is absent. */
    legacyScores: `${base}:scores`,
    scoreRun: `${base}:score-run`,
    scoreShard: (runId: string, shard: number) => `${base}:scores:${runIdPart(runId)}:${shard}`,
    pendingShard: (runId: string, shard: number) => `${base}:scores:${runIdPart(runId)}:${shard}:pending`,
    pendingShards: (runId: string) => `${base}:scores:${runIdPart(runId)}:pending`,
    /** A run's segment ids, a field per shard (see putScoreShard); `:pending` until the run is committed. */
    segments: (runId: string) => `${base}:segments:${runIdPart(runId)}`,
    pendingSegments: (runId: string) => `${base}:segments:${runIdPart(runId)}:pending`,
    scratch: (runId: string) => `${base}:scratch:${runIdPart(runId)}`,
    model: `${base}:model`,
    report: (name: string) => `${base}:report:${reportName(name)}`,
    enrolments: (programId: string) => `${base}:enrolments:${enrolmentProgramPart(programId)}`,
  };
}

type LuaScript = { lua: string; sha: string };

function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Upserts records: ARGV is id, JSON pairs. A new id is appended to the order set after the current last one;
 * an id already there keeps its position. One script, so the hash and the order set never disagree.
 */
const PUT_RECORDS = luaScript(`
local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local seq = 0
if top[2] then seq = tonumber(top[2]) end
for i = 1, #ARGV, 2 do
  if redis.call('ZADD', KEYS[2], 'NX', string.format('%d', seq + 1), ARGV[i]) == 1 then seq = seq + 1 end
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
return 0
`);

/**
 * PUT_RECORDS for a customer's type, also listing each id in its customer's bucket set. KEYS: the records hash,
 * the order set, the indexed-types set, then the bucket sets of this chunk; ARGV: the type, then id, JSON and
 * the KEYS index of its bucket set, per record. A tenant with none of the type stored yet has nothing unlisted:
 * the type is marked indexed before its first record is written.
 */
const PUT_CUSTOMER_RECORDS = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SADD', KEYS[3], ARGV[1]) end
local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local seq = 0
if top[2] then seq = tonumber(top[2]) end
for i = 2, #ARGV, 3 do
  if redis.call('ZADD', KEYS[2], 'NX', string.format('%d', seq + 1), ARGV[i]) == 1 then seq = seq + 1 end
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('SADD', KEYS[tonumber(ARGV[i + 2])], ARGV[i])
end
return 0
`);

/** Bucket sets read per round trip when a range of buckets is read, and chunks of its records asked at once. */
const BUCKETS_PER_READ = 64;
const CHUNKS_IN_FLIGHT = 8;

/**
 * Enrols: ARGV is customer id, entry pairs. HSETNX, so a customer already enrolled keeps the entry first
 * written (the arm is decided once). Replies how many customers were added.
 */
const ADD_ENROLMENTS = luaScript(`
local added = 0
for i = 1, #ARGV, 2 do added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
return added
`);

/**
 * Merges per-contact values (written values, write intents): ARGV is contact id, JSON-object pairs. Read-merge-write inside one script, so two
 * writers merging different properties of one contact cannot lose each other's. Every stored value is
 * decoded before anything is written, so a bad one fails the chunk without a partial merge.
 */
const MERGE_WRITTEN = luaScript(`
local merged = {}
for i = 1, #ARGV, 2 do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  local values = {}
  if old then
    local ok, decoded = pcall(cjson.decode, old)
    if not ok or type(decoded) ~= 'table' then return redis.error_reply('STORE_INVALID ' .. ARGV[i]) end
    values = decoded
  end
  merged[ARGV[i]] = values
end
for i = 1, #ARGV, 2 do
  local values = merged[ARGV[i]]
  for k, v in pairs(cjson.decode(ARGV[i + 1])) do values[k] = v end
  redis.call('HSET', KEYS[1], ARGV[i], cjson.encode(values))
end
return 0
`);

/**
 * Commits a score run. KEYS: score-run, the legacy scores key, the run's pending-shards hash, its pending
 * segments hash, that hash's committed name, the old run's segments hash (the committed name again when there
 * is none), its n pending shards, their n committed names, then the old run's shards. ARGV: the header the caller read ('' for none),
 * the new header, n, run.customers. Replies {'changed'} when the header is no longer the one read (the caller
 * reads again), {'missing', i…} naming absent shards (or ones whose list expired apart from the hash),
 * {'count', total} when the shards do not hold run.customers Scores, {'ok'} once committed. Nothing is written
 * before every check has passed. Every RENAME is O(1), so a run of 300 shards commits in well under a ms.
 */
const COMMIT_SCORE_RUN = luaScript(`
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return {'changed'} end
local n = tonumber(ARGV[3])
local counts = {}
local missing = {'missing'}
local total = 0
for i = 0, n - 1 do
  local count = tonumber(redis.call('HGET', KEYS[3], tostring(i)) or '-1')
  if count < 0 or redis.call('LLEN', KEYS[7 + i]) ~= count then
    missing[#missing + 1] = i
  else
    counts[i] = count
    total = total + count
  end
end
if #missing > 1 then return missing end
if total ~= tonumber(ARGV[4]) then return {'count', total} end
local committed = {}
if KEYS[6] ~= KEYS[5] then redis.call('UNLINK', KEYS[6]) end
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('RENAME', KEYS[4], KEYS[5])
  redis.call('PERSIST', KEYS[5])
else
  redis.call('UNLINK', KEYS[5])
end
for i = 0, n - 1 do
  local name = KEYS[7 + n + i]
  committed[name] = true
  if counts[i] > 0 then
    redis.call('RENAME', KEYS[7 + i], name)
    redis.call('PERSIST', name)
  else
    redis.call('UNLINK', name)
  end
end
for j = 7 + 2 * n, #KEYS do
  if not committed[KEYS[j]] then redis.call('UNLINK', KEYS[j]) end
end
redis.call('UNLINK', KEYS[2], KEYS[3])
redis.call('SET', KEYS[1], ARGV[2])
return {'ok'}
`);

/** What `score-run` holds; `commit` differs per commit, so a reader notices even a same-run replacement. */
const scoreRunHeaderSchema = z.object({
  run: scoreRunSchema,
  shards: z.number().int().nonnegative(),
  commit: z.string(),
});
type ScoreRunHeader = z.infer<typeof scoreRunHeaderSchema>;

const writtenValuesSchema = z.record(z.string());
const ownerTaskEpisodeSchema = z.object({
  startedRun: z.string().min(1),
  startedAt: z.string(),
  marker: z.string().min(1),
  task: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('sending') }),
      z.object({ status: z.literal('created'), id: z.string().min(1) }),
    ])
    .optional(),
}) satisfies z.ZodType<OwnerTaskEpisode>;
const binsSchema = z.object({ edges: z.array(z.number()), shares: z.array(z.number()) });
const modelVersionSchema = z.object({
  version: z.string(),
  trainedAt: z.string(),
  observationEnd: z.string(),
  transaction: z.object({ model: z.string(), params: z.record(z.number()) }),
  spend: z.record(z.number()).nullable().optional(),
  metrics: z.object({
    customers: z.number(),
    holdoutRmse: z.number().nullable(),
    holdoutTotalError: z.number().nullable(),
    holdoutDays: z.number().nullable(),
    churnAuc: z.number().nullable(),
  }),
  reference: z.record(binsSchema),
  // The stored churn classifier: its shape checked here, its features restored (or refused in words) by the engine.
  churn: z
    .object({
      spec: z.object({
        names: z.array(z.string()),
        columnFeature: z.array(z.string()),
        channelColumns: z.array(z.string()),
        knots: z.record(z.array(z.number())),
        features: z.array(z.string()),
      }),
      logistic: z.object({
        names: z.array(z.string()),
        mean: z.array(z.number()),
        sd: z.array(z.number()),
        intercept: z.number(),
        coefficients: z.array(z.number()),
        l2: z.number(),
        iterations: z.number(),
        converged: z.boolean(),
        logLoss: z.number(),
      }),
      calibration: z.discriminatedUnion('method', [
        z.object({ method: z.literal('platt'), a: z.number(), b: z.number() }),
        z.object({ method: z.literal('isotonic'), upper: z.array(z.number()), value: z.array(z.number()) }),
        z.object({ method: z.literal('none') }),
      ]),
      cutoffDay: z.number(),
      windowDays: z.number(),
      gapMultiple: z.number(),
      trendDays: z.number(),
      training: z.object({
        labelable: z.number(),
        fitted: z.number(),
        calibration: z.number(),
        churnRate: z.number(),
      }),
      featureAvailability: z.array(
        z.object({
          name: z.string(),
          source: z.enum(['history', 'snapshot']),
          usedInTraining: z.boolean(),
          note: z.string().optional(),
        }),
      ),
    })
    .nullable()
    .optional(),
});
const storedModelSchema = z.object({
  version: z.string(),
  trainedAt: z.string(),
  segmentModel: z.unknown().optional(),
  current: modelVersionSchema.optional(),
  previous: modelVersionSchema.optional(),
  lastRetrain: z
    .object({
      at: z.string(),
      candidate: modelVersionSchema.omit({ reference: true }),
      currentRmseOnSameHoldout: z.number().nullable(),
      drift: z.record(z.number()),
      promoted: z.boolean(),
      reasons: z.array(z.string()),
    })
    .optional(),
});

export class RedisRecordStore implements RecordStore {
  private readonly redis: Redis;
  readonly prefix: string;

  constructor(options: RedisRecordStoreOptions) {
    const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    if (prefix === '' || /[{}]/.test(prefix)) throw new RedisPrefixError(prefix);
    this.redis = options.redis;
    this.prefix = prefix;
  }

  keys(tenant: string) {
    return redisTenantKeys(this.prefix, tenant);
  }

  async putRecords<T extends RecordType>(
    tenant: string,
    type: T,
    records: readonly RecordOf<T>[],
  ): Promise<void> {
    const keys = this.keys(tenant);
    if (isCustomerRecordType(type)) return this.putCustomerRecords(tenant, type, records);
    for (const chunk of chunks(records)) {
      const args = chunk.flatMap((record) => [record.id, JSON.stringify(record)]);
      await this.runScript(PUT_RECORDS, [keys.records(type), keys.order(type)], args);
    }
  }

  private async putCustomerRecords(
    tenant: string,
    type: CustomerRecordType,
    records: readonly { id: string }[],
  ): Promise<void> {
    const keys = this.keys(tenant);
    for (const chunk of chunks(records)) {
      const setKeys: string[] = [];
      const slot = new Map<number, number>();
      const args: string[] = [type];
      for (const record of chunk) {
        const bucket = customerBucket(customerOfRecord(type, record));
        let k = slot.get(bucket);
        if (k === undefined) {
          k = 4 + setKeys.length;
          slot.set(bucket, k);
          setKeys.push(keys.byCustomer(type, bucket));
        }
        args.push(record.id, JSON.stringify(record), String(k));
      }
      await this.runScript(
        PUT_CUSTOMER_RECORDS,
        [keys.records(type), keys.order(type), keys.customerIndexed, ...setKeys],
        args,
      );
    }
  }

  async deleteRecords(tenant: string, type: RecordType, ids: Iterable<string>): Promise<number> {
    const keys = this.keys(tenant);
    let removed = 0;
    for (const chunk of chunks([...new Set(ids)])) {
      const remove = this.redis
        .multi()
        .hdel(keys.records(type), ...chunk)
        .zrem(keys.order(type), ...chunk);
      if (isCustomerRecordType(type))
        for (const [bucket, listed] of await this.bucketsOf(tenant, type, chunk))
          remove.srem(keys.byCustomer(type, bucket), ...listed);
      const [deleted] = await execAll(remove);
      removed += Number(deleted);
    }
    return removed;
  }

  /** The stored records' ids by their customer's bucket (ids not stored are left out). */
  private async bucketsOf(
    tenant: string,
    type: CustomerRecordType,
    ids: readonly string[],
  ): Promise<Map<number, string[]>> {
    const key = this.keys(tenant).records(type);
    const texts = await this.redis.hmget(key, ...ids);
    const byBucket = new Map<number, string[]>();
    texts.forEach((text, i) => {
      if (text === null) return;
      const where = `${key} field '${ids[i]}'`;
      const bucket = customerBucket(storedCustomer(type, ids[i], parseJson(text, where, SYNC), where));
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), ids[i]]);
    });
    return byBucket;
  }

  async readCustomerRecords<T extends CustomerRecordType>(
    tenant: string,
    type: T,
    buckets: BucketRange,
  ): Promise<PositionedRecords<T>> {
    const keys = this.keys(tenant);
    if (!(await this.redis.sismember(keys.customerIndexed, type))) await this.indexType(tenant, type);
    const listed = new Set<string>();
    for (let from = buckets.from; from < buckets.to; from += BUCKETS_PER_READ) {
      const read = this.redis.pipeline();
      for (let b = from; b < Math.min(buckets.to, from + BUCKETS_PER_READ); b++)
        read.smembers(keys.byCustomer(type, b));
      for (const members of await execAll(read)) for (const id of members as string[]) listed.add(id);
    }
    const recordsKey = keys.records(type);
    const found: { record: RecordOf<T>; position: number }[] = [];
    // One MULTI per chunk (each record and its position from the same instant), a few chunks in flight: a
    // shard's reads are not a round trip each.
    const ids = [...chunks([...listed])];
    const read = (chunk: string[]) => {
      const reply = execAll(
        this.redis
          .multi()
          .hmget(recordsKey, ...chunk)
          .zmscore(keys.order(type), ...chunk),
      );
      // Awaited in order below; this keeps a failure of a read ahead from going unhandled meanwhile.
      reply.catch(() => undefined);
      return reply;
    };
    const replies: (Promise<unknown[]> | undefined)[] = ids.slice(0, CHUNKS_IN_FLIGHT).map(read);
    for (let c = 0; c < ids.length; c++) {
      const chunk = ids[c];
      const [texts, scores] = (await replies[c]) as [(string | null)[], (string | null)[]];
      replies[c] = undefined;
      if (c + CHUNKS_IN_FLIGHT < ids.length) replies.push(read(ids[c + CHUNKS_IN_FLIGHT]));
      for (let i = 0; i < chunk.length; i++) {
        const text = texts[i];
        if (text === null || scores[i] === null) continue;
        const where = `${recordsKey} field '${chunk[i]}'`;
        const record = parseJson(text, where, SYNC);
        if (inBuckets(customerBucket(storedCustomer(type, chunk[i], record, where)), buckets))
          found.push({ record: record as RecordOf<T>, position: Number(scores[i]) });
      }
    }
    found.sort((a, b) => a.position - b.position);
    return { records: found.map((f) => f.record), positions: found.map((f) => f.position) };
  }

  async indexCustomerRecords(tenant: string): Promise<void> {
    const indexed = new Set(await this.redis.smembers(this.keys(tenant).customerIndexed));
    for (const type of CUSTOMER_RECORD_TYPES) if (!indexed.has(type)) await this.indexType(tenant, type);
  }

  /**
   * Lists every stored record of the type in its customer's bucket set, then marks the type indexed. A record
   * upserted meanwhile is listed by its own upsert, so a scan that misses it (HSCAN returns what was there
   * throughout) loses nothing; one deleted meanwhile may stay listed, which a read skips.
   */
  private async indexType(tenant: string, type: CustomerRecordType): Promise<void> {
    const keys = this.keys(tenant);
    const recordsKey = keys.records(type);
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(recordsKey, cursor, 'COUNT', CHUNK);
      const byBucket = new Map<number, string[]>();
      for (let i = 0; i < flat.length; i += 2) {
        const where = `${recordsKey} field '${flat[i]}'`;
        const bucket = customerBucket(
          storedCustomer(type, flat[i], parseJson(flat[i + 1], where, SYNC), where),
        );
        byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), flat[i]]);
      }
      if (byBucket.size > 0) {
        const add = this.redis.pipeline();
        for (const [bucket, ids] of byBucket) add.sadd(keys.byCustomer(type, bucket), ...ids);
        await execAll(add);
      }
      cursor = next;
    } while (cursor !== '0');
    await this.redis.sadd(keys.customerIndexed, type);
  }

  async readRecords<T extends RecordType>(tenant: string, type: T): Promise<RecordOf<T>[]> {
    const keys = this.keys(tenant);
    const recordsKey = keys.records(type);
    // One MULTI: the order and the records are read from the same instant.
    const [ids, stored] = await execAll(
      this.redis.multi().zrange(keys.order(type), 0, -1).hgetall(recordsKey),
    );
    // Looked up in the reply object itself: a Map of its entries would be a second copy of a 2.6M-field hash.
    const byId = stored as Record<string, string>;
    return (ids as string[]).map((id) => {
      const text = Object.hasOwn(byId, id) ? byId[id] : undefined;
      if (text === undefined)
        throw new StoreError(
          `${keys.order(type)} lists '${id}' but ${recordsKey} has no such record; run a full sync`,
        );
      return parseJson(text, `${recordsKey} field '${id}'`, 'run a full sync') as RecordOf<T>;
    });
  }

  async readRecordIds(tenant: string, type: RecordType): Promise<string[]> {
    return this.redis.zrange(this.keys(tenant).order(type), 0, -1);
  }

  async getCursor(tenant: string, name: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys(tenant).cursors, name)) ?? undefined;
  }

  async setCursor(tenant: string, name: string, value: string): Promise<void> {
    await this.redis.hset(this.keys(tenant).cursors, name, value);
  }

  async deleteCursor(tenant: string, name: string): Promise<void> {
    await this.redis.hdel(this.keys(tenant).cursors, name);
  }

  async readEnrolmentEntries(tenant: string, programId: string): Promise<Map<string, string>> {
    // HSCAN in pages rather than one HGETALL: at a million enrolled, one reply would be ~30 MB in one go.
    const key = this.keys(tenant).enrolments(programId);
    const entries = new Map<string, string>();
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', ENROLMENT_SCAN_COUNT);
      for (let i = 0; i < flat.length; i += 2) entries.set(flat[i], flat[i + 1]);
      cursor = next;
    } while (cursor !== '0');
    return entries;
  }

  async addEnrolmentEntries(
    tenant: string,
    programId: string,
    entries: readonly (readonly [string, string])[],
  ): Promise<number> {
    const key = this.keys(tenant).enrolments(programId);
    let added = 0;
    for (const chunk of chunks(entries))
      added += Number(await this.runScript(ADD_ENROLMENTS, [key], chunk.flat()));
    return added;
  }

  async getWrittenValues(tenant: string): Promise<Record<string, WrittenValues>> {
    return this.readContactValues(this.keys(tenant).written);
  }

  async setWrittenValues(tenant: string, values: Record<string, WrittenValues>): Promise<void> {
    await this.mergeContactValues(this.keys(tenant).written, values);
  }

  async getWriteIntents(tenant: string): Promise<Record<string, WrittenValues>> {
    return this.readContactValues(this.keys(tenant).intents);
  }

  async setWriteIntents(tenant: string, values: Record<string, WrittenValues>): Promise<void> {
    await this.mergeContactValues(this.keys(tenant).intents, values);
  }

  async clearWriteIntents(tenant: string, ids: Iterable<string>): Promise<void> {
    const key = this.keys(tenant).intents;
    for (const chunk of chunks([...new Set(ids)])) await this.redis.hdel(key, ...chunk);
  }

  async getOwnerTaskEpisodes(tenant: string): Promise<Record<string, OwnerTaskEpisode>> {
    const key = this.keys(tenant).taskEpisodes;
    const stored = await this.redis.hgetall(key);
    return Object.fromEntries(
      Object.entries(stored).map(([customer, text]) => [
        customer,
        validate(text, `${key} field '${customer}'`, ownerTaskEpisodeSchema, 'delete the field'),
      ]),
    );
  }

  async setOwnerTaskEpisodes(tenant: string, episodes: Record<string, OwnerTaskEpisode>): Promise<void> {
    // Each customer's episode is replaced whole, so plain HSET (one field per customer) is enough.
    const key = this.keys(tenant).taskEpisodes;
    for (const chunk of chunks(Object.entries(episodes)))
      await this.redis.hset(
        key,
        ...chunk.flatMap(([customer, episode]) => [customer, JSON.stringify(episode)]),
      );
  }

  async closeOwnerTaskEpisodes(tenant: string, ids: Iterable<string>): Promise<void> {
    const key = this.keys(tenant).taskEpisodes;
    for (const chunk of chunks([...new Set(ids)])) await this.redis.hdel(key, ...chunk);
  }

  private async readContactValues(key: string): Promise<Record<string, WrittenValues>> {
    const stored = await this.redis.hgetall(key);
    return Object.fromEntries(
      Object.entries(stored).map(([contact, text]) => [
        contact,
        validate(text, `${key} field '${contact}'`, writtenValuesSchema, 'delete the field'),
      ]),
    );
  }

  private async mergeContactValues(key: string, values: Record<string, WrittenValues>): Promise<void> {
    for (const chunk of chunks(Object.entries(values))) {
      const args = chunk.flatMap(([contact, props]) => [contact, JSON.stringify(props)]);
      try {
        await this.runScript(MERGE_WRITTEN, [key], args);
      } catch (error) {
        const bad = /^STORE_INVALID (.*)$/s.exec(errorMessage(error));
        if (bad === null) throw error;
        throw new StoreError(`${key} field '${bad[1]}' is not valid JSON; delete the field`);
      }
    }
  }

  async putScoreRun(tenant: string, run: ScoreRun, scores: readonly Score[]): Promise<void> {
    if (scores.length !== run.customers)
      throw new StoreError(shardCountMessage(tenant, run, 1, scores.length));
    // Stored as shards of the run and committed like a flow's, replacing even a current run of the same id.
    const shards = Math.max(1, Math.ceil(scores.length / SCORES_PER_SHARD));
    for (let i = 0; i < shards; i++)
      await this.putScoreShard(
        tenant,
        run.runId,
        i,
        scores.slice(i * SCORES_PER_SHARD, (i + 1) * SCORES_PER_SHARD),
      );
    await this.commit(tenant, run, shards, true);
  }

  async putScoreShard(tenant: string, runId: string, shard: number, scores: readonly Score[]): Promise<void> {
    assertShardNumber(shard);
    const keys = this.keys(tenant);
    const target = keys.pendingShard(runId, shard);
    const counts = keys.pendingShards(runId);
    // Built under a fresh key (same hash tag, so same slot), then renamed over the shard: a retried or a
    // concurrent write of one shard replaces it whole and never appends to another's Scores.
    const temp = `${target}:${randomUUID()}`;
    try {
      let first = true;
      for (const chunk of chunks(scores)) {
        // As Buffers: ioredis writes them as they are, where string arguments are first joined into one command
        // string and encoded again (~10 µs a Score more; a tenth of a shard's CPU).
        const pipeline = this.redis
          .pipeline()
          .rpush(temp, ...chunk.map((score) => Buffer.from(JSON.stringify(score))));
        if (first) pipeline.expire(temp, PENDING_RUN_TTL_SECONDS);
        first = false;
        await execAll(pipeline);
      }
      // An empty shard has no list (Redis drops empty lists); its count of 0 in the hash says it was stored.
      // The shard's segment ids go beside it in the same MULTI: what the next run's prepare shards read to keep
      // segment ids stable, ~30 bytes a customer instead of its whole Score (~1.7 KB).
      const segments = keys.pendingSegments(runId);
      const publish = this.redis.multi();
      if (scores.length > 0) publish.rename(temp, target).expire(target, PENDING_SHARD_TTL_SECONDS);
      else publish.unlink(target);
      publish.hset(counts, String(shard), String(scores.length)).expire(counts, PENDING_SHARD_TTL_SECONDS);
      // A shard with a Score the schema would refuse there gets no entry: readers then read its Scores, and name it.
      const entry = segmentIndexEntry(scores);
      if (entry === null) publish.hdel(segments, String(shard));
      else publish.hset(segments, String(shard), entry).expire(segments, PENDING_SHARD_TTL_SECONDS);
      await execAll(publish);
    } catch (error) {
      await this.redis.unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async commitScoreRun(tenant: string, run: ScoreRun, shards: number): Promise<void> {
    await this.commit(tenant, run, shards, false);
  }

  /** `replaceSameRun`: putScoreRun replaces a current run of the same id; a retried commit leaves it. */
  private async commit(
    tenant: string,
    run: ScoreRun,
    shards: number,
    replaceSameRun: boolean,
  ): Promise<void> {
    assertShardCount(shards);
    const keys = this.keys(tenant);
    const runId = run.runId;
    const header: ScoreRunHeader = { run, shards, commit: randomUUID() };
    const shardKeys = [
      ...range(shards).map((i) => keys.pendingShard(runId, i)),
      ...range(shards).map((i) => keys.scoreShard(runId, i)),
    ];
    for (let attempt = 0; attempt < HEADER_ATTEMPTS; attempt++) {
      const text = await this.redis.get(keys.scoreRun);
      // A header that does not parse is replaced all the same; only its shards cannot be found to unlink.
      const current = text === null ? undefined : scoreRunHeaderSchema.safeParse(parseJsonOrNull(text)).data;
      if (!replaceSameRun && current?.run.runId === runId) return;
      const oldShards =
        current === undefined ? [] : range(current.shards).map((i) => keys.scoreShard(current.run.runId, i));
      const runKeys = [
        keys.scoreRun,
        keys.legacyScores,
        keys.pendingShards(runId),
        keys.pendingSegments(runId),
        keys.segments(runId),
        keys.segments(current?.run.runId ?? runId),
      ];
      const reply = (await this.runScript(
        COMMIT_SCORE_RUN,
        [...runKeys, ...shardKeys, ...oldShards],
        [text ?? '', JSON.stringify(header), String(shards), String(run.customers)],
      )) as [string, ...number[]];
      const [outcome, ...figures] = reply;
      if (outcome === 'ok') return;
      if (outcome === 'missing') throw new StoreError(missingShardsMessage(tenant, runId, shards, figures));
      if (outcome === 'count')
        throw new StoreError(shardCountMessage(tenant, run, shards, Number(figures[0])));
      // 'changed': another commit moved the header between our read and the script; read it again.
    }
    throw new StoreError(
      `${keys.scoreRun} changed ${HEADER_ATTEMPTS} times while run ${runId} was committed; commit again`,
    );
  }

  /**
   * The latest run's header only (one GET of a few hundred bytes): what a reader that caches a whole run
   * checks per request. `commit` differs per commit, so a same-id replacement is noticed too; a run in the
   * layout before shards answers its first item with the run id as its commit. Undefined: never scored.
   */
  async readScoreRunHeader(tenant: string): Promise<{ run: ScoreRun; commit: string } | undefined> {
    const keys = this.keys(tenant);
    const text = await this.redis.get(keys.scoreRun);
    if (text === null) {
      const first = await this.redis.lindex(keys.legacyScores, 0);
      if (first === null) return undefined;
      const run = validate(first, `${keys.legacyScores} item 0 (the score run)`, scoreRunSchema, RESCORE);
      return { run, commit: `legacy:${run.runId}` };
    }
    const { run, commit } = validate(text, keys.scoreRun, scoreRunHeaderSchema, RESCORE);
    return { run, commit };
  }

  /** One stored record by id (one HGET); undefined when absent. */
  async readRecord<T extends RecordType>(
    tenant: string,
    type: T,
    id: string,
  ): Promise<RecordOf<T> | undefined> {
    const key = this.keys(tenant).records(type);
    const text = await this.redis.hget(key, id);
    if (text === null) return undefined;
    return parseJson(text, `${key} field '${id}'`, 'run a full sync') as RecordOf<T>;
  }

  async readScoreRun(tenant: string): Promise<{ run: ScoreRun; scores: Score[] } | undefined> {
    const keys = this.keys(tenant);
    for (let attempt = 0; attempt < HEADER_ATTEMPTS; attempt++) {
      const text = await this.redis.get(keys.scoreRun);
      if (text === null) return this.readLegacyScoreRun(keys.legacyScores);
      const { run, shards } = validate(text, keys.scoreRun, scoreRunHeaderSchema, RESCORE);
      // Paged first, so a large run does not hold up other clients; read again after a commit in between in
      // one MULTI, so that a tenant committing often cannot keep its readers retrying.
      const scores: Score[] = [];
      const read = await this.readShards<string>(
        keys,
        run.runId,
        { from: 0, to: shards },
        text,
        attempt > 0,
        (item, key, j) => scores.push(parseScore(item, key, j)),
      );
      // A commit replaced the run while its shards were read (and may have unlinked some): read the new one.
      if (!read) continue;
      // Cannot happen through a commit (it counts the shards); guards against hand-edited keys.
      if (scores.length !== run.customers)
        throw new StoreError(
          `${keys.scoreRun}: the shards of ${run.runId} hold ${scores.length} scores but its run has ${run.customers}; ${RESCORE}`,
        );
      return { run, scores };
    }
    throw new StoreError(`${keys.scoreRun} changed ${HEADER_ATTEMPTS} times while it was read; read again`);
  }

  async readScoreSegments(tenant: string): Promise<Map<string, string> | undefined> {
    return (await this.segmentsOfShards(tenant, 0, 1))?.segments;
  }

  async readScoreSegmentsPart(
    tenant: string,
    part: number,
    parts: number,
  ): Promise<{ commit: string; segments: Map<string, string> } | undefined> {
    assertShardNumber(part);
    if (part >= parts) throw new StoreError(`score segments part ${part} is not one of ${parts}`);
    return this.segmentsOfShards(tenant, part, parts);
  }

  /** The segments of the latest run's shards [⌊part·n/parts⌋, ⌊(part+1)·n/parts⌋), and the commit read. */
  private async segmentsOfShards(
    tenant: string,
    part: number,
    parts: number,
  ): Promise<{ commit: string; segments: Map<string, string> } | undefined> {
    const keys = this.keys(tenant);
    for (let attempt = 0; attempt < HEADER_ATTEMPTS; attempt++) {
      const text = await this.redis.get(keys.scoreRun);
      if (text === null) {
        const legacy = await this.readLegacyScoreRun(keys.legacyScores);
        if (legacy === undefined) return undefined;
        // One LIST: the first part holds it all.
        const segments = part === 0 ? segmentsOf(legacy.scores)! : new Map<string, string>();
        return { commit: `legacy:${legacy.run.runId}`, segments };
      }
      const { run, shards, commit } = validate(text, keys.scoreRun, scoreRunHeaderSchema, RESCORE);
      const from = Math.floor((part * shards) / parts);
      const to = Math.floor(((part + 1) * shards) / parts);
      const indexed = await this.indexedSegments(keys, run.runId, { from, to }, text);
      if (indexed === 'changed') continue;
      if (indexed !== undefined) {
        if (parts === 1 && indexed.count !== run.customers)
          throw new StoreError(
            `${keys.segments(run.runId)}: the shards of ${run.runId} hold ${indexed.count} scores but its run has ${run.customers}; ${RESCORE}`,
          );
        return { commit, segments: indexed.segments };
      }
      // Read as bytes (off the JS heap) and only the two ids taken from each; a Score the byte reader cannot
      // take is parsed and checked as far as those two fields (./score-segment-text, ./stored-scores).
      const segments = new Map<string, string>();
      let count = 0;
      const take = (bytes: Buffer, key: string, j: number) => {
        const fast = segmentFromScoreJson(bytes);
        if (fast !== undefined) segments.set(fast.customerId, fast.segmentId);
        else {
          const score = parseJson(bytes.toString('utf8'), key, RESCORE, j);
          const segment = storedSegment(score) ?? checked(score, itemName(key, j), scoreSchema, RESCORE);
          if (segment.segmentId !== undefined) segments.set(segment.customerId, segment.segmentId);
        }
        count++;
      };
      const read = await this.readShards(keys, run.runId, { from, to }, text, attempt > 0, take, true);
      if (!read) continue;
      if (parts === 1 && count !== run.customers)
        throw new StoreError(
          `${keys.scoreRun}: the shards of ${run.runId} hold ${count} scores but its run has ${run.customers}; ${RESCORE}`,
        );
      return { commit, segments };
    }
    throw new StoreError(`${keys.scoreRun} changed ${HEADER_ATTEMPTS} times while it was read; read again`);
  }

  /**
   * The segments of a run's shards [from, to) from its segment index (putScoreShard) in one HMGET, with the
   * number of Scores they cover; 'changed' once the header is no longer `header`; undefined when a shard has no
   * readable entry (stored before the index existed), and its Scores must be read instead.
   */
  private async indexedSegments(
    keys: ReturnType<typeof redisTenantKeys>,
    runId: string,
    range: { from: number; to: number },
    header: string,
  ): Promise<{ segments: Map<string, string>; count: number } | 'changed' | undefined> {
    const segments = new Map<string, string>();
    if (range.to <= range.from) return { segments, count: 0 };
    const fields: string[] = [];
    for (let i = range.from; i < range.to; i++) fields.push(String(i));
    const [texts, now] = (await execAll(
      this.redis
        .pipeline()
        .hmget(keys.segments(runId), ...fields)
        .get(keys.scoreRun),
    )) as [(string | null)[], string | null];
    if (now !== header) return 'changed';
    let count = 0;
    for (const text of texts) {
      const entry = text === null ? undefined : parseSegmentIndexEntry(text);
      if (entry === undefined) return undefined;
      count += entry.count;
      for (let i = 0; i < entry.pairs.length; i += 2) segments.set(entry.pairs[i], entry.pairs[i + 1]);
    }
    return { segments, count };
  }

  /**
   * Hands each stored Score of a run's shards (its text, or its bytes with `asBytes`), in shard order, to
   * `take` with its key and position;
   * SHARDS_PER_READ shards per round trip (or all in one MULTI when `atomic`). False once the header is no
   * longer `header`. Each round trip reads the header after its shards: commands on one connection run in
   * order, and every commit writes a new header, so an unchanged one means no commit ran before those shards
   * were read.
   */
  private async readShards<T extends string | Buffer>(
    keys: ReturnType<typeof redisTenantKeys>,
    runId: string,
    range: { from: number; to: number },
    header: string,
    atomic: boolean,
    take: (item: T, key: string, index: number) => void,
    asBytes?: T extends Buffer ? true : never,
  ): Promise<boolean> {
    const perTrip = atomic ? Math.max(1, range.to - range.from) : SHARDS_PER_READ;
    for (let from = range.from; from < range.to; from += perTrip) {
      const to = Math.min(range.to, from + perTrip);
      const commands = atomic ? this.redis.multi() : this.redis.pipeline();
      for (let i = from; i < to; i++)
        if (asBytes) commands.lrangeBuffer(keys.scoreShard(runId, i), 0, -1);
        else commands.lrange(keys.scoreShard(runId, i), 0, -1);
      const replies = await execAll(commands.get(keys.scoreRun));
      if (replies[to - from] !== header) return false;
      for (let i = from; i < to; i++) {
        const key = keys.scoreShard(runId, i);
        const items = replies[i - from] as T[];
        for (let j = 0; j < items.length; j++) take(items[j], key, j);
      }
    }
    return true;
  }

  /** A run stored before shards: one LIST, the ScoreRun then its Scores. */
  private async readLegacyScoreRun(key: string): Promise<{ run: ScoreRun; scores: Score[] } | undefined> {
    // One LRANGE, not pages: a run replaced between two pages would mix two runs.
    const items = await this.redis.lrange(key, 0, -1);
    if (items.length === 0) return undefined;
    const run = validate(items[0], `${key} item 0 (the score run)`, scoreRunSchema, RESCORE);
    const scores: Score[] = [];
    for (let i = 1; i < items.length; i++) scores.push(parseScore(items[i], key, i));
    if (scores.length !== run.customers)
      throw new StoreError(
        `${key} holds ${scores.length} scores but its run has ${run.customers}; ${RESCORE}`,
      );
    return { run, scores };
  }

  async putRunScratch(tenant: string, runId: string, name: string, bytes: Buffer): Promise<void> {
    assertScratchName(name);
    const key = this.keys(tenant).scratch(runId);
    await execAll(this.redis.multi().hset(key, name, bytes).expire(key, SCRATCH_TTL_SECONDS));
  }

  async getRunScratch(tenant: string, runId: string, name: string): Promise<Buffer | undefined> {
    assertScratchName(name);
    return (await this.redis.hgetBuffer(this.keys(tenant).scratch(runId), name)) ?? undefined;
  }

  async dropRunScratch(tenant: string, runId: string): Promise<void> {
    await this.redis.unlink(this.keys(tenant).scratch(runId));
  }

  async putTenantReport(tenant: string, name: string, json: string): Promise<void> {
    await this.redis.set(this.keys(tenant).report(name), json);
  }

  async getTenantReport(tenant: string, name: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys(tenant).report(name))) ?? undefined;
  }

  async putModel(tenant: string, model: StoredModel): Promise<void> {
    await this.redis.set(this.keys(tenant).model, JSON.stringify(model));
  }

  async getModel(tenant: string): Promise<StoredModel | undefined> {
    const key = this.keys(tenant).model;
    const text = await this.redis.get(key);
    if (text === null) return undefined;
    return validate(text, key, storedModelSchema, 'retrain the tenant');
  }

  /** EVALSHA, falling back to EVAL once when the server has not seen the script (a restart, a new node). */
  private async runScript(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!errorMessage(error).startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(script.lua, keys.length, ...keys, ...args);
    }
  }
}

const SYNC = 'run a full sync';

/** The customer a stored record belongs to (a customer is its own); a StoreError naming it when it has none. */
function storedCustomer(type: CustomerRecordType, id: string, record: unknown, where: string): string {
  const customerId = type === 'customer' ? id : (record as { customerId?: unknown } | null)?.customerId;
  if (typeof customerId !== 'string' || customerId === '')
    throw new StoreError(`${where} has no customerId; ${SYNC}`);
  return customerId;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

/** Runs a pipeline or MULTI and returns its replies, throwing the first command error instead of hiding it. */
async function execAll(commands: ChainableCommander): Promise<unknown[]> {
  const results = await commands.exec();
  // null only when a WATCHed key changed; nothing here WATCHes, so it means the connection dropped the MULTI.
  if (results === null) throw new StoreError('a Redis transaction was discarded; retry');
  return results.map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `item`: the value is that item of the list at `where` (named so only when it fails). */
function parseJson(text: string, where: string, fix: string, item?: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoreError(`${item === undefined ? where : itemName(where, item)} is not valid JSON; ${fix}`);
  }
}

function itemName(key: string, item: number): string {
  return `${key} item ${item}`;
}

/** Parses and checks a stored value; the error names the key and each bad field. */
function validate<T>(
  text: string,
  where: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  fix: string,
): T {
  return checked(parseJson(text, where, fix), where, schema, fix);
}

/** A stored Score: checked by hand (./stored-scores), by the schema only when that does not pass it. */
function parseScore(text: string, key: string, item: number): Score {
  const value = parseJson(text, key, RESCORE, item);
  return plainlyStoredScore(value) ? value : checked(value, itemName(key, item), scoreSchema, RESCORE);
}

function checked<T>(
  value: unknown,
  where: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  fix: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoreError(`${where} is invalid: ${describeIssues(parsed.error.issues, value)}; ${fix}`);
  return parsed.data;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A shard's segment index entry: its number of Scores, then customer id and segment id of each that has one;
 * null when a Score's two ids are not valid (storedSegment).
 */
function segmentIndexEntry(scores: readonly Score[]): string | null {
  const items: (number | string)[] = [scores.length];
  for (const score of scores) {
    const segment = storedSegment(score);
    if (segment === undefined) return null;
    if (segment.segmentId !== undefined) items.push(segment.customerId, segment.segmentId);
  }
  return JSON.stringify(items);
}

function parseSegmentIndexEntry(text: string): { count: number; pairs: string[] } | undefined {
  const items = parseJsonOrNull(text);
  if (!Array.isArray(items) || items.length % 2 !== 1) return undefined;
  const [count, ...pairs] = items as unknown[];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return undefined;
  if (!pairs.every((item): item is string => typeof item === 'string' && item.length > 0)) return undefined;
  return { count, pairs };
}
