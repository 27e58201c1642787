/**
 * The store a command reads a tenant from: `--data-dir` (the CLI's file store, as `sync`, `score` and
 * `writeback` use) or, with `--redis`, the worker's Redis store at REDIS_URL under CRM_CLV_REDIS_PREFIX, so a
 * tenant the worker keeps is reported on from the shell. The tenant registry beside it comes with it:
 * `<data-dir>/tenants.json`, or the Redis registry under the same prefix (the worker's).
 */
import type { Command } from 'commander';
import {
  connectClient,
  DEFAULT_REDIS_URL,
  redisForClient,
  redisPrefix,
} from '../worker/queue/redis-connection';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../worker/state';
import { FileTenantRegistry, RedisTenantRegistry, type TenantRegistry } from '../worker/tenants';

export type RecordStoreChoice = { dataDir: string; redis?: boolean };

export function withRecordStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'record store directory (the one `sync` and `score` use)', 'data')
    .option(
      '--redis',
      "use the worker's Redis store (REDIS_URL, CRM_CLV_REDIS_PREFIX) instead of --data-dir",
    );
}

/** Opens the chosen store (and its tenant registry) for `use`, and closes the connection after. */
export async function withRecordStore<T>(
  opts: RecordStoreChoice,
  use: (store: RecordStore, registry: TenantRegistry) => Promise<T>,
): Promise<T> {
  if (!opts.redis)
    return use(new FileRecordStore(opts.dataDir), new FileTenantRegistry({ dataDir: opts.dataDir }));
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const redis = await connectClient(redisForClient(url), url);
  try {
    const prefix = redisPrefix();
    return await use(new RedisRecordStore({ redis, prefix }), new RedisTenantRegistry({ redis, prefix }));
  } finally {
    redis.disconnect();
  }
}
