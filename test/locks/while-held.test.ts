/** The store a stage writes through while it holds its lock: every write checks the lock first, reads stay open. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageLockLostError } from '../../worker/locks/stage-lock';
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { adapterWhileHeld, storeWhileHeld } from '../../worker/locks/while-held';
import { FileRecordStore, type RecordStore } from '../../worker/state';
import { score, scoreRun } from '../state/record-store-contract';

let dir: string;
let base: FileRecordStore;
let lock: AbortController;
let store: RecordStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-while-held-'));
  base = new FileRecordStore(dir);
  lock = new AbortController();
  store = storeWhileHeld(base, lock);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const loseLock = () => lock.abort(new StageLockLostError('t', 'score', 'its key expired'));

describe('storeWhileHeld', () => {
  it('passes shard, commit and scratch writes through while the lock is held', async () => {
    await store.putScoreShard('t', 'run-1', 0, [score('c1')]);
    await store.commitScoreRun('t', scoreRun('run-1', 1), 1);
    await store.putRunScratch('t', 'run-1', 'model', Buffer.from([0, 255]));
    expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-1', 1), scores: [score('c1')] });
    expect(await store.getRunScratch('t', 'run-1', 'model')).toEqual(Buffer.from([0, 255]));
    await store.dropRunScratch('t', 'run-1');
    expect(await base.getRunScratch('t', 'run-1', 'model')).toBeUndefined();
  });

  it('refuses every shard, commit and scratch write once the lock is lost, and writes nothing', async () => {
    await base.putScoreRun('t', scoreRun('run-0', 1), [score('old')]);
    await store.putScoreShard('t', 'run-1', 0, [score('c1')]);
    await store.putRunScratch('t', 'run-1', 'model', Buffer.from('m'));
    loseLock();

    const refused = { code: 'STAGE_LOCK_LOST', message: expect.stringMatching(/lost its lock/) as unknown };
    await expect(store.putScoreShard('t', 'run-1', 0, [score('c2')])).rejects.toMatchObject(refused);
    await expect(store.putScoreShard('t', 'run-1', 1, [])).rejects.toMatchObject(refused);
    await expect(store.commitScoreRun('t', scoreRun('run-1', 1), 1)).rejects.toMatchObject(refused);
    await expect(store.putScoreRun('t', scoreRun('run-2', 0), [])).rejects.toMatchObject(refused);
    await expect(store.putRunScratch('t', 'run-1', 'model', Buffer.from('x'))).rejects.toMatchObject(refused);
    await expect(store.dropRunScratch('t', 'run-1')).rejects.toMatchObject(refused);

    // Nothing changed, and reads stay open.
    expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('run-0', 1), scores: [score('old')] });
    expect(await store.getRunScratch('t', 'run-1', 'model')).toEqual(Buffer.from('m'));
    await base.commitScoreRun('t', scoreRun('run-1', 1), 1);
    expect((await base.readScoreRun('t'))?.scores).toEqual([score('c1')]);
  });
});

describe('adapterWhileHeld', () => {
  // A CRM adapter with every optional capability; each call is recorded.
  const calls: string[] = [];
  const adapter = {
    crm: 'salesforce',
    tenant: 'salesforce-00D1',
    readRecords: async () => ({}) as never,
    ensureFields: async () => ({}) as never,
    writeChanged: async () => ({}) as never,
    readWritten: async () => new Map(),
    ownerTasks: {
      readTaskContacts: async () => new Map(),
      findTasks: async () => new Map(),
      createTasks: async () => ({}) as never,
    },
    segmentLists: {
      sync: async () => {
        calls.push('segmentLists');
        return { lists: [] };
      },
    },
    retentionCampaigns: {
      sync: async () => {
        calls.push('retentionCampaigns');
        return { campaigns: [] };
      },
    },
    limits: () => ({}) as never,
    close: () => {},
  } as unknown as CrmAdapter;

  it('passes on every optional capability while the lock is held, and refuses each once it is lost', async () => {
    const lock = new AbortController();
    const held = adapterWhileHeld(adapter, { signal: lock.signal });
    // A capability the wrapper drops is one the worker's steps report as unsupported (seen twice before).
    for (const capability of ['ownerTasks', 'segmentLists', 'retentionCampaigns'] as const)
      expect(held[capability]).toBeDefined();
    await held.segmentLists!.sync([]);
    await held.retentionCampaigns!.sync([]);
    expect(calls).toEqual(['segmentLists', 'retentionCampaigns']);
    lock.abort(new StageLockLostError('salesforce-00D1', 'writeback', 'expired'));
    await expect(held.segmentLists!.sync([])).rejects.toBeInstanceOf(StageLockLostError);
    await expect(held.retentionCampaigns!.sync([])).rejects.toBeInstanceOf(StageLockLostError);
    expect(calls).toHaveLength(2);
  });
});
