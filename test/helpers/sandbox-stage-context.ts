/**
 * The stage context tests give the worker's processors when they run a HubSpot sandbox portal through the
 * stages in process: the store, in-process locks, and an adapter for the sandbox (OAuth token 't').
 */
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { inProcessStageLocks } from '../../worker/locks/stage-lock';
import type { StageContext } from '../../worker/queue/stage-context';
import type { RecordStore } from '../../worker/state';

export function sandboxStageContext(
  store: RecordStore,
  sandboxUrl: string,
  options: { portalId?: string; extra?: Partial<StageContext> } = {},
): () => StageContext {
  const locks = inProcessStageLocks();
  const portalId = options.portalId ?? '1000';
  return () => ({
    store,
    engineVersion: 'test',
    progress: async () => {},
    lock: (stage, tenant) => locks.acquire(tenant, stage),
    adapterFor: async () =>
      createHubSpotAdapter({
        connection: createHubSpotConnection({
          accessToken: 't',
          baseUrl: sandboxUrl,
          account: { auth: 'oauth' },
        }),
        portalId,
      }),
    ...options.extra,
  });
}
