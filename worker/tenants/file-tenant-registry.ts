/**
 * The tenant registry of one-off CLI runs: `<dataDir>/tenants.json`, beside the file record store.
 *
 *   { "format": "crm-clv-tenants", "version": 1, "tenants": { "<tenant>": <entry>, … } }
 *
 * Entries are those of tenant-entry.ts (tokens only as AES-GCM ciphertext). The file is replaced atomically
 * (writeFileAtomic: a reader never sees half a file) and is readable by the owner only. Entries are validated
 * one by one when used, so one bad entry does not stop the others from being listed by name or removed.
 *
 * Writes within one process are serialised; two processes adding tenants at the same instant can still lose
 * one of the two adds (last rename wins), which is why the long-running worker uses the Redis registry.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../connectors/files/write-file-atomic';
import type { TenantId } from '../../domain/tenant';
import { TenantNotFoundError, TenantRegistryCorruptError } from './errors';
import { TenantEntryCodec, type StoredTenant } from './tenant-entry';
import type { TenantConnection, TenantRegistry, TenantSettings } from './tenant-registry';

export const TENANTS_FILE_NAME = 'tenants.json';

const FORMAT = 'crm-clv-tenants';

/** The file's frame; the entries inside are checked by the codec when used. */
const registryFile = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  tenants: z.record(z.unknown()),
});

export type FileTenantRegistryOptions = {
  dataDir: string;
  /** 32 bytes; read from CRM_CLV_TOKEN_KEY when a token is first sealed or opened if absent. */
  key?: Buffer;
};

export class FileTenantRegistry implements TenantRegistry {
  readonly path: string;
  private readonly dataDir: string;
  private readonly codec: TenantEntryCodec;
  /** The last write, so writes from this process run one after another. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(options: FileTenantRegistryOptions) {
    this.dataDir = options.dataDir;
    this.path = join(options.dataDir, TENANTS_FILE_NAME);
    this.codec = new TenantEntryCodec(options.key);
  }

  async put(connection: TenantConnection, secret?: string): Promise<void> {
    // Sealed before the file is touched: a missing key or a bad connection leaves the file as it was.
    const entry = this.codec.encode(connection, secret);
    await this.update((tenants) => {
      tenants[entry.connection.tenant] = entry;
    });
  }

  async get(tenant: TenantId): Promise<TenantConnection | undefined> {
    return (await this.entry(tenant))?.connection;
  }

  async list(): Promise<TenantConnection[]> {
    const tenants = await this.read();
    return Object.keys(tenants)
      .sort()
      .map((tenant) => this.codec.decode(tenant, tenants[tenant], this.path).connection);
  }

  async secret(tenant: TenantId): Promise<string> {
    const entry = await this.entry(tenant);
    if (entry === undefined) throw new TenantNotFoundError(tenant, this.path);
    return this.codec.openSecret(entry, this.path);
  }

  async remove(tenant: TenantId): Promise<boolean> {
    let removed = false;
    await this.update((tenants) => {
      removed = Object.hasOwn(tenants, tenant);
      delete tenants[tenant];
      return removed;
    });
    return removed;
  }

  async updateSettings(tenant: TenantId, settings: TenantSettings): Promise<TenantConnection> {
    let updated: StoredTenant | undefined;
    await this.update((tenants) => {
      if (!Object.hasOwn(tenants, tenant)) throw new TenantNotFoundError(tenant, this.path);
      updated = this.codec.withSettings(this.codec.decode(tenant, tenants[tenant], this.path), settings);
      tenants[tenant] = updated;
    });
    return updated!.connection;
  }

  private async entry(tenant: TenantId): Promise<StoredTenant | undefined> {
    const tenants = await this.read();
    if (!Object.hasOwn(tenants, tenant)) return undefined;
    return this.codec.decode(tenant, tenants[tenant], this.path);
  }

  /** The entries as stored (unchecked); an absent file is an empty registry. */
  private async read(): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null);
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new TenantRegistryCorruptError(undefined, this.path, 'not JSON');
    }
    const parsed = registryFile.safeParse(value);
    if (!parsed.success)
      throw new TenantRegistryCorruptError(undefined, this.path, `not a ${FORMAT} version 1 file`);
    // A null-prototype copy: a tenant named '__proto__' or 'constructor' is just a key.
    return Object.assign(Object.create(null), parsed.data.tenants);
  }

  /** Read, change, write back atomically; `change` returning false means nothing to write. */
  private update(change: (tenants: Record<string, unknown>) => boolean | void): Promise<void> {
    const run = this.writing.then(async () => {
      const tenants = await this.read();
      if (change(tenants) === false) return;
      const sorted = Object.fromEntries(
        Object.keys(tenants)
          .sort()
          .map((t) => [t, tenants[t]]),
      );
      const content = JSON.stringify({ format: FORMAT, version: 1, tenants: sorted }, null, 2);
      await mkdir(this.dataDir, { recursive: true });
      await writeFileAtomic(this.path, `${content}\n`);
      // writeFileAtomic creates the file 0600, but the umask applies; make sure it is owner-only whatever it is.
      await chmod(this.path, 0o600);
    });
    // A failed write must not block the next one; the caller still sees this one's error.
    this.writing = run.catch(() => undefined);
    return run;
  }
}
