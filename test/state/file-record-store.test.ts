import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileOps } from '../../connectors/files/write-file-atomic';
import { tenantKey } from '../../domain/tenant';
import { FileRecordStore } from '../../worker/state';
import type { Customer, Product } from '../../domain/records';

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
});
