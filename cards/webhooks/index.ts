export {
  createRunCoalescer,
  webhookRunId,
  WEBHOOK_RUN_STAGES,
  type RunCoalescer,
  type WebhookRun,
} from './coalesced-runs';
export { DEDUPE_TTL_MS, dedupeKey, dedupeKeyPrefix, eventIdentity, markSeen } from './event-dedupe';
export {
  ANSWER_WITHIN_MS,
  hubspotWebhookRoute,
  WEBHOOK_MAX_BODY_BYTES,
  WEBHOOK_PATH,
  type WebhookRouteOptions,
} from './hubspot-webhook-route';
export { signedRoutesConfig, SignedRoutesConfigError, type SignedRoutesConfig } from './webhook-config';
export {
  parseWebhookDelivery,
  subscriptionTypeOf,
  webhookEventSchema,
  type WebhookEvent,
} from './webhook-events';
