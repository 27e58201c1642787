export type { RecordStore, WrittenValues } from './record-store';
export {
  FileRecordStore,
  StoreError,
  tenantDirName,
  writeFileAtomic,
  nodeFileOps,
  type FileOps,
} from './file-record-store';
