export type { RecordStore, WrittenValues } from './record-store';
export { FileRecordStore, StoreError } from './file-record-store';
export { RedisRecordStore, RedisPrefixError, redisTenantKeys } from './redis-record-store';
