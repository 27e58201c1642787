export {
  inProcessStageLocks,
  StageLockHeldError,
  StageLockLostError,
  type AcquireOptions,
  type LockHolder,
  type StageLock,
  type StageLocks,
} from './stage-lock';
export { DEFAULT_LOCK_TTL_MS, redisStageLocks, stageLockKey } from './redis-stage-locks';
export { fileStageLocks, pidAlive, stageLockPath } from './file-stage-locks';
export { adapterWhileHeld, storeWhileHeld } from './while-held';
