/**
 * The behaviour every RecordStore shares, run against each implementation (file, Redis) so they cannot
 * drift apart. Each test gets a fresh, empty store from `makeStore` and cleans it up afterwards.
 */
import type { Customer, Order, Product, ServiceCase } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import type { RecordStore } from '../../worker/state';
import { bucketRange, CUSTOMER_BUCKETS, customerBucket } from '../../worker/state/customer-buckets';

export type StoreUnderTest = { store: RecordStore; cleanup(): Promise<void> };

export const customer = (id: string, email = `${id}@example.com`): Customer => ({
  id,
  tenant: 't',
  source: 'hubspot',
  externalId: id,
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-02T10:00:00.000Z',
  email,
});

export const order = (id: string, customerId: string, amount = 10): Order => ({
  id,
  customerId,
  placedAt: '2024-05-01T10:00:00.000Z',
  amount,
  currency: 'USD',
  status: 'won',
});

const serviceCase = (id: string, customerId: string): ServiceCase => ({
  id,
  customerId,
  openedAt: '2024-05-03T10:00:00.000Z',
});

export const score = (customerId: string, clvPredicted = 5.5): Score => ({
  customerId,
  clvHistoric: 10,
  clvPredicted,
  expectedOrders: 1.2,
  pAlive: 0.8,
  modelVersion: 'bgnbd/0.1.0',
  scoredAt: '2026-01-01T00:00:00.000Z',
});

export const scoreRun = (runId: string, customers: number, tenant = 't'): ScoreRun => ({
  runId,
  tenant,
  source: 'hubspot',
  scoredAt: '2026-01-01T00:00:00.000Z',
  modelVersion: 'bgnbd/0.1.0',
  clvMonths: 12,
  currency: 'USD',
  customers,
});

const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

export function describeRecordStore(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name} (RecordStore contract)`, () => {
    let store: RecordStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('round-trips records per type in first-stored order', async () => {
      const products: Product[] = [
        { id: 'p2', name: 'Cup' },
        { id: 'p1', name: 'Tea', category: 'drinks', price: 4.5 },
      ];
      await store.putRecords('t', 'customer', [customer('c3'), customer('c1'), customer('c2')]);
      await store.putRecords('t', 'customer', [customer('c0')]);
      await store.putRecords('t', 'product', products);
      await store.putRecords('t', 'order', []);

      expect(await store.readRecords('t', 'customer')).toEqual([
        customer('c3'),
        customer('c1'),
        customer('c2'),
        customer('c0'),
      ]);
      expect(await store.readRecords('t', 'product')).toEqual(products);
      expect(await store.readRecords('t', 'order')).toEqual([]);
      expect(await store.readRecords('t', 'rep')).toEqual([]);
      expect(await store.readRecordIds('t', 'customer')).toEqual(['c3', 'c1', 'c2', 'c0']);
      expect(await store.readRecordIds('t', 'rep')).toEqual([]);
    });

    it('upserts by id: a stored id is replaced in place, a repeated id in one batch keeps the last', async () => {
      await store.putRecords('t', 'customer', [customer('1', 'old@x.com'), customer('2')]);
      await store.putRecords('t', 'customer', [
        customer('3'),
        customer('1', 'new@x.com'),
        customer('3', 'last@x.com'),
      ]);
      const all = await store.readRecords('t', 'customer');
      expect(all.map((c) => [c.id, c.email])).toEqual([
        ['1', 'new@x.com'],
        ['2', '2@example.com'],
        ['3', 'last@x.com'],
      ]);
    });

    it('deletes by id, returns how many it removed and ignores absent ids', async () => {
      await store.putRecords('t', 'customer', [customer('1'), customer('2'), customer('3')]);
      expect(await store.deleteRecords('t', 'customer', ['2', 'absent', '2'])).toBe(1);
      expect(await store.deleteRecords('t', 'customer', new Set(['absent']))).toBe(0);
      expect(await store.deleteRecords('t', 'customer', [])).toBe(0);
      expect(await store.deleteRecords('t', 'order', ['1'])).toBe(0);
      expect(ids(await store.readRecords('t', 'customer'))).toEqual(['1', '3']);

      // A deleted id stored again is new: it goes to the end.
      await store.putRecords('t', 'customer', [customer('2')]);
      expect(ids(await store.readRecords('t', 'customer'))).toEqual(['1', '3', '2']);
      expect(await store.deleteRecords('t', 'customer', ['1', '3', '2'])).toBe(3);
      expect(await store.readRecords('t', 'customer')).toEqual([]);
    });

    it.each([
      ['a', 'b'],
      ['hubspot-1', 'hubspot-1:x'],
      ['hubspot-1:x', 'hubspot-1'],
      ['csv/1', 'csv%2f1'],
      ['x}y', 'x'],
    ])('keeps tenants apart: nothing stored for %p is visible for %p', async (a, b) => {
      await store.putRecords(a, 'customer', [customer('c1')]);
      await store.setCursor(a, 'hubspot:contacts', 'cursor-a');
      await store.setWrittenValues(a, { c1: { crm_clv: '10' } });
      await store.putScoreRun(a, scoreRun('run-a', 1, a), [score('c1')]);
      await store.putModel(a, { version: 'v-a', trainedAt: '2026-01-01T00:00:00.000Z' });

      expect(await store.readRecords(b, 'customer')).toEqual([]);
      expect(await store.getCursor(b, 'hubspot:contacts')).toBeUndefined();
      expect(await store.getWrittenValues(b)).toEqual({});
      expect(await store.readScoreRun(b)).toBeUndefined();
      expect(await store.getModel(b)).toBeUndefined();
      expect(await store.deleteRecords(b, 'customer', ['c1'])).toBe(0);

      await store.putRecords(b, 'customer', [customer('c2')]);
      await store.setCursor(b, 'hubspot:contacts', 'cursor-b');
      await store.setWrittenValues(b, { c1: { crm_clv: '20' } });
      await store.putScoreRun(b, scoreRun('run-b', 0, b), []);
      await store.putModel(b, { version: 'v-b', trainedAt: '2026-01-01T00:00:00.000Z' });

      expect(ids(await store.readRecords(a, 'customer'))).toEqual(['c1']);
      expect(await store.getCursor(a, 'hubspot:contacts')).toBe('cursor-a');
      expect(await store.getWrittenValues(a)).toEqual({ c1: { crm_clv: '10' } });
      expect(await store.readScoreRun(a)).toEqual({ run: scoreRun('run-a', 1, a), scores: [score('c1')] });
      expect((await store.getModel(a))?.version).toBe('v-a');
    });

    it('keeps named cursors, undefined until set, last value wins', async () => {
      expect(await store.getCursor('t', 'hubspot:contacts')).toBeUndefined();
      await store.setCursor('t', 'hubspot:contacts', '1');
      await store.setCursor('t', 'hubspot:deals', 'a');
      await store.setCursor('t', 'hubspot:contacts', '2');
      expect(await store.getCursor('t', 'hubspot:contacts')).toBe('2');
      expect(await store.getCursor('t', 'hubspot:deals')).toBe('a');
    });

    it('merges written values per contact property', async () => {
      expect(await store.getWrittenValues('t')).toEqual({});
      await store.setWrittenValues('t', { c1: { a: '1', b: '2' }, c2: { a: 'x' } });
      await store.setWrittenValues('t', { c1: { b: '3', c: '4' } });
      await store.setWrittenValues('t', {});
      expect(await store.getWrittenValues('t')).toEqual({
        c1: { a: '1', b: '3', c: '4' },
        c2: { a: 'x' },
      });
    });

    it('loses no property when 20 writers merge into one contact at once', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setWrittenValues('t', { c1: { [`p${i}`]: String(i) } })),
      );
      const expected = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, String(i)]));
      expect(await store.getWrittenValues('t')).toEqual({ c1: expected });
    });

    it('keeps write intents apart from written values: merged per contact, cleared by id', async () => {
      expect(await store.getWriteIntents('t')).toEqual({});
      await store.setWriteIntents('t', { c1: { a: '1' }, c2: { a: 'x', b: 'y' }, c3: { a: '3' } });
      await store.setWriteIntents('t', { c1: { b: '2' } });
      await store.setWriteIntents('t', {});
      expect(await store.getWriteIntents('t')).toEqual({
        c1: { a: '1', b: '2' },
        c2: { a: 'x', b: 'y' },
        c3: { a: '3' },
      });
      expect(await store.getWrittenValues('t')).toEqual({});

      await store.clearWriteIntents('t', ['c2', 'absent', 'c2']);
      await store.clearWriteIntents('t', []);
      expect(await store.getWriteIntents('t')).toEqual({ c1: { a: '1', b: '2' }, c3: { a: '3' } });
      expect(await store.getWriteIntents('other')).toEqual({});
      await store.clearWriteIntents('t', new Set(['c1', 'c3']));
      expect(await store.getWriteIntents('t')).toEqual({});
    });

    it('loses no intent when 20 batches record theirs at once', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setWriteIntents('t', { [`c${i}`]: { a: String(i) } })),
      );
      const intents = await store.getWriteIntents('t');
      expect(Object.keys(intents)).toHaveLength(20);
      expect(intents.c7).toEqual({ a: '7' });
    });

    it('keeps owner-task episodes per customer: replaced whole, closed by id, apart per tenant', async () => {
      expect(await store.getOwnerTaskEpisodes('t')).toEqual({});
      const opened = { startedRun: 'run-1', startedAt: '2026-11-20T12:00:00.000Z', marker: 'crmclv-aa' };
      await store.setOwnerTaskEpisodes('t', { c1: opened, c2: { ...opened, marker: 'crmclv-bb' } });
      await store.setOwnerTaskEpisodes('t', { c1: { ...opened, task: { status: 'sending' } } });
      // Replaced whole, not merged: the task's status goes when the episode is stored without it.
      await store.setOwnerTaskEpisodes('t', {
        c2: { ...opened, marker: 'crmclv-bb', task: { status: 'created', id: '8' } },
      });
      await store.setOwnerTaskEpisodes('t', { c2: { ...opened, marker: 'crmclv-bb' } });
      await store.setOwnerTaskEpisodes('t', {});
      expect(await store.getOwnerTaskEpisodes('t')).toEqual({
        c1: { ...opened, task: { status: 'sending' } },
        c2: { ...opened, marker: 'crmclv-bb' },
      });
      expect(await store.getOwnerTaskEpisodes('other')).toEqual({});
      await store.closeOwnerTaskEpisodes('t', ['c1', 'absent', 'c1']);
      await store.closeOwnerTaskEpisodes('t', []);
      expect(Object.keys(await store.getOwnerTaskEpisodes('t'))).toEqual(['c2']);
    });

    it('reads no score run for a tenant never scored, and a run of no customers', async () => {
      expect(await store.readScoreRun('t')).toBeUndefined();
      await store.putScoreRun('t', scoreRun('empty', 0), []);
      expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('empty', 0), scores: [] });
    });

    it('reads the latest run’s segments in parts that together are the whole, of the current commit', async () => {
      expect(await store.readScoreSegmentsPart('t', 0, 2)).toBeUndefined();
      const withSegment = (id: string, segment?: string): Score => ({
        ...score(id),
        ...(segment === undefined ? {} : { segmentId: segment, segmentName: `Segment ${segment}` }),
      });
      const shards = [
        [withSegment('a', 's1'), withSegment('b', 's2')],
        [withSegment('c')],
        [withSegment('d', 's1'), withSegment('e', 's3'), withSegment('f', 's2')],
      ];
      for (const [i, scores] of shards.entries()) await store.putScoreShard('t', 'run-1', i, scores);
      await store.commitScoreRun('t', scoreRun('run-1', 6), 3);
      const whole = [...(await store.readScoreSegments('t'))!];
      expect(whole).toEqual([
        ['a', 's1'],
        ['b', 's2'],
        ['d', 's1'],
        ['e', 's3'],
        ['f', 's2'],
      ]);
      const { commit } = (await store.readScoreRunHeader('t'))!;
      for (const parts of [1, 2, 3, 5]) {
        const read = await Promise.all(
          Array.from({ length: parts }, (_, p) => store.readScoreSegmentsPart('t', p, parts)),
        );
        expect(read.map((r) => r?.commit)).toEqual(read.map(() => commit));
        expect(read.flatMap((r) => [...r!.segments])).toEqual(whole);
      }
      // The next commit is another commit, even of the same run id.
      await store.putScoreRun('t', scoreRun('run-1', 1), [withSegment('a', 's9')]);
      expect((await store.readScoreSegmentsPart('t', 0, 1))?.commit).not.toBe(commit);
    });

    it('replaces the whole score run: none of the previous Scores survive', async () => {
      await store.putScoreRun('t', scoreRun('run-1', 3), [score('c1', 1), score('c2', 2), score('c3', 3)]);
      await store.putScoreRun('t', scoreRun('run-2', 1), [score('c2', 20)]);
      expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-2', 1), scores: [score('c2', 20)] });
    });

    it('refuses a stored Score that fails the schema', async () => {
      const bad = { ...score('c2'), pAlive: 1.5 };
      await store.putScoreRun('t', scoreRun('run-1', 2), [score('c1'), bad]);
      await expect(store.readScoreRun('t')).rejects.toMatchObject({
        code: 'STORE_INVALID',
        message: expect.stringMatching(/score/) as unknown,
      });
    });

    it("reads the latest run's segments alone: those of Scores that have one, none when never scored", async () => {
      expect(await store.readScoreSegments('t')).toBeUndefined();
      await store.putScoreRun('t', scoreRun('run-1', 3), [
        { ...score('c1'), segmentId: 's2' },
        score('c2'),
        { ...score('c3'), segmentId: 's1' },
      ]);
      expect(await store.readScoreSegments('t')).toEqual(
        new Map([
          ['c1', 's2'],
          ['c3', 's1'],
        ]),
      );
    });

    it('refuses segments read from a Score whose customer or segment id is not valid', async () => {
      await store.putScoreRun('t', scoreRun('run-1', 2), [score('c1'), { ...score('c2'), segmentId: '' }]);
      await expect(store.readScoreSegments('t')).rejects.toMatchObject({
        code: 'STORE_INVALID',
        message: expect.stringMatching(/score/) as unknown,
      });
    });

    it('refuses to store a score run whose Score count differs from its customers, and keeps the previous', async () => {
      await store.putScoreRun('t', scoreRun('run-0', 1), [score('c0')]);
      await expect(
        store.putScoreRun('t', scoreRun('run-1', 3), [score('c1'), score('c2')]),
      ).rejects.toMatchObject({
        code: 'STORE_INVALID',
        message: expect.stringMatching(/holds 2 scores but the run has 3/) as unknown,
      });
      expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-0', 1), scores: [score('c0')] });
    });

    describe('a score run stored in shards', () => {
      const scores = (from: number, count: number, clv = 1) =>
        Array.from({ length: count }, (_, i) => score(`c${from + i}`, clv));

      it('keeps text outside ASCII as it was written', async () => {
        const texts = { ...score('c1'), segmentName: 'Café crème — 2× «best»', interest: '日本茶 🍵' };
        await store.putScoreShard('t', 'run-1', 0, [texts]);
        await store.commitScoreRun('t', scoreRun('run-1', 1), 1);
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-1', 1), scores: [texts] });
      });

      it('commits the shards in shard order whatever order they were stored in', async () => {
        await store.putScoreShard('t', 'run-1', 2, scores(4, 2));
        await store.putScoreShard('t', 'run-1', 0, scores(0, 3));
        await store.putScoreShard('t', 'run-1', 3, []);
        await store.putScoreShard('t', 'run-1', 1, scores(3, 1));
        await store.commitScoreRun('t', scoreRun('run-1', 6), 4);
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-1', 6), scores: scores(0, 6) });
      });

      it('replaces a shard stored again: a retried shard adds no Score twice', async () => {
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2, 1));
        await store.putScoreShard('t', 'run-1', 1, scores(2, 2, 1));
        await store.putScoreShard('t', 'run-1', 1, scores(2, 2, 7));
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2, 9));
        await store.commitScoreRun('t', scoreRun('run-1', 4), 2);
        expect((await store.readScoreRun('t'))?.scores).toEqual([...scores(0, 2, 9), ...scores(2, 2, 7)]);
      });

      it('refuses a commit with shards missing, naming them, and keeps the previous run readable', async () => {
        await store.putScoreRun('t', scoreRun('run-0', 1), [score('old')]);
        await store.putScoreShard('t', 'run-1', 1, scores(0, 2));
        await store.putScoreShard('t', 'run-1', 3, scores(2, 2));
        await expect(store.commitScoreRun('t', scoreRun('run-1', 4), 4)).rejects.toMatchObject({
          name: 'StoreError',
          code: 'STORE_INVALID',
          message: expect.stringMatching(
            /run-1 of t was not committed: shards 0 and 2 of 4 are missing/,
          ) as unknown,
        });
        await store.putScoreShard('t', 'run-1', 0, []);
        await expect(store.commitScoreRun('t', scoreRun('run-1', 4), 4)).rejects.toThrow(
          /: shard 2 of 4 is missing/,
        );
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-0', 1), scores: [score('old')] });

        // The shards stored stay: the missing one stored, the run commits.
        await store.putScoreShard('t', 'run-1', 2, []);
        await store.commitScoreRun('t', scoreRun('run-1', 4), 4);
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-1', 4), scores: scores(0, 4) });
      });

      it('refuses a commit whose shards hold more or fewer Scores than the run has customers', async () => {
        await store.putScoreRun('t', scoreRun('run-0', 1), [score('old')]);
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2));
        await store.putScoreShard('t', 'run-1', 1, scores(2, 1));
        await expect(store.commitScoreRun('t', scoreRun('run-1', 4), 2)).rejects.toMatchObject({
          code: 'STORE_INVALID',
          message: expect.stringMatching(/its 2 shards hold 3 scores but the run has 4/) as unknown,
        });
        await expect(store.commitScoreRun('t', scoreRun('run-1', 2), 2)).rejects.toThrow(
          /hold 3 scores but the run has 2/,
        );
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-0', 1), scores: [score('old')] });
      });

      it('accepts a second commit of the run already committed and changes nothing', async () => {
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2));
        await store.commitScoreRun('t', scoreRun('run-1', 2), 1);
        await store.commitScoreRun('t', scoreRun('run-1', 2), 1);
        // Even a late shard job stored after the commit does not change the committed run.
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2, 8));
        await store.commitScoreRun('t', scoreRun('run-1', 2), 1);
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-1', 2), scores: scores(0, 2) });
      });

      it('keeps the shards of a run not committed out of sight', async () => {
        await store.putScoreShard('t', 'run-1', 0, scores(0, 2));
        expect(await store.readScoreRun('t')).toBeUndefined();
        await store.putScoreRun('t', scoreRun('run-0', 1), [score('old')]);
        await store.putScoreShard('t', 'run-2', 0, scores(0, 1));
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-0', 1), scores: [score('old')] });
      });

      it('replaces the previous run whole and commits a run of no shards and no customers', async () => {
        await store.putScoreShard('t', 'run-1', 0, scores(0, 3));
        await store.putScoreShard('t', 'run-1', 1, scores(3, 3));
        await store.commitScoreRun('t', scoreRun('run-1', 6), 2);
        await store.putScoreShard('t', 'run-2', 0, scores(10, 1, 2));
        await store.commitScoreRun('t', scoreRun('run-2', 1), 1);
        expect(await store.readScoreRun('t')).toEqual({
          run: scoreRun('run-2', 1),
          scores: scores(10, 1, 2),
        });
        await store.commitScoreRun('t', scoreRun('run-3', 0), 0);
        expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-3', 0), scores: [] });
      });

      it('keeps two tenants apart: shards, runs and scratch of one run id', async () => {
        await store.putScoreShard('a', 'run-1', 0, scores(0, 2, 1));
        await store.putScoreShard('b', 'run-1', 0, scores(0, 3, 2));
        await store.putRunScratch('a', 'run-1', 'model', Buffer.from('a'));
        await expect(store.commitScoreRun('b', scoreRun('run-1', 2, 'b'), 2)).rejects.toThrow(/shard 1 of 2/);
        await store.commitScoreRun('a', scoreRun('run-1', 2, 'a'), 1);
        expect(await store.readScoreRun('b')).toBeUndefined();
        expect(await store.getRunScratch('b', 'run-1', 'model')).toBeUndefined();
        await store.commitScoreRun('b', scoreRun('run-1', 3, 'b'), 1);
        await store.dropRunScratch('b', 'run-1');
        expect(await store.readScoreRun('a')).toEqual({
          run: scoreRun('run-1', 2, 'a'),
          scores: scores(0, 2, 1),
        });
        expect(await store.readScoreRun('b')).toEqual({
          run: scoreRun('run-1', 3, 'b'),
          scores: scores(0, 3, 2),
        });
        expect(await store.getRunScratch('a', 'run-1', 'model')).toEqual(Buffer.from('a'));
      });

      it('refuses a shard number or shard count that is not a whole number from 0', async () => {
        await expect(store.putScoreShard('t', 'run-1', -1, [])).rejects.toMatchObject({
          code: 'RUN_KEY_INVALID',
        });
        await expect(store.putScoreShard('t', 'run-1', 1.5, [])).rejects.toThrow(/shard number 1.5/);
        await expect(store.putScoreShard('t', '', 0, [])).rejects.toThrow(/run id must not be empty/);
        await expect(store.commitScoreRun('t', scoreRun('run-1', 0), -1)).rejects.toThrow(/shard count -1/);
      });
    });

    describe('run scratch', () => {
      const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x7b, 0x80, 0x00, 0xc3, 0x28, 0xff]);

      it('round-trips bytes (0x00, 0xff, invalid UTF-8), replaces by name, drops all of one run', async () => {
        expect(await store.getRunScratch('t', 'run-1', 'model')).toBeUndefined();
        await store.putRunScratch('t', 'run-1', 'model', bytes);
        await store.putRunScratch('t', 'run-1', 'fit_2', Buffer.from('first'));
        await store.putRunScratch('t', 'run-1', 'fit_2', Buffer.alloc(0));
        await store.putRunScratch('t', 'run-2', 'model', Buffer.from('other run'));
        const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
        await store.putRunScratch('t', 'run:1/x', 'big', big);

        expect(await store.getRunScratch('t', 'run-1', 'model')).toEqual(bytes);
        expect(await store.getRunScratch('t', 'run-1', 'fit_2')).toEqual(Buffer.alloc(0));
        expect(await store.getRunScratch('t', 'run:1/x', 'big')).toEqual(big);
        expect(await store.getRunScratch('t', 'run-1', 'absent')).toBeUndefined();

        await store.dropRunScratch('t', 'run-1');
        await store.dropRunScratch('t', 'never-stored');
        expect(await store.getRunScratch('t', 'run-1', 'model')).toBeUndefined();
        expect(await store.getRunScratch('t', 'run-1', 'fit_2')).toBeUndefined();
        expect(await store.getRunScratch('t', 'run-2', 'model')).toEqual(Buffer.from('other run'));
      });

      it.each(['', 'a/b', '../x', 'a.b', 'a:b', 'é', 'a b'])('refuses the scratch name %p', async (name) => {
        await expect(store.putRunScratch('t', 'run-1', name, bytes)).rejects.toMatchObject({
          code: 'RUN_KEY_INVALID',
          message: expect.stringContaining("letters, digits, '-' or '_'") as unknown,
        });
        await expect(store.getRunScratch('t', 'run-1', name)).rejects.toMatchObject({
          code: 'RUN_KEY_INVALID',
        });
      });
    });

    describe('records read by customer bucket', () => {
      // 60 customers spread over every third of the buckets, each with two orders stored apart.
      const customers = Array.from({ length: 60 }, (_, i) => customer(`c${i}`));
      const orders = [
        ...customers.map((c, i) => order(`o${i}a`, c.id, i)),
        ...customers.map((c, i) => order(`o${i}b`, c.id, 100 + i)),
      ];
      const cases = customers.filter((_, i) => i % 4 === 0).map((c) => serviceCase(`s-${c.id}`, c.id));
      const thirds = [0, 1, 2].map((i) => bucketRange(i, 3));
      const inThird = (third: number, customerId: string) => {
        const b = customerBucket(customerId);
        return b >= thirds[third].from && b < thirds[third].to;
      };

      beforeEach(async () => {
        await store.putRecords('t', 'customer', customers);
        await store.putRecords('t', 'order', orders.slice(0, 70));
        await store.putRecords('t', 'serviceCase', cases);
        await store.putRecords('t', 'order', orders.slice(70));
        await store.indexCustomerRecords('t');
      });

      it('reads exactly the records of the customers in the range, in first-stored order', async () => {
        // The data must put customers in every third, or the split proves nothing.
        for (let third = 0; third < 3; third++)
          expect(customers.filter((c) => inThird(third, c.id)).length).toBeGreaterThan(5);
        for (let third = 0; third < 3; third++) {
          const range = thirds[third];
          const read = await store.readCustomerRecords('t', 'order', range);
          expect(read.records).toEqual(orders.filter((o) => inThird(third, o.customerId)));
          expect(read.positions).toEqual([...read.positions].sort((a, b) => a - b));
          expect(new Set(read.positions).size).toBe(read.positions.length);
          expect((await store.readCustomerRecords('t', 'customer', range)).records).toEqual(
            customers.filter((c) => inThird(third, c.id)),
          );
          expect((await store.readCustomerRecords('t', 'serviceCase', range)).records).toEqual(
            cases.filter((c) => inThird(third, c.customerId)),
          );
        }
        // Positions order records the way readRecords does, across ranges too.
        const all = await Promise.all(thirds.map((r) => store.readCustomerRecords('t', 'order', r)));
        const merged = all
          .flatMap((r) => r.records.map((record, i) => ({ record, position: r.positions[i] })))
          .sort((a, b) => a.position - b.position)
          .map((r) => r.record);
        expect(merged).toEqual(await store.readRecords('t', 'order'));
      });

      it('reads an order moved to another customer in that customer range only, and a deleted one nowhere', async () => {
        const from = customers.find((c) => inThird(0, c.id))!.id;
        const to = customers.find((c) => inThird(2, c.id))!.id;
        const moved = orders.find((o) => o.customerId === from)!;
        const gone = orders.find((o) => o.customerId === to)!;
        await store.putRecords('t', 'order', [{ ...moved, customerId: to, amount: 999 }]);
        await store.deleteRecords('t', 'order', [gone.id]);
        const first = await store.readCustomerRecords('t', 'order', thirds[0]);
        const last = await store.readCustomerRecords('t', 'order', thirds[2]);
        expect(first.records.map((o) => o.id)).not.toContain(moved.id);
        expect(last.records.find((o) => o.id === moved.id)).toEqual({
          ...moved,
          customerId: to,
          amount: 999,
        });
        expect(last.records.map((o) => o.id)).not.toContain(gone.id);
        expect([...first.records, ...last.records].filter((o) => o.id === moved.id)).toHaveLength(1);
      });

      it('reads nothing for a tenant without records, and the whole tenant in one range', async () => {
        expect(await store.readCustomerRecords('other', 'order', bucketRange(0, 1))).toEqual({
          records: [],
          positions: [],
        });
        const whole = await store.readCustomerRecords('t', 'order', { from: 0, to: CUSTOMER_BUCKETS });
        expect(whole.records).toEqual(await store.readRecords('t', 'order'));
      });
    });

    it('round-trips the model, undefined until stored, replaced by the next', async () => {
      expect(await store.getModel('t')).toBeUndefined();
      const segmentModel = { centroids: [[0.1, 0.2]], names: ['Loyal'] };
      await store.putModel('t', { version: 'v1', trainedAt: '2026-01-01T00:00:00.000Z', segmentModel });
      expect(await store.getModel('t')).toEqual({
        version: 'v1',
        trainedAt: '2026-01-01T00:00:00.000Z',
        segmentModel,
      });
      await store.putModel('t', { version: 'v2', trainedAt: '2026-02-01T00:00:00.000Z' });
      expect(await store.getModel('t')).toEqual({ version: 'v2', trainedAt: '2026-02-01T00:00:00.000Z' });
    });
  });
}
