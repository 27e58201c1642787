/**
 * File-backed RecordStore: under `dataDir/<tenant>/`, one NDJSON file per record type (`customer.ndjson`, …),
 * `cursors.json` and `written-values.json`. Every file is replaced atomically: written to a temp file in the
 * same directory, then renamed over the old one, so a reader never sees a partial file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordOf, RecordType } from '../../domain/records';
import type { RecordStore, WrittenValues } from './record-store';

export class StoreError extends Error {
  readonly code = 'STORE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Tenant ids become directory names; anything outside [A-Za-z0-9_.-] is escaped (DESIGN, Ids). */
export function tenantDirName(tenant: string): string {
  if (tenant === '') throw new StoreError('a tenant id must not be empty');
  const escaped = tenant.replace(
    /[^A-Za-z0-9_-]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return escaped;
}

/** The file operations an atomic replace uses; injectable so tests can watch the rename. */
export type FileOps = {
  writeFile(path: string, content: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
};

export const nodeFileOps: FileOps = {
  writeFile: (path, content) => writeFile(path, content, 'utf8'),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
};

/** Writes `content` to `path` atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(
  path: string,
  content: string,
  ops: FileOps = nodeFileOps,
): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await ops.writeFile(temp, content);
    await ops.rename(temp, path);
  } catch (error) {
    await ops.remove(temp);
    throw error;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export class FileRecordStore implements RecordStore {
  /** Serialises writes per file, so two puts to one file in one process cannot lose each other's records. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly dataDir: string,
    private readonly ops: FileOps = nodeFileOps,
  ) {}

  recordsPath(tenant: string, type: RecordType): string {
    return join(this.tenantDir(tenant), `${type}.ndjson`);
  }

  async putRecords<T extends RecordType>(
    tenant: string,
    type: T,
    records: readonly RecordOf<T>[],
  ): Promise<void> {
    if (records.length === 0) return;
    const path = this.recordsPath(tenant, type);
    await this.serial(path, async () => {
      const byId = new Map<string, RecordOf<T>>();
      for (const record of await this.readRecords(tenant, type)) byId.set(record.id, record);
      for (const record of records) byId.set(record.id, record);
      await mkdir(this.tenantDir(tenant), { recursive: true });
      let content = '';
      for (const record of byId.values()) content += `${JSON.stringify(record)}\n`;
      await writeFileAtomic(path, content, this.ops);
    });
  }

  async deleteRecords(tenant: string, type: RecordType, ids: Iterable<string>): Promise<number> {
    const remove = new Set(ids);
    if (remove.size === 0) return 0;
    const path = this.recordsPath(tenant, type);
    let removed = 0;
    await this.serial(path, async () => {
      const records = await this.readRecords(tenant, type);
      const kept = records.filter((record) => !remove.has(record.id));
      removed = records.length - kept.length;
      if (removed === 0) return;
      let content = '';
      for (const record of kept) content += `${JSON.stringify(record)}\n`;
      await writeFileAtomic(path, content, this.ops);
    });
    return removed;
  }

  async readRecords<T extends RecordType>(tenant: string, type: T): Promise<RecordOf<T>[]> {
    const path = this.recordsPath(tenant, type);
    const text = await readOptional(path);
    if (text === undefined) return [];
    const out: RecordOf<T>[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      try {
        out.push(JSON.parse(lines[i]) as RecordOf<T>);
      } catch {
        throw new StoreError(`${path} line ${i + 1} is not JSON; delete the file and run a full sync`);
      }
    }
    return out;
  }

  async getCursor(tenant: string, name: string): Promise<string | undefined> {
    return (await this.readJson<Record<string, string>>(tenant, 'cursors.json'))[name];
  }

  async setCursor(tenant: string, name: string, value: string): Promise<void> {
    await this.updateJson<Record<string, string>>(tenant, 'cursors.json', (all) => ({
      ...all,
      [name]: value,
    }));
  }

  async getWrittenValues(tenant: string): Promise<Record<string, WrittenValues>> {
    return this.readJson<Record<string, WrittenValues>>(tenant, 'written-values.json');
  }

  async setWrittenValues(tenant: string, values: Record<string, WrittenValues>): Promise<void> {
    await this.updateJson<Record<string, WrittenValues>>(tenant, 'written-values.json', (all) => {
      const next = { ...all };
      for (const [id, props] of Object.entries(values)) next[id] = { ...(next[id] ?? {}), ...props };
      return next;
    });
  }

  private tenantDir(tenant: string): string {
    return join(this.dataDir, tenantDirName(tenant));
  }

  private async readJson<T extends object>(tenant: string, file: string): Promise<T> {
    const path = join(this.tenantDir(tenant), file);
    const text = await readOptional(path);
    if (text === undefined) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StoreError(`${path} is not JSON; delete it (cursors reset to a full sync)`);
    }
  }

  private async updateJson<T extends object>(
    tenant: string,
    file: string,
    update: (old: T) => T,
  ): Promise<void> {
    const path = join(this.tenantDir(tenant), file);
    await this.serial(path, async () => {
      const next = update(await this.readJson<T>(tenant, file));
      await mkdir(this.tenantDir(tenant), { recursive: true });
      await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, this.ops);
    });
  }

  private serial(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    this.queues.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }
}
