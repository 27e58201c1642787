/**
 * One @hubspot/api-client per process and account, with the SDK's own retries and limiter switched off:
 * callWithRetry and the sliding-window limiters (./rate-limiter) do that job, sized from the account's limit.
 */
import { Client } from '@hubspot/api-client';
import type { CallLimiterFactory } from '../call-limiter';
import { HubSpotBaseUrlError } from './errors';
import { redactUrl, urlHasCredentials } from './redact-url';
import {
  createHubSpotLimiters,
  systemClock,
  type AccountLimits,
  type Clock,
  type HubSpotLimiters,
} from './rate-limiter';

export type HubSpotConnection = {
  client: Client;
  limiters: HubSpotLimiters;
  clock: Clock;
};

export type HubSpotConnectionOptions = {
  accessToken: string;
  /** The sandbox's URL in tests and the demo; HubSpot's own API when absent. */
  baseUrl?: string;
  account: AccountLimits;
  clock?: Clock;
  /** Limiters shared beyond this process (a worker's Redis limiter); this process's own when absent. */
  limiterFactory?: CallLimiterFactory;
};

export function createHubSpotConnection(options: HubSpotConnectionOptions): HubSpotConnection {
  if (options.baseUrl && urlHasCredentials(options.baseUrl))
    throw new HubSpotBaseUrlError(
      `the HubSpot base URL ${redactUrl(options.baseUrl)} carries credentials: remove the "user:password@" part ` +
        '(HubSpot takes the access token only, and fetch refuses URLs with credentials)',
    );
  const clock = options.clock ?? systemClock;
  const client = new Client({
    accessToken: options.accessToken,
    ...(options.baseUrl ? { basePath: options.baseUrl } : {}),
    numberOfApiCallRetries: 0,
  });
  return { client, limiters: createHubSpotLimiters(options.account, clock, options.limiterFactory), clock };
}
