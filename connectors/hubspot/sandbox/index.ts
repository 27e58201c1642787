export { createHubSpotSandbox, MAX_BODY_BYTES } from './create-hubspot-sandbox';
export type { HubSpotSandbox, HubSpotSandboxOptions, RunningSandbox } from './create-hubspot-sandbox';
export type { FaultOptions, SandboxFaults } from './faults';
export { createFileJournal, type FileJournal, type Journal, type JournalEntry } from './journal';
export type { SandboxStore } from './sandbox-store';
export { seedPortal, DEFAULT_OBSERVATION_END } from './seed-portal';
export { HubSpotApiError } from './hubspot-error';
export { sandboxLists, type SandboxList } from './list-routes';
export type { HubSpotErrorBody, RateLimitBody } from './hubspot-error';
export type { OAuthAppConfig } from './oauth-tokens';
export { insertRetentionDeals, type RetentionDeal } from './retention-deals';
export {
  sandboxCampaigns,
  setCampaignAccess,
  CAMPAIGNS_READ_SCOPE,
  type CampaignAccess,
} from './campaign-routes';
export type { SandboxCampaign, ContactType } from './seed-campaigns';
