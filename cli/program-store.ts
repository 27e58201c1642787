/**
 * The record store the program commands read and write: `<data-dir>` (the CLI's file store, as `sync`,
 * `score` and `writeback` use) or, with --redis, the worker's Redis store at REDIS_URL under
 * CRM_CLV_REDIS_PREFIX, so a program added there is enrolled by the worker's next write-back.
 */
import type { Command } from 'commander';
import {
  connectClient,
  DEFAULT_REDIS_URL,
  redisForClient,
  redisPrefix,
} from '../worker/queue/redis-connection';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../worker/state';

export function withProgramStoreOptions(command: Command): Command {
  return command
    .requiredOption('--tenant <id>', 'the tenant whose programs these are')
    .option('--data-dir <dir>', 'record store directory (the one `sync` and `score` use)', 'data')
    .option('--redis', "use the worker's Redis store (REDIS_URL) instead of --data-dir");
}

export async function withProgramStore<T>(
  opts: { dataDir: string; redis?: boolean },
  use: (store: RecordStore) => Promise<T>,
): Promise<T> {
  if (!opts.redis) return use(new FileRecordStore(opts.dataDir));
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis = await connectClient(redisForClient(url), url);
  try {
    return await use(new RedisRecordStore({ redis, prefix: redisPrefix() }));
  } finally {
    redis.disconnect();
  }
}
