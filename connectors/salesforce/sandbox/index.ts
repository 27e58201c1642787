export { createSalesforceSandbox } from './create-salesforce-sandbox';
export type {
  RunningSandbox,
  SalesforceSandbox,
  SalesforceSandboxOptions,
} from './create-salesforce-sandbox';
export type { FaultOptions, SandboxFaults } from './faults';
export { createFileJournal, type FileJournal, type Journal, type JournalEntry } from './journal';
export {
  defineCustomField,
  sfDatetime,
  type CustomFieldInput,
  type OrgStore,
  type SfRecord,
} from './org-store';
export { seedOrg } from './seed-org';
export { insertRetentionOpportunities, type RetentionOpportunity } from './retention-opportunities';
export { CHURN_RISK_FIELD, FLOW_TASK_SUBJECT, type AutomationOptions } from './automation';
export type { OAuthClient, TokenResponse } from './oauth-tokens';
export { SalesforceApiError } from './salesforce-error';
export { caseSafeSuffix, normalizeId, salesforceId } from './salesforce-ids';
export type { ExchangeRecorder, RecordedExchange } from './exchange-recorder';
