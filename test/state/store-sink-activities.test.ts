/**
 * The store sink's engagement recount and dependents, against both stores (file and Redis): counters are
 * recounted from the stored activities, so an activity re-sent, moved to another customer or deleted is
 * counted exactly where it belongs now. Expectations are worked out by hand from domain/engagement.ts's table
 * (email → emailOpens, call and meeting → visits, lastEngagedAt the latest).
 */
import type { Activity, CampaignMember, Deal } from '../../domain/records';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../../worker/state';
import { storeSink } from '../../worker/state/store-sink';
import { customerRecord } from '../helpers/customer-record';
import { tempDir } from '../helpers/run-cli';
import { testRedis } from '../helpers/test-redis';

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-05T10:00:00.000Z';
const T3 = '2026-03-09T10:00:00.000Z';
const activity = (id: string, customerId: string, kind: Activity['kind'], occurredAt: string): Activity => ({
  id,
  customerId,
  kind,
  occurredAt,
});
const engagement = (emailOpens: number, visits: number, lastEngagedAt: string) => ({
  pageViews: 0,
  visits,
  emailOpens,
  emailClicks: 0,
  socialClicks: 0,
  lastEngagedAt,
});
const member = (id: string, campaignId: string, customerId: string): CampaignMember => ({
  id,
  campaignId,
  customerId,
  joinedAt: T1,
});
const deal = (id: string, customerId: string): Deal => ({
  id,
  customerId,
  ownerId: 'u1',
  amount: 10,
  currency: 'USD',
  createdAt: T1,
  stage: 'Prospecting',
  status: 'open',
});

const stores: [string, () => Promise<{ store: RecordStore; cleanup: () => Promise<void> }>][] = [
  [
    'file store',
    async () => ({ store: new FileRecordStore(tempDir('sink-activities')), cleanup: async () => {} }),
  ],
  [
    'Redis store',
    async () => {
      const { redis, prefix, cleanup } = await testRedis();
      return { store: new RedisRecordStore({ redis, prefix }), cleanup };
    },
  ],
];

describe.each(stores)('storeSink activities and dependents (%s)', (_name, makeStore) => {
  let store: RecordStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeStore());
    await store.putRecords(
      't',
      'customer',
      ['c1', 'c2', 'c3'].map((id) => customerRecord(id)),
    );
  });
  afterEach(() => cleanup());

  const engagementOf = async (id: string) =>
    (await store.readRecords('t', 'customer')).find((c) => c.id === id)?.engagement;

  it('recounts the customers whose activities were added, moved, re-sent or deleted', async () => {
    const sink = storeSink(store, 't');
    const first = {
      kind: 'activities' as const,
      upsert: [
        activity('a1', 'c1', 'email', T1),
        activity('a2', 'c1', 'call', T2),
        activity('a3', 'c2', 'meeting', T3),
      ],
      remove: [],
      recount: [],
    };
    await sink.apply(first);
    expect(await engagementOf('c1')).toEqual(engagement(1, 1, T2));
    expect(await engagementOf('c2')).toEqual(engagement(0, 1, T3));
    expect(await engagementOf('c3')).toBeUndefined();

    // The same change again (a retried sync): nothing is counted twice.
    await sink.apply(first);
    expect(await engagementOf('c1')).toEqual(engagement(1, 1, T2));

    // The call moves to c2: c1 loses it (and its latest time), c2 gains it.
    await sink.apply({
      kind: 'activities',
      upsert: [activity('a2', 'c2', 'call', T2)],
      remove: [],
      recount: [],
    });
    expect(await engagementOf('c1')).toEqual(engagement(1, 0, T1));
    expect(await engagementOf('c2')).toEqual(engagement(0, 2, T3));

    // c1's only activity is deleted: no engagement left. An unknown id removes nothing.
    expect(await sink.apply({ kind: 'activities', upsert: [], remove: ['a1', 'zz'], recount: [] })).toEqual({
      activity: 1,
    });
    expect(await engagementOf('c1')).toBeUndefined();
    expect((await store.readRecords('t', 'activity')).map((a) => a.id).sort()).toEqual(['a2', 'a3']);
  });

  it('gives a customer stored again without engagement its counters back when named for a recount', async () => {
    const sink = storeSink(store, 't');
    await sink.apply({
      kind: 'activities',
      upsert: [activity('a1', 'c3', 'meeting', T2)],
      remove: [],
      recount: [],
    });
    await sink.apply({
      kind: 'upsert',
      type: 'customer',
      records: [customerRecord('c3', { firstName: 'New' })],
    });
    expect(await engagementOf('c3')).toBeUndefined();
    await sink.apply({ kind: 'activities', upsert: [], remove: [], recount: ['c3', 'gone'] });
    const c3 = (await store.readRecords('t', 'customer')).find((c) => c.id === 'c3');
    expect(c3).toMatchObject({ firstName: 'New', engagement: engagement(0, 1, T2) });
  });

  it('a removed customer takes its activities and memberships along, and leaves its deals unattributed', async () => {
    const sink = storeSink(store, 't');
    await sink.apply({
      kind: 'activities',
      upsert: [activity('a1', 'c1', 'email', T1), activity('a2', 'c2', 'email', T1)],
      remove: [],
      recount: [],
    });
    await sink.apply({
      kind: 'upsert',
      type: 'campaignMember',
      records: [member('m1', 'k1', 'c1'), member('m2', 'k1', 'c2')],
    });
    await sink.apply({ kind: 'upsert', type: 'deal', records: [deal('d1', 'c1'), deal('d2', 'c2')] });
    expect(
      await sink.apply({ kind: 'remove', type: 'customer', ids: ['c1'], withDependents: true }),
    ).toMatchObject({
      customer: 1,
      activity: 1,
      campaignMember: 1,
    });
    expect((await store.readRecords('t', 'activity')).map((a) => a.id)).toEqual(['a2']);
    expect((await store.readRecords('t', 'campaignMember')).map((m) => m.id)).toEqual(['m2']);
    const deals = await store.readRecords('t', 'deal');
    expect(deals.find((d) => d.id === 'd1')).not.toHaveProperty('customerId');
    expect(deals.find((d) => d.id === 'd2')?.customerId).toBe('c2');

    // A removed campaign takes its members along.
    await sink.apply({ kind: 'upsert', type: 'campaignMember', records: [member('m3', 'k2', 'c2')] });
    expect(await sink.apply({ kind: 'remove', type: 'campaign', ids: ['k1'], withDependents: true })).toEqual(
      {
        campaign: 0,
        campaignMember: 1,
      },
    );
    expect((await store.readRecords('t', 'campaignMember')).map((m) => m.id)).toEqual(['m3']);
  });
});
