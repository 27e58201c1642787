/**
 * readCustomerRecords for the file store. A record file (`<type>.ndjson`) is appended to in sync order, so the
 * records of some customers are spread all over it. The first read of a range after the file changed splits it
 * by customer bucket into `by-customer/<type>/<version>/<group>.ndjson` (a group is GROUP_BUCKETS buckets; each
 * line `[position, record]`), and every later range reads only its groups. `<version>` is the record file's
 * size, modification time and inode: any append, delete or compaction makes a new version, so a split never
 * answers for records it does not hold; older versions are removed when a new one is made.
 *
 * The split is written to a temp directory and renamed into place, so a reader sees a whole split or none; two
 * processes splitting one version at once both write the same content and the second rename gives way.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RecordOf } from '../../domain/records';
import { customerBucket, inBuckets, type BucketRange, type CustomerRecordType } from './customer-buckets';
import { parseRecordLines } from './ndjson-records';
import type { PositionedRecords } from './record-store';
import { StoreError } from './store-error';

/** Buckets per split file: 64 files for a whole tenant, ~16,000 customers each at a million. */
const GROUP_BUCKETS = 16;

/** Times a read starts over when the record file changed while it was split or read. */
const ATTEMPTS = 5;

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

async function versionOf(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.size}-${info.mtimeNs}-${info.ino}`;
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readBucketedRecords<T extends CustomerRecordType>(
  recordsPath: string,
  type: T,
  buckets: BucketRange,
): Promise<PositionedRecords<T>> {
  const splits = join(dirname(recordsPath), 'by-customer', type);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const version = await versionOf(recordsPath);
    if (version === undefined) return { records: [], positions: [] };
    const dir = join(splits, version);
    try {
      const read = await readSplit<T>(dir, type, buckets);
      if ((await versionOf(recordsPath)) === version) return read;
    } catch (error) {
      // No split of this version yet, or another process removed it for a newer one: (re)make it below.
      if (errno(error) !== 'ENOENT') throw error;
    }
    if (!(await split(recordsPath, type, dir, version))) continue;
    await removeOtherVersions(splits, version);
  }
  throw new StoreError(`${recordsPath} kept changing while it was read by customer; read it again`);
}

function bucketOf(
  type: CustomerRecordType,
  record: { id?: unknown; customerId?: unknown },
  where: string,
): number {
  const customer = type === 'customer' ? record.id : record.customerId;
  if (typeof customer !== 'string' || customer === '')
    throw new StoreError(`${where} has no ${type === 'customer' ? 'id' : 'customerId'}; run a full sync`);
  return customerBucket(customer);
}

/** Splits the file as it is now into `dir`; false when the file changed meanwhile (nothing is kept then). */
async function split(
  recordsPath: string,
  type: CustomerRecordType,
  dir: string,
  version: string,
): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(recordsPath, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return false;
    throw error;
  }
  if ((await versionOf(recordsPath)) !== version) return false;
  const { records } = parseRecordLines<{ id?: unknown; customerId?: unknown }>(text, recordsPath);
  const groups = new Map<number, string[]>();
  records.forEach((record, position) => {
    const group = Math.floor(bucketOf(type, record, `${recordsPath} record ${position + 1}`) / GROUP_BUCKETS);
    let lines = groups.get(group);
    if (lines === undefined) groups.set(group, (lines = []));
    lines.push(JSON.stringify([position, record]));
  });
  const temp = `${dir}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(temp, { recursive: true, mode: 0o700 });
  try {
    for (const [group, lines] of groups)
      await writeFile(join(temp, `${group}.ndjson`), `${lines.join('\n')}\n`, { mode: 0o600 });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // Another process made this version first: its split is the same.
    if (errno(error) !== 'EEXIST' && errno(error) !== 'ENOTEMPTY') throw error;
  }
  return true;
}

async function readSplit<T extends CustomerRecordType>(
  dir: string,
  type: T,
  buckets: BucketRange,
): Promise<PositionedRecords<T>> {
  // The directory must exist even when the range's groups have no file (no customer of theirs).
  await stat(dir);
  const found: { position: number; record: RecordOf<T> }[] = [];
  const first = Math.floor(buckets.from / GROUP_BUCKETS);
  const last = Math.floor((buckets.to - 1) / GROUP_BUCKETS);
  for (let group = first; group <= last && buckets.to > buckets.from; group++) {
    const path = join(dir, `${group}.ndjson`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errno(error) === 'ENOENT') {
        await stat(dir);
        continue;
      }
      throw error;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const [position, record] = JSON.parse(line) as [number, RecordOf<T>];
      if (inBuckets(bucketOf(type, record, path), buckets)) found.push({ position, record });
    }
  }
  found.sort((a, b) => a.position - b.position);
  return { records: found.map((f) => f.record), positions: found.map((f) => f.position) };
}

/** A temp split this old was left by a process that died while writing it. */
const ABANDONED_TEMP_MS = 3600_000;

async function removeOtherVersions(splits: string, keep: string): Promise<void> {
  const names = await readdir(splits).catch(() => [] as string[]);
  for (const name of names) {
    if (name === keep) continue;
    const path = join(splits, name);
    if (name.endsWith('.tmp')) {
      const modified = await stat(path).then(
        (info) => info.mtimeMs,
        () => Date.now(),
      );
      if (Date.now() - modified < ABANDONED_TEMP_MS) continue;
    }
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}
