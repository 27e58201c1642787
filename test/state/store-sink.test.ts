import type { Order, ServiceCase } from '../../domain/records';
import { FileRecordStore } from '../../worker/state';
import { storeSink } from '../../worker/state/store-sink';
import { customerRecord } from '../helpers/customer-record';
import { tempDir } from '../helpers/run-cli';

const order = (id: string, customerId: string): Order => ({
  id,
  customerId,
  placedAt: '2026-01-02T00:00:00.000Z',
  amount: 10,
  currency: 'USD',
  status: 'won',
});
const serviceCase = (id: string, customerId: string): ServiceCase => ({
  id,
  customerId,
  openedAt: '2026-01-03T00:00:00.000Z',
});

async function seeded() {
  const store = new FileRecordStore(tempDir('store-sink'));
  const sink = storeSink(store, 't1');
  await sink.apply({
    kind: 'upsert',
    type: 'customer',
    records: ['a', 'b', 'c'].map((id) => customerRecord(id)),
  });
  await sink.apply({
    kind: 'upsert',
    type: 'order',
    records: [order('o1', 'a'), order('o2', 'b'), order('o3', 'a')],
  });
  await sink.apply({
    kind: 'upsert',
    type: 'serviceCase',
    records: [serviceCase('s1', 'a'), serviceCase('s2', 'c')],
  });
  return { store, sink };
}

const ids = (records: { id: string }[]) => records.map((r) => r.id);

describe('storeSink', () => {
  it('keeps only what a full read saw, and counts what went', async () => {
    const { store, sink } = await seeded();
    expect(await sink.apply({ kind: 'retain-only', type: 'customer', keep: new Set(['b', 'x']) })).toEqual({
      customer: 2,
    });
    expect(ids(await store.readRecords('t1', 'customer'))).toEqual(['b']);
  });

  it("removes a customer's orders and cases with it when asked, and only then", async () => {
    const { store, sink } = await seeded();
    expect(await sink.apply({ kind: 'remove', type: 'customer', ids: ['a'], withDependents: true })).toEqual({
      customer: 1,
      order: 2,
      serviceCase: 1,
      activity: 0,
      campaignMember: 0,
    });
    expect(ids(await store.readRecords('t1', 'order'))).toEqual(['o2']);
    expect(ids(await store.readRecords('t1', 'serviceCase'))).toEqual(['s2']);
    await sink.apply({ kind: 'remove', type: 'customer', ids: ['b'] });
    expect(ids(await store.readRecords('t1', 'order'))).toEqual(['o2']);
  });

  it('stores cursors where the adapter reads them back, per tenant', async () => {
    const { store, sink } = await seeded();
    await sink.apply({ kind: 'cursor', name: 'hubspot:contacts', value: '42' });
    expect(await sink.cursor('hubspot:contacts')).toBe('42');
    expect(await storeSink(store, 't2').cursor('hubspot:contacts')).toBeUndefined();
  });
});
