export {
  DEFAULT_SCHEDULE,
  type TenantConnection,
  type TenantRegistry,
  type TenantSchedule,
  type TenantSettings,
} from './tenant-registry';
export {
  InvalidTenantConnectionError,
  RedisUrlError,
  TenantNotFoundError,
  TenantRegistryCorruptError,
  TenantRegistryUnavailableError,
  TenantSecretUnavailableError,
  TenantSecretUnreadableError,
} from './errors';
export { SecretBox, sealedSecretSchema, type SealedSecret } from './secret-box';
export { cronPattern, cronPatternProblem } from './cron-pattern';
export { ACCOUNT_TIERS, baseUrlProblem, tenantConnectionSchema } from './tenant-entry';
export {
  FileTenantRegistry,
  TENANTS_FILE_NAME,
  type FileTenantRegistryOptions,
} from './file-tenant-registry';
export {
  RedisTenantRegistry,
  redisTenantsKey,
  type RedisTenantRegistryOptions,
} from './redis-tenant-registry';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  openTenantRegistry,
  type OpenedTenantRegistry,
  type OpenTenantRegistryOptions,
} from './open-tenant-registry';
