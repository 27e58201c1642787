/**
 * File-backed RecordStore for one-off CLI runs: under `dataDir/<tenant>/`, one NDJSON file per record type
 * (`customer.ndjson`, …), `cursors.json`, `written-values.json`, `write-intents.json`, `scores.ndjson` (the run, then one Score per
 * line) and `model.json`. Every file is replaced atomically: written to a temp file in the
 * same directory, then renamed over the old one, so a reader never sees a partial file.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordOf, RecordType } from '../../domain/records';
import { nodeFileOps, writeFileAtomic, type FileOps } from '../../connectors/files/write-file-atomic';
import { tenantKey } from '../../domain/tenant';
import { scoreRunSchema, scoreSchema, type Score, type ScoreRun } from '../../domain/score';
import type { RecordStore, StoredModel, WrittenValues } from './record-store';

export class StoreError extends Error {
  readonly code = 'STORE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
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

const SCORES_FILE = 'scores.ndjson';
const MODEL_FILE = 'model.json';
const INTENTS_FILE = 'write-intents.json';

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

  async readRecordIds(tenant: string, type: RecordType): Promise<string[]> {
    return (await this.readRecords(tenant, type)).map((record) => record.id);
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

  async getWriteIntents(tenant: string): Promise<Record<string, WrittenValues>> {
    return this.readJson<Record<string, WrittenValues>>(tenant, INTENTS_FILE);
  }

  async setWriteIntents(tenant: string, values: Record<string, WrittenValues>): Promise<void> {
    if (Object.keys(values).length === 0) return;
    await this.updateJson<Record<string, WrittenValues>>(tenant, INTENTS_FILE, (all) => {
      const next = { ...all };
      for (const [id, props] of Object.entries(values)) next[id] = { ...(next[id] ?? {}), ...props };
      return next;
    });
  }

  async clearWriteIntents(tenant: string, ids: Iterable<string>): Promise<void> {
    const remove = new Set(ids);
    if (remove.size === 0) return;
    await this.updateJson<Record<string, WrittenValues>>(tenant, INTENTS_FILE, (all) =>
      Object.fromEntries(Object.entries(all).filter(([id]) => !remove.has(id))),
    );
  }

  async putScoreRun(tenant: string, run: ScoreRun, scores: readonly Score[]): Promise<void> {
    // One file, so a reader sees either the previous run or this one, never a mix.
    const path = join(this.tenantDir(tenant), SCORES_FILE);
    await this.serial(path, async () => {
      await mkdir(this.tenantDir(tenant), { recursive: true });
      let content = `${JSON.stringify(run)}\n`;
      for (const score of scores) content += `${JSON.stringify(score)}\n`;
      await writeFileAtomic(path, content, this.ops);
    });
  }

  async readScoreRun(tenant: string): Promise<{ run: ScoreRun; scores: Score[] } | undefined> {
    const path = join(this.tenantDir(tenant), SCORES_FILE);
    const text = await readOptional(path);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    const parse = <T>(
      i: number,
      schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    ) => {
      let value: unknown;
      try {
        value = JSON.parse(lines[i]);
      } catch {
        value = undefined;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success)
        throw new StoreError(
          `${path} line ${i + 1} is not a valid ${i === 0 ? 'score run' : 'score'}; rescore the tenant`,
        );
      return parsed.data;
    };
    const run = parse<ScoreRun>(0, scoreRunSchema);
    const scores: Score[] = [];
    for (let i = 1; i < lines.length; i++)
      if (lines[i].trim() !== '') scores.push(parse<Score>(i, scoreSchema));
    // A file cut short (a full disk, a killed copy) must not pass for the whole run.
    if (scores.length !== run.customers)
      throw new StoreError(
        `${path} holds ${scores.length} scores but its run has ${run.customers}; rescore the tenant`,
      );
    return { run, scores };
  }

  async putModel(tenant: string, model: StoredModel): Promise<void> {
    await this.updateJson<Partial<StoredModel>>(tenant, MODEL_FILE, () => model);
  }

  async getModel(tenant: string): Promise<StoredModel | undefined> {
    const model = await this.readJson<Partial<StoredModel>>(tenant, MODEL_FILE);
    return model.version === undefined ? undefined : (model as StoredModel);
  }

  private tenantDir(tenant: string): string {
    return join(this.dataDir, tenantKey(tenant));
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
