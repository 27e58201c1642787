import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRecordStore } from '../../worker/state';
import { describeRecordStore } from './record-store-contract';

describeRecordStore('FileRecordStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crm-clv-store-contract-'));
  return {
    store: new FileRecordStore(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
