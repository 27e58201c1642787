import { appendFile, mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileOps } from '../../connectors/files/write-file-atomic';
import { tenantKey } from '../../domain/tenant';
import { FileRecordStore } from '../../worker/state';
import type { Customer, Product } from '../../domain/records';
import { bucketRange } from '../../worker/state/customer-buckets';
import { order, score, scoreRun } from './record-store-contract';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const customer = (id: string, email: string): Customer => ({
  id,
  tenant: 'portal 1',
  source: 'hubspot',
  externalId: id,
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-02T10:00:00.000Z',
  email,
  engagement: { pageViews: 3, visits: 2, emailOpens: 1, emailClicks: 0, socialClicks: 0 },
});

describe('FileRecordStore', () => {
  it('splits a record file by customer once per version of it, and never answers from an older split', async () => {
    const store = new FileRecordStore(dir);
    const all = bucketRange(0, 1);
    const orders = Array.from({ length: 50 }, (_, i) => order(`o${i}`, `c${i % 20}`));
    await store.putRecords('t', 'order', orders);
    expect((await store.readCustomerRecords('t', 'order', all)).records).toEqual(orders);
    const splits = join(dir, tenantKey('t'), 'by-customer', 'order');
    const [first] = await readdir(splits);
    // Read again, nothing changed: the same split, not made again.
    const made = (await stat(join(splits, first))).mtimeMs;
    await store.readCustomerRecords('t', 'order', bucketRange(1, 2));
    expect(await readdir(splits)).toEqual([first]);
    expect((await stat(join(splits, first))).mtimeMs).toBe(made);
    // An upsert appends: the next read splits the new version and removes the old one.
    await store.putRecords('t', 'order', [order('o3', 'c19', 77), order('o50', 'c0')]);
    const after = (await store.readCustomerRecords('t', 'order', all)).records;
    expect(after).toEqual(await store.readRecords('t', 'order'));
    expect(after.find((o) => o.id === 'o3')).toEqual(order('o3', 'c19', 77));
    expect(await readdir(splits)).toHaveLength(1);
    expect(await readdir(splits)).not.toEqual([first]);
  });

  it('round-trips records, one NDJSON file per type per tenant', async () => {
    const store = new FileRecordStore(dir);
    const products: Product[] = [
      { id: 'p1', name: 'Tea', category: 'drinks', price: 4.5 },
      { id: 'p2', name: 'Cup' },
    ];
    await store.putRecords('portal 1', 'customer', [customer('1', 'a@x.com'), customer('2', 'b@x.com')]);
    await store.putRecords('portal 1', 'product', products);
    await store.putRecords('other', 'product', [{ id: 'p9', name: 'Other' }]);

    const reopened = new FileRecordStore(dir);
    expect(await reopened.readRecords('portal 1', 'customer')).toEqual([
      customer('1', 'a@x.com'),
      customer('2', 'b@x.com'),
    ]);
    expect(await reopened.readRecords('portal 1', 'product')).toEqual(products);
    expect(await reopened.readRecords('other', 'product')).toEqual([{ id: 'p9', name: 'Other' }]);
    expect(await reopened.readRecords('portal 1', 'order')).toEqual([]);

    const text = await readFile(reopened.recordsPath('portal 1', 'product'), 'utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Product),
    ).toEqual(products);
    expect(await readdir(join(dir, tenantKey('portal 1')))).toEqual(['customer.ndjson', 'product.ndjson']);
  });

  it('upserts by id: a re-synced record replaces the old one, others stay in place', async () => {
    const store = new FileRecordStore(dir);
    await store.putRecords('t', 'customer', [customer('1', 'old@x.com'), customer('2', 'b@x.com')]);
    await store.putRecords('t', 'customer', [customer('1', 'new@x.com'), customer('3', 'c@x.com')]);
    const all = await store.readRecords('t', 'customer');
    expect(all.map((c) => [c.id, c.email])).toEqual([
      ['1', 'new@x.com'],
      ['2', 'b@x.com'],
      ['3', 'c@x.com'],
    ]);
  });

  it('rewrites a record file atomically (a removal): content goes to a temp file beside it, then is renamed', async () => {
    const renames: [string, string][] = [];
    let target = '';
    const store = new FileRecordStore(dir, {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (target !== '') {
          renames.push([from, to]);
          // Before the rename, the visible file still holds the complete old content.
          expect(await readFile(target, 'utf8')).toBe('{"id":"p1","name":"Tea"}\n{"id":"p2","name":"Cup"}\n');
          expect(await readFile(from, 'utf8')).toBe('{"id":"p2","name":"Cup"}\n');
        }
        await nodeFileOps.rename(from, to);
      },
    });
    await store.putRecords('t', 'product', [{ id: 'p1', name: 'Tea' }]);
    await store.putRecords('t', 'product', [{ id: 'p2', name: 'Cup' }]);
    target = store.recordsPath('t', 'product');
    expect(await store.deleteRecords('t', 'product', ['p1'])).toBe(1);
    expect(renames).toHaveLength(1);
    const [from, to] = renames[0];
    expect(to).toBe(target);
    expect(from).toMatch(/\.tmp$/);
    expect(join(from, '..')).toBe(join(target, '..'));
    expect(await store.readRecords('t', 'product')).toEqual([{ id: 'p2', name: 'Cup' }]);
  });

  it('appends upserts, drops a line an interrupted append left unfinished, and compacts replaced lines', async () => {
    const store = new FileRecordStore(dir);
    const path = store.recordsPath('t', 'product');
    await store.putRecords('t', 'product', [{ id: 'p1', name: 'Tea' }]);
    // A process killed mid-append: half a line, no newline.
    await appendFile(path, '{"id":"p9","na');
    await store.putRecords('t', 'product', [{ id: 'p2', name: 'Cup' }]);
    expect(await readFile(path, 'utf8')).toBe('{"id":"p1","name":"Tea"}\n{"id":"p2","name":"Cup"}\n');
    // 3,000 upserts of two ids: the file is compacted once replaced lines exceed the records by 1,000.
    for (let i = 0; i < 1500; i++)
      await store.putRecords('t', 'product', [
        { id: 'p2', name: `Cup ${i}` },
        { id: 'p1', name: `Tea ${i}` },
      ]);
    const records = await store.readRecords('t', 'product');
    expect(records).toEqual([
      { id: 'p1', name: 'Tea 1499' },
      { id: 'p2', name: 'Cup 1499' },
    ]);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length;
    expect(lines).toBe(2);
  });

  it('leaves no temp files behind and serialises concurrent puts to one file', async () => {
    const store = new FileRecordStore(dir);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.putRecords('t', 'rep', [{ id: `r${i}`, name: `Rep ${i}` }])),
    );
    expect((await store.readRecords('t', 'rep')).map((r) => r.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${i}`).sort(),
    );
    expect((await readdir(join(dir, 't'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stores sync cursors and merges last-written values per contact', async () => {
    const store = new FileRecordStore(dir);
    expect(await store.getCursor('t', 'hubspot:contacts')).toBeUndefined();
    await store.setCursor('t', 'hubspot:contacts', '100');
    await store.setCursor('t', 'hubspot:deals', '200');
    await store.setCursor('t', 'hubspot:contacts', '150');
    expect(await store.getCursor('t', 'hubspot:contacts')).toBe('150');
    expect(await store.getCursor('t', 'hubspot:deals')).toBe('200');

    expect(await store.getWrittenValues('t')).toEqual({});
    await store.setWrittenValues('t', {
      '1': { clv_segment: 'a', clv_rfm_score: '545' },
      '2': { clv_segment: 'b' },
    });
    await store.setWrittenValues('t', { '1': { clv_segment: 'c' } });
    expect(await new FileRecordStore(dir).getWrittenValues('t')).toEqual({
      '1': { clv_segment: 'c', clv_rfm_score: '545' },
      '2': { clv_segment: 'b' },
    });
  });

  it('keeps shards and scratch under the tenant, owner-only, and removes the shards once committed', async () => {
    const store = new FileRecordStore(dir);
    const tenantDir = join(dir, tenantKey('portal 1'));
    await store.putScoreShard('portal 1', 'run:1', 1, [score('c2')]);
    await store.putScoreShard('portal 1', 'run:1', 0, [score('c1')]);
    await store.putRunScratch('portal 1', 'run:1', 'model', Buffer.from([0, 1, 255]));
    expect(await readdir(join(tenantDir, 'score-shards', 'run%3a1'))).toEqual(['0.ndjson', '1.ndjson']);
    expect(await readdir(join(tenantDir, 'scratch', 'run%3a1'))).toEqual(['model']);
    const scratch = await stat(join(tenantDir, 'scratch', 'run%3a1', 'model'));
    expect(scratch.mode & 0o777).toBe(0o600);

    await store.commitScoreRun('portal 1', scoreRun('run:1', 2, 'portal 1'), 2);
    expect((await readFile(join(tenantDir, 'scores.ndjson'), 'utf8')).split('\n')).toEqual([
      JSON.stringify(scoreRun('run:1', 2, 'portal 1')),
      JSON.stringify(score('c1')),
      JSON.stringify(score('c2')),
      '',
    ]);
    expect((await stat(join(tenantDir, 'scores.ndjson'))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(tenantDir, 'score-shards'))).toEqual([]);
    await store.dropRunScratch('portal 1', 'run:1');
    expect(await readdir(join(tenantDir, 'scratch'))).toEqual([]);
    expect((await readdir(tenantDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no temp file when a commit is refused', async () => {
    const store = new FileRecordStore(dir);
    await store.putScoreShard('t', 'run-1', 0, [score('c1')]);
    await expect(store.commitScoreRun('t', scoreRun('run-1', 1), 2)).rejects.toThrow(
      /shard 1 of 2 is missing/,
    );
    expect(await readdir(join(dir, 't'))).toEqual(['score-shards']);
  });

  it('removes the shards and scratch of runs untouched for a day when another run commits or stores scratch', async () => {
    const store = new FileRecordStore(dir);
    await store.putScoreShard('t', 'abandoned', 0, [score('c1')]);
    await store.putScoreShard('t', 'recent', 0, [score('c1')]);
    await store.putRunScratch('t', 'abandoned', 'model', Buffer.from('m'));
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await utimes(join(dir, 't', 'score-shards', 'abandoned'), dayAgo, dayAgo);
    await utimes(join(dir, 't', 'scratch', 'abandoned'), dayAgo, dayAgo);

    await store.putScoreShard('t', 'run-1', 0, []);
    await store.commitScoreRun('t', scoreRun('run-1', 0), 1);
    expect(await readdir(join(dir, 't', 'score-shards'))).toEqual(['recent']);
    await store.putRunScratch('t', 'run-1', 'model', Buffer.from('m'));
    expect(await readdir(join(dir, 't', 'scratch'))).toEqual(['run-1']);
  });
});
