/** The store a stage writes through while it holds its lock: every write checks the lock first, reads stay open. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageLockLostError } from '../../worker/locks/stage-lock';
import { storeWhileHeld } from '../../worker/locks/while-held';
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
