export { syncHubSpot, cursorName, modifiedAt } from './sync-hubspot';
export type { SkippedRecord, SyncOptions, SyncProgress, SyncSummary, SyncedType } from './sync-hubspot';
export { decodeCursor, encodeCursor, newestOf, type StoredCursor } from './sync-cursor';
export { SYNCED_OBJECT_TYPES, type SyncedObjectType } from './object-api';
