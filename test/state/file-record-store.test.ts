import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

  it('replaces files atomically: content goes to a temp file in the same directory, then is renamed', async () => {
    const renames: [string, string][] = [];
    let target = '';
    const store = new FileRecordStore(dir, {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (target !== '') {
          renames.push([from, to]);
          // Before the rename, the visible file still holds the complete old content.
          expect(await readFile(target, 'utf8')).toBe('{"id":"p1","name":"Tea"}\n');
          expect(await readFile(from, 'utf8')).toContain('"p2"');
        }
        await nodeFileOps.rename(from, to);
      },
    });
    await store.putRecords('t', 'product', [{ id: 'p1', name: 'Tea' }]);
    target = store.recordsPath('t', 'product');
    await store.putRecords('t', 'product', [{ id: 'p2', name: 'Cup' }]);
    expect(renames).toHaveLength(1);
    const [from, to] = renames[0];
    expect(to).toBe(target);
    expect(from).toMatch(/\.tmp$/);
    expect(join(from, '..')).toBe(join(target, '..'));
    expect(await store.readRecords('t', 'product')).toEqual([
      { id: 'p1', name: 'Tea' },
      { id: 'p2', name: 'Cup' },
    ]);
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
