export type { RecordStore, WrittenValues } from './record-store';
export {
  FileRecordStore,
  StoreError,
  tenantDirName,
  writeFileAtomic,
  nodeFileOps,
  type FileOps,
} from './file-record-store';
export {
  readTenantTransactions,
  mainCurrency,
  TenantEmptyError,
  type TenantTransactions,
} from './tenant-transactions';

/** Cursor naming the output directory of a tenant's last `crm-clv score` (read by `crm-clv writeback`). */
export const LAST_SCORE_RUN = 'score:last-run';
