/**
 * A local HubSpot for tests and the demo: an express app the unmodified `@hubspot/api-client` talks to via
 * `basePath` (NOTES §5.1), seeded deterministically (seed-portal.ts), with HubSpot's limits and error shapes.
 *
 * @example
 * const sandbox = createHubSpotSandbox({ token: 't', portalId: '1000', seed: 7, contacts: 500 });
 * const { url, close } = await sandbox.listen(0);
 * const client = new Client({ accessToken: 't', basePath: url });
 */

import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import { sandboxRouters } from './sandbox-routers';
import { createFaults, faultMiddleware, type FaultOptions, type SandboxFaults } from './faults';
import { noJournal, type Journal } from './journal';
import { createOAuthTokens, type OAuthAppConfig, type OAuthTokens } from './oauth-tokens';
import { createRateLimiter } from './rate-limit-window';
import { bearerAuth, errorHandler, notFoundRoute, rateLimit, requestKind } from './request-guards';
import type { SandboxContext } from './sandbox-context';
import type { SandboxStore } from './sandbox-store';
import { DEFAULT_OBSERVATION_END, seedPortal } from './seed-portal';
import { installCampaigns, type CampaignAccess } from './campaign-routes';

export type HubSpotSandboxOptions = {
  token: string;
  portalId: string;
  seed: number;
  contacts: number;
  rateLimit?: {
    /** Requests per rolling 10 s; default 110 (OAuth app, NOTES §4.6). */
    perTenSeconds?: number;
    /** Daily limit; omit for OAuth-style tokens (no Daily headers). */
    daily?: number;
    /** Search requests per second; default 5. */
    searchPerSecond?: number;
  };
  faults?: FaultOptions;
  /** Enables `POST /oauth/v1/token` for this app; issued access tokens are accepted next to `token`. */
  oauth?: OAuthAppConfig;
  /** End of the seeded history (ISO). */
  observationEnd?: string;
  /** Clock for rate limits and write timestamps; default Date.now. */
  now?: () => number;
  /** Receives one entry per object each accepted write created, changed or archived (journal.ts). */
  journal?: Journal;
  /** Largest request body accepted; larger ones answer 413. Default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** What the marketing campaigns API answers (campaign-routes.ts); default 'granted'. */
  campaignAccess?: CampaignAccess;
};

/**
 * HubSpot documents no request-body limit for the CRM object APIs: ../shared/contracts has only the 100-input
 * batch limit (NOTES §4.1), search's 3,000 characters (§4.1) and hubspot.fetch's 1 MB for UI extensions (§1), so
 * this figure is our choice, kept conservative (likely below HubSpot's real one): whatever the sandbox accepts
 * HubSpot should too. A full batch update of the clv properties is ~100 KB at most.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export type RunningSandbox = { url: string; port: number; close(): Promise<void> };

export type HubSpotSandbox = {
  app: Express;
  store: SandboxStore;
  /** Live fault settings: change them between calls. */
  faults: SandboxFaults;
  /** Present when `oauth` is configured: hands out authorization codes as the authorize redirect would. */
  oauth?: Pick<OAuthTokens, 'issueAuthorizationCode'>;
  /** Listens on 127.0.0.1 only; port 0 picks a free port. */
  listen(port: number): Promise<RunningSandbox>;
};

export function createHubSpotSandbox(options: HubSpotSandboxOptions): HubSpotSandbox {
  const now = options.now ?? Date.now;
  const store = seedPortal({
    portalId: options.portalId,
    seed: options.seed,
    contacts: options.contacts,
    observationEnd: options.observationEnd,
  });
  // After the objects: campaigns are built from the seeded contacts, never from the random stream.
  installCampaigns(
    store,
    Date.parse(options.observationEnd ?? DEFAULT_OBSERVATION_END),
    options.campaignAccess ?? 'granted',
  );
  const faults = createFaults(options.faults);
  const ctx: SandboxContext = { store, faults, now, journal: options.journal ?? noJournal };
  const limiter = createRateLimiter({
    perTenSeconds: options.rateLimit?.perTenSeconds ?? 110,
    daily: options.rateLimit?.daily,
    searchPerSecond: options.rateLimit?.searchPerSecond ?? 5,
  });

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Tokens belong to this portal unless a test says otherwise (GET /oauth/v1/access-tokens/{token} → hub_id).
  const oauth = options.oauth
    ? createOAuthTokens({ ...options.oauth, hubId: options.oauth.hubId ?? Number(options.portalId) }, now)
    : undefined;
  // The token endpoint takes no bearer token and is outside the API rate limits (NOTES §4.8).
  if (oauth) app.use(oauth.router);
  app.use(bearerAuth(options.token, (candidate) => oauth?.isValidAccessToken(candidate, now()) ?? false));
  const staticHeader = `Bearer ${options.token}`;
  app.use(
    faultMiddleware(faults, options.portalId, options.seed, (req) =>
      limiter.rejectionHeaders(requestKind(req), req.headers.authorization !== staticHeader),
    ),
  );
  app.use(rateLimit(limiter, options.portalId, now, options.token));
  app.use(express.json({ limit: options.maxBodyBytes ?? MAX_BODY_BYTES }));
  for (const router of sandboxRouters(ctx)) app.use(router);
  app.use(notFoundRoute);
  app.use(errorHandler);

  return {
    app,
    store,
    faults,
    oauth: oauth && { issueAuthorizationCode: (uri: string) => oauth.issueAuthorizationCode(uri) },
    listen: (port) =>
      new Promise((resolve, reject) => {
        const server = app.listen(port, '127.0.0.1');
        server.once('error', reject);
        server.once('listening', () => {
          const actual = (server.address() as AddressInfo).port;
          resolve({
            url: `http://127.0.0.1:${actual}`,
            port: actual,
            close: () =>
              new Promise<void>((done, fail) => {
                server.closeAllConnections();
                server.close((err) => (err ? fail(err) : done()));
              }),
          });
        });
      }),
  };
}
