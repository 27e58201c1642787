export { connectSalesforce, SALESFORCE_API_VERSION } from './create-connection';
export type { SalesforceAuth, SalesforceConnection, SalesforceTokens } from './create-connection';
export { createSalesforceAdapter } from './salesforce-adapter';
export type { SalesforceAdapter, SalesforceAdapterOptions } from './salesforce-adapter';
export * from './errors';
export type { FieldsMode } from './writeback/ensure-fields';
export { INTEGRATION_PERMISSION_SET } from './writeback/deploy-fields';
