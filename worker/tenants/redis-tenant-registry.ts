/**
 * The tenant registry of the long-running worker: one HASH, `<prefix>:tenants`, field tenant id → entry JSON
 * (tenant-entry.ts; tokens only as AES-GCM ciphertext). The prefix is the record store's
 * (worker/state/redis-record-store.ts, default `crm-clv`), so one prefix scopes a whole deployment. Each entry
 * is one HSET/HGET/HDEL, atomic on its own; entries are validated when read.
 */
import type { Redis } from 'ioredis';
import type { TenantId } from '../../domain/tenant';
import { DEFAULT_REDIS_PREFIX, RedisPrefixError } from '../state/redis-record-store';
import { TenantNotFoundError } from './errors';
import { TenantEntryCodec, type StoredTenant } from './tenant-entry';
import type { TenantConnection, TenantRegistry, TenantSettings } from './tenant-registry';

export type RedisTenantRegistryOptions = {
  redis: Redis;
  /** Key prefix, `crm-clv` by default; like the record store's, non-empty and without braces. */
  prefix?: string;
  /** 32 bytes; read from CRM_CLV_TOKEN_KEY when a token is first sealed or opened if absent. */
  key?: Buffer;
};

/** The registry's key under a prefix. */
export function redisTenantsKey(prefix: string = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}:tenants`;
}

export class RedisTenantRegistry implements TenantRegistry {
  /** The HASH holding the entries. */
  readonly hashKey: string;
  private readonly redis: Redis;
  private readonly codec: TenantEntryCodec;

  constructor(options: RedisTenantRegistryOptions) {
    const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    if (prefix === '' || /[{}]/.test(prefix)) throw new RedisPrefixError(prefix);
    this.redis = options.redis;
    this.hashKey = redisTenantsKey(prefix);
    this.codec = new TenantEntryCodec(options.key);
  }

  async put(connection: TenantConnection, secret?: string): Promise<void> {
    const entry = this.codec.encode(connection, secret);
    await this.redis.hset(this.hashKey, entry.connection.tenant, JSON.stringify(entry));
  }

  async get(tenant: TenantId): Promise<TenantConnection | undefined> {
    return (await this.entry(tenant))?.connection;
  }

  async list(): Promise<TenantConnection[]> {
    const stored = await this.redis.hgetall(this.hashKey);
    return Object.keys(stored)
      .sort()
      .map((tenant) => this.codec.decodeText(tenant, stored[tenant], this.where).connection);
  }

  async secret(tenant: TenantId): Promise<string> {
    const entry = await this.entry(tenant);
    if (entry === undefined) throw new TenantNotFoundError(tenant, this.where);
    return this.codec.openSecret(entry, this.where);
  }

  async remove(tenant: TenantId): Promise<boolean> {
    return (await this.redis.hdel(this.hashKey, tenant)) > 0;
  }

  async updateSettings(tenant: TenantId, settings: TenantSettings): Promise<TenantConnection> {
    // Optimistic: a `tenant add` between the read and the write makes EXEC return null, and the change is
    // made again on what that add stored, so neither is lost.
    for (;;) {
      await this.redis.watch(this.hashKey);
      try {
        const entry = await this.entry(tenant);
        if (entry === undefined) throw new TenantNotFoundError(tenant, this.where);
        const updated = this.codec.withSettings(entry, settings);
        const done = await this.redis.multi().hset(this.hashKey, tenant, JSON.stringify(updated)).exec();
        if (done !== null) return updated.connection;
      } catch (error) {
        await this.redis.unwatch();
        throw error;
      }
    }
  }

  private async entry(tenant: TenantId): Promise<StoredTenant | undefined> {
    const text = await this.redis.hget(this.hashKey, tenant);
    return text === null ? undefined : this.codec.decodeText(tenant, text, this.where);
  }

  /** Where an entry lives, for messages: errors name the tenant (the field) themselves. */
  private get where(): string {
    return `Redis key ${this.hashKey}`;
  }
}
