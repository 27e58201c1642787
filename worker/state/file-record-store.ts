/**
 * File-backed RecordStore for one-off CLI runs: under `dataDir/<tenant>/`, one NDJSON file per record type
 * (`customer.ndjson`, …), `cursors.json`, `written-values.json`, `write-intents.json`, `owner-task-episodes.json`, `scores.ndjson` (the run, then one Score per
 * line) and `model.json`. Record files are appended to (an upsert adds a line; the last line of an id wins;
 * compacted when replaced lines pile up); every other file is replaced atomically: written to a temp file in
 * the same directory, then renamed over the old one, so a reader never sees a partial file.
 *
 * A score flow's shards wait in `score-shards/<r>/<i>.ndjson` (one Score per line; `<r>` the escaped run id)
 * until the commit copies them, in shard order, into a new `scores.ndjson` and removes them; its scratch
 * values are `scratch/<r>/<name>`. Directories of runs left unfinished are removed by a later commit or
 * scratch write once they are older than a day.
 *
 * A retention program's enrolments are `enrolments/<p>.ndjson`, one `[customerId, entry]` per line, appended
 * to: an enrolment is never replaced, so an append never rewrites what is there, and on read the first line
 * of a customer wins (two processes enrolling one customer at once cannot move the arm first written).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordOf, RecordType } from '../../domain/records';
import { nodeFileOps, writeFileAtomic, type FileOps } from '../../connectors/files/write-file-atomic';
import { tenantKey } from '../../domain/tenant';
import { scoreRunSchema, scoreSchema, type Score, type ScoreRun } from '../../domain/score';
import type { BucketRange, CustomerRecordType } from './customer-buckets';
import { readBucketedRecords } from './file-customer-records';
import { parseRecordLines } from './ndjson-records';
import type {
  OwnerTaskEpisode,
  PositionedRecords,
  RecordStore,
  StoredModel,
  WrittenValues,
} from './record-store';
import { StoreError } from './store-error';
import { plainlyStoredScore, segmentsOf } from './stored-scores';
import {
  assertScratchName,
  assertShardCount,
  assertShardNumber,
  missingShardsMessage,
  runIdPart,
  shardCountMessage,
} from './run-keys';

export { StoreError };

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readOptionalBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function countLines(bytes: Buffer): number {
  let lines = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
  return lines;
}

/**
 * The score run on the first line of a scores file (undefined when it does not parse) and the file's identity,
 * or undefined when there is no file. A ScoreRun line is a few hundred bytes.
 */
async function readScoresFileHead(
  path: string,
): Promise<{ run: ScoreRun | undefined; ino: number; mtimeMs: number } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { mtimeMs, ino } = await handle.stat();
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const end = head.subarray(0, bytesRead).indexOf(0x0a);
    const parsed = scoreRunSchema.safeParse(
      parseJsonOrUndefined(head.toString('utf8', 0, end === -1 ? bytesRead : end)),
    );
    return { run: parsed.success ? parsed.data : undefined, ino, mtimeMs };
  } finally {
    await handle.close();
  }
}

/** The run id on the first line of a scores file; undefined when there is none or it does not parse. */
async function readFirstLineRunId(path: string): Promise<string | undefined> {
  return (await readScoresFileHead(path))?.run?.runId;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Removes the run directories under `parent` untouched for ABANDONED_AFTER_MS (flows that never finished). */
async function removeAbandoned(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const before = Date.now() - ABANDONED_AFTER_MS;
  for (const name of names) {
    const dir = join(parent, name);
    const modified = await stat(dir).then(
      (info) => info.mtimeMs,
      () => Infinity,
    );
    if (modified < before) await rm(dir, { recursive: true, force: true });
  }
}

/** Replaced lines tolerated beyond the records' own count before a record file is compacted. */
const COMPACT_SLACK = 1000;

/**
 * An append cut short (the process killed mid-write) leaves a last line without its newline; the next append
 * would glue onto it and corrupt both. That unfinished line was never a stored record: cut it off.
 */
async function dropUnfinishedLine(path: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (size === 0) return;
  const handle = await open(path, 'r+');
  try {
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (tail[tail.length - 1] === 0x0a) return;
    let end = tail.lastIndexOf(0x0a);
    if (end >= 0) end += size - tail.length + 1;
    // No newline in the tail: an unfinished line longer than the tail (rare), found in the whole file.
    else if (size > tail.length) end = (await readFile(path)).lastIndexOf(0x0a) + 1;
    else end = 0;
    await handle.truncate(end);
  } finally {
    await handle.close();
  }
}

const SCORES_FILE = 'scores.ndjson';
const SHARDS_DIR = 'score-shards';
const SCRATCH_DIR = 'scratch';
/** A run's shard or scratch directory untouched this long belongs to a flow that will not finish. */
const ABANDONED_AFTER_MS = 24 * 3600 * 1000;
const MODEL_FILE = 'model.json';
const INTENTS_FILE = 'write-intents.json';
const EPISODES_FILE = 'owner-task-episodes.json';
const ENROLMENTS_DIR = 'enrolments';

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
      await mkdir(this.tenantDir(tenant), { recursive: true });
      let content = '';
      for (const record of records) content += `${JSON.stringify(record)}\n`;
      // Appended, not rewritten: a sync stores page by page, and rewriting the whole file for every page of
      // 100 made a 100,000-contact sync quadratic. A later line of an id replaces the earlier one on read.
      await dropUnfinishedLine(path);
      await appendFile(path, content, { encoding: 'utf8', mode: 0o600 });
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
    const { records, lines } = parseRecordLines<RecordOf<T>>(text, path);
    // Upserts append: once replaced lines outnumber the records, the file is rewritten without them.
    if (lines > 2 * records.length + COMPACT_SLACK) await this.compact(path);
    return records;
  }

  /** Rewrites a record file with one line per record (atomically), in first-stored order. */
  private async compact(path: string): Promise<void> {
    await this.serial(path, async () => {
      const text = await readOptional(path);
      if (text === undefined) return;
      let content = '';
      for (const record of parseRecordLines<{ id: string }>(text, path).records)
        content += `${JSON.stringify(record)}\n`;
      await writeFileAtomic(path, content, this.ops);
    });
  }

  async readCustomerRecords<T extends CustomerRecordType>(
    tenant: string,
    type: T,
    buckets: BucketRange,
  ): Promise<PositionedRecords<T>> {
    return readBucketedRecords(this.recordsPath(tenant, type), type, buckets);
  }

  /** Nothing to do: the bucketed copy of a record file is made when a range is first read (./file-customer-records). */
  async indexCustomerRecords(): Promise<void> {}

  async getCursor(tenant: string, name: string): Promise<string | undefined> {
    return (await this.readJson<Record<string, string>>(tenant, 'cursors.json'))[name];
  }

  async setCursor(tenant: string, name: string, value: string): Promise<void> {
    await this.updateJson<Record<string, string>>(tenant, 'cursors.json', (all) => ({
      ...all,
      [name]: value,
    }));
  }

  async deleteCursor(tenant: string, name: string): Promise<void> {
    if ((await this.getCursor(tenant, name)) === undefined) return;
    await this.updateJson<Record<string, string>>(tenant, 'cursors.json', (all) => {
      const { [name]: _removed, ...kept } = all;
      return kept;
    });
  }

  private enrolmentsPath(tenant: string, programId: string): string {
    return join(this.tenantDir(tenant), ENROLMENTS_DIR, `${enrolmentProgramPart(programId)}.ndjson`);
  }

  async readEnrolmentEntries(tenant: string, programId: string): Promise<Map<string, string>> {
    const path = this.enrolmentsPath(tenant, programId);
    const text = await readOptional(path);
    const entries = new Map<string, string>();
    if (text === undefined) return entries;
    const lines = text.split('\n');
    // The last piece is '' after a final newline, else an append still under way (or cut short): not stored.
    for (let i = 0; i < lines.length - 1; i++) {
      if (lines[i] === '') continue;
      const pair = parseJsonOrUndefined(lines[i]);
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[0] !== 'string' ||
        typeof pair[1] !== 'string'
      )
        throw new StoreError(
          `${path} line ${i + 1} is not a [customerId, entry] pair; fix or remove the line`,
        );
      if (!entries.has(pair[0])) entries.set(pair[0], pair[1]);
    }
    return entries;
  }

  async addEnrolmentEntries(
    tenant: string,
    programId: string,
    entries: readonly (readonly [string, string])[],
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const path = this.enrolmentsPath(tenant, programId);
    let added = 0;
    await this.serial(path, async () => {
      await mkdir(join(this.tenantDir(tenant), ENROLMENTS_DIR), { recursive: true });
      await dropUnfinishedLine(path);
      const enrolled = new Set((await this.readEnrolmentEntries(tenant, programId)).keys());
      let content = '';
      for (const [customerId, entry] of entries) {
        if (enrolled.has(customerId)) continue;
        enrolled.add(customerId);
        content += `${JSON.stringify([customerId, entry])}\n`;
        added++;
      }
      if (content !== '') await appendFile(path, content, { encoding: 'utf8', mode: 0o600 });
    });
    return added;
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

  async getOwnerTaskEpisodes(tenant: string): Promise<Record<string, OwnerTaskEpisode>> {
    return this.readJson<Record<string, OwnerTaskEpisode>>(tenant, EPISODES_FILE);
  }

  async setOwnerTaskEpisodes(tenant: string, episodes: Record<string, OwnerTaskEpisode>): Promise<void> {
    if (Object.keys(episodes).length === 0) return;
    await this.updateJson<Record<string, OwnerTaskEpisode>>(tenant, EPISODES_FILE, (all) => ({
      ...all,
      ...episodes,
    }));
  }

  async closeOwnerTaskEpisodes(tenant: string, ids: Iterable<string>): Promise<void> {
    const remove = new Set(ids);
    if (remove.size === 0) return;
    await this.updateJson<Record<string, OwnerTaskEpisode>>(tenant, EPISODES_FILE, (all) =>
      Object.fromEntries(Object.entries(all).filter(([id]) => !remove.has(id))),
    );
  }

  async putScoreRun(tenant: string, run: ScoreRun, scores: readonly Score[]): Promise<void> {
    if (scores.length !== run.customers)
      throw new StoreError(shardCountMessage(tenant, run, 1, scores.length));
    // One file, so a reader sees either the previous run or this one, never a mix.
    const path = join(this.tenantDir(tenant), SCORES_FILE);
    await this.serial(path, async () => {
      await mkdir(this.tenantDir(tenant), { recursive: true });
      let content = `${JSON.stringify(run)}\n`;
      for (const score of scores) content += `${JSON.stringify(score)}\n`;
      await writeFileAtomic(path, content, this.ops);
    });
  }

  async putScoreShard(tenant: string, runId: string, shard: number, scores: readonly Score[]): Promise<void> {
    assertShardNumber(shard);
    const dir = this.runDir(tenant, SHARDS_DIR, runId);
    const path = join(dir, `${shard}.ndjson`);
    await this.serial(path, async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      let content = '';
      for (const score of scores) content += `${JSON.stringify(score)}\n`;
      // Replaced whole: a shard written again (a retried job) never adds a second copy of its Scores.
      await writeFileAtomic(path, content, this.ops);
    });
  }

  async commitScoreRun(tenant: string, run: ScoreRun, shards: number): Promise<void> {
    assertShardCount(shards);
    const path = join(this.tenantDir(tenant), SCORES_FILE);
    const dir = this.runDir(tenant, SHARDS_DIR, run.runId);
    await this.serial(path, async () => {
      // A retried commit after one that succeeded: its shards are gone, the run is already the latest.
      if ((await readFirstLineRunId(path)) === run.runId) return;
      // Copied shard by shard into a temp file beside scores.ndjson, counted on the way; renamed over it only
      // when every shard was there and the count is the run's. A million Scores never sit in memory at once.
      const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      const missing: number[] = [];
      let count = 0;
      const out = await open(temp, 'w', 0o600);
      try {
        try {
          await out.write(`${JSON.stringify(run)}\n`);
          for (let i = 0; i < shards; i++) {
            const bytes = await readOptionalBytes(join(dir, `${i}.ndjson`));
            if (bytes === undefined) missing.push(i);
            else {
              count += countLines(bytes);
              if (missing.length === 0) await out.write(bytes);
            }
          }
        } finally {
          await out.close();
        }
        if (missing.length > 0)
          throw new StoreError(missingShardsMessage(tenant, run.runId, shards, missing));
        if (count !== run.customers) throw new StoreError(shardCountMessage(tenant, run, shards, count));
        await this.ops.rename(temp, path);
      } catch (error) {
        await this.ops.remove(temp);
        throw error;
      }
      await rm(dir, { recursive: true, force: true });
      await removeAbandoned(join(this.tenantDir(tenant), SHARDS_DIR));
    });
  }

  /**
   * The latest run's header: the first line of scores.ndjson (read up to its end only), with the file's
   * modification time as the commit (a same-id replacement is a new file). Undefined: never scored.
   */
  async readScoreRunHeader(tenant: string): Promise<{ run: ScoreRun; commit: string } | undefined> {
    const path = join(this.tenantDir(tenant), SCORES_FILE);
    const head = await readScoresFileHead(path);
    if (head === undefined) return undefined;
    if (head.run === undefined)
      throw new StoreError(`${path} line 1 is not a valid score run; rescore the tenant`);
    return { run: head.run, commit: `${head.run.runId}@${head.ino}:${head.mtimeMs}` };
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
    // Checked by hand first (./stored-scores); the schema only for one that does not pass, for its verdict.
    const storedScore = {
      safeParse: (v: unknown) =>
        plainlyStoredScore(v) ? { success: true as const, data: v } : scoreSchema.safeParse(v),
    };
    const scores: Score[] = [];
    for (let i = 1; i < lines.length; i++)
      if (lines[i].trim() !== '') scores.push(parse<Score>(i, storedScore));
    // A file cut short (a full disk, a killed copy) must not pass for the whole run.
    if (scores.length !== run.customers)
      throw new StoreError(
        `${path} holds ${scores.length} scores but its run has ${run.customers}; rescore the tenant`,
      );
    return { run, scores };
  }

  async readScoreSegments(tenant: string): Promise<Map<string, string> | undefined> {
    return segmentsOf((await this.readScoreRun(tenant))?.scores);
  }

  /** One file holds the run: part 0 reads it all, the other parts nothing (a file store's tenants are small). */
  async readScoreSegmentsPart(
    tenant: string,
    part: number,
    parts: number,
  ): Promise<{ commit: string; segments: Map<string, string> } | undefined> {
    assertShardNumber(part);
    if (part >= parts) throw new StoreError(`score segments part ${part} is not one of ${parts}`);
    const header = await this.readScoreRunHeader(tenant);
    if (header === undefined) return undefined;
    const segments = part === 0 ? await this.readScoreSegments(tenant) : new Map<string, string>();
    const after = await this.readScoreRunHeader(tenant);
    if (segments === undefined || after?.commit !== header.commit)
      throw new StoreError(`${tenant}: its score run was replaced while its segments were read; read again`);
    return { commit: header.commit, segments };
  }

  async putRunScratch(tenant: string, runId: string, name: string, bytes: Buffer): Promise<void> {
    assertScratchName(name);
    const dir = this.runDir(tenant, SCRATCH_DIR, runId);
    const path = join(dir, name);
    await this.serial(path, async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // A name is letters, digits, '-' and '_': the temp name (with dots) can never be another value's.
      const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temp, bytes, { mode: 0o600 });
        await this.ops.rename(temp, path);
      } catch (error) {
        await this.ops.remove(temp);
        throw error;
      }
    });
    await removeAbandoned(join(this.tenantDir(tenant), SCRATCH_DIR));
  }

  async getRunScratch(tenant: string, runId: string, name: string): Promise<Buffer | undefined> {
    assertScratchName(name);
    return readOptionalBytes(join(this.runDir(tenant, SCRATCH_DIR, runId), name));
  }

  async dropRunScratch(tenant: string, runId: string): Promise<void> {
    await rm(this.runDir(tenant, SCRATCH_DIR, runId), { recursive: true, force: true });
  }

  async putTenantReport(tenant: string, name: string, json: string): Promise<void> {
    const path = join(this.tenantDir(tenant), `report-${reportName(name)}.json`);
    await this.serial(path, async () => {
      await mkdir(this.tenantDir(tenant), { recursive: true });
      await writeFileAtomic(path, json, this.ops);
    });
  }

  async getTenantReport(tenant: string, name: string): Promise<string | undefined> {
    return readOptional(join(this.tenantDir(tenant), `report-${reportName(name)}.json`));
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

  private runDir(tenant: string, kind: string, runId: string): string {
    return join(this.tenantDir(tenant), kind, runIdPart(runId));
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

/** A report name as a file or key part: letters, digits and '-' only, so it can name no other file. */
export function reportName(name: string): string {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(name))
    throw new StoreError(`report name must be letters, digits and '-', got '${name}'`);
  return name;
}

/** A retention program id as a file or key part: letters, digits and '-' only (the program config's rule). */
export function enrolmentProgramPart(programId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(programId))
    throw new StoreError(`retention program id must be letters, digits and '-', got '${programId}'`);
  return programId;
}
