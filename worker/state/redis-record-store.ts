/**
 * Redis-backed RecordStore for the long-running worker. With `t = tenantKey(tenant)`, a tenant's keys are:
 *
 *   <prefix>:{t}:records:<type>   HASH   record id → record JSON
 *   <prefix>:{t}:order:<type>     ZSET   record id, scored by its first-stored position (readRecords order)
 *   <prefix>:{t}:cursors          HASH   cursor name → value
 *   <prefix>:{t}:written          HASH   contact id → JSON of the values last written to the CRM
 *   <prefix>:{t}:intents          HASH   contact id → JSON of the values sent but not yet confirmed
 *   <prefix>:{t}:scores           LIST   the ScoreRun JSON, then one Score JSON per customer in the given order
 *   <prefix>:{t}:model            STRING StoredModel JSON
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
import { StoreError } from './file-record-store';
import type { RecordStore, StoredModel, WrittenValues } from './record-store';

/** Items (records, ids, contacts, Scores) per command or script call: one round trip each, ~1 MB at most. */
const CHUNK = 1000;

/** A half-written score run key left by a crashed writer expires instead of piling up. */
const PENDING_RUN_TTL_SECONDS = 3600;

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
    cursors: `${base}:cursors`,
    written: `${base}:written`,
    intents: `${base}:intents`,
    scores: `${base}:scores`,
    model: `${base}:model`,
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

const writtenValuesSchema = z.record(z.string());
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
    for (const chunk of chunks(records)) {
      const args = chunk.flatMap((record) => [record.id, JSON.stringify(record)]);
      await this.runScript(PUT_RECORDS, [keys.records(type), keys.order(type)], args);
    }
  }

  async deleteRecords(tenant: string, type: RecordType, ids: Iterable<string>): Promise<number> {
    const keys = this.keys(tenant);
    let removed = 0;
    for (const chunk of chunks([...new Set(ids)])) {
      const [deleted] = await execAll(
        this.redis
          .multi()
          .hdel(keys.records(type), ...chunk)
          .zrem(keys.order(type), ...chunk),
      );
      removed += Number(deleted);
    }
    return removed;
  }

  async readRecords<T extends RecordType>(tenant: string, type: T): Promise<RecordOf<T>[]> {
    const keys = this.keys(tenant);
    const recordsKey = keys.records(type);
    // One MULTI: the order and the records are read from the same instant.
    const [ids, stored] = await execAll(
      this.redis.multi().zrange(keys.order(type), 0, -1).hgetall(recordsKey),
    );
    const byId = new Map(Object.entries(stored as Record<string, string>));
    return (ids as string[]).map((id) => {
      const text = byId.get(id);
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
    // Built aside under a fresh key (same hash tag, so same slot), then renamed over the current run: a
    // reader sees the old run or the new one, never a mix, and two writers cannot write into one key.
    const key = this.keys(tenant).scores;
    const pending = `${key}:${run.runId}:${randomUUID()}`;
    const items = [JSON.stringify(run), ...scores.map((score) => JSON.stringify(score))];
    try {
      let first = true;
      for (const chunk of chunks(items)) {
        const pipeline = this.redis.pipeline().rpush(pending, ...chunk);
        if (first) pipeline.expire(pending, PENDING_RUN_TTL_SECONDS);
        first = false;
        await execAll(pipeline);
      }
      // RENAME carries the TTL over, so PERSIST in the same MULTI.
      await execAll(this.redis.multi().rename(pending, key).persist(key));
    } catch (error) {
      await this.redis.unlink(pending).catch(() => undefined);
      throw error;
    }
  }

  async readScoreRun(tenant: string): Promise<{ run: ScoreRun; scores: Score[] } | undefined> {
    const key = this.keys(tenant).scores;
    // One LRANGE, not pages: a run replaced between two pages would mix two runs.
    const items = await this.redis.lrange(key, 0, -1);
    if (items.length === 0) return undefined;
    const fix = 'rescore the tenant';
    const run = validate(items[0], `${key} item 0 (the score run)`, scoreRunSchema, fix);
    const scores: Score[] = [];
    for (let i = 1; i < items.length; i++)
      scores.push(validate(items[i], `${key} item ${i}`, scoreSchema, fix));
    // Cannot happen through putScoreRun (RENAME is all or nothing); guards against a hand-edited key.
    if (scores.length !== run.customers)
      throw new StoreError(
        `${key} holds ${scores.length} scores but its run has ${run.customers}; rescore the tenant`,
      );
    return { run, scores };
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

function parseJson(text: string, where: string, fix: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoreError(`${where} is not valid JSON; ${fix}`);
  }
}

/** Parses and checks a stored value; the error names the key and each bad field. */
function validate<T>(
  text: string,
  where: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  fix: string,
): T {
  const value = parseJson(text, where, fix);
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoreError(`${where} is invalid: ${describeIssues(parsed.error.issues, value)}; ${fix}`);
  return parsed.data;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
