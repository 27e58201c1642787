/**
 * The seeded sandbox behind an outer express app whose first middleware records every request (the sandbox
 * itself is untouched), and a real connection through the unmodified @hubspot/api-client. One fake clock
 * drives both the sandbox's rate-limit windows and the connector's waits, so a 429 costs no real time.
 */
import type { HubSpotConnection } from '../../../../connectors/hubspot/create-client';
import { createHubSpotSandbox, type HubSpotSandbox } from '../../../../connectors/hubspot/sandbox';
import { fakeClock } from '../fake-clock';
import { serveBehind } from '../serve-behind';
import { createRequestRecorder, type RequestRecorder } from './request-recorder';

export const TOKEN = 'sandbox-token';
export const TENANT = '1000';

export type ContractHarness = {
  sandbox: HubSpotSandbox;
  recorder: RequestRecorder;
  connection: HubSpotConnection;
  clock: ReturnType<typeof fakeClock>;
  close(): Promise<void>;
};

export async function startContractHarness(contacts: number): Promise<ContractHarness> {
  // After the seeded history (observation end 2026-10-31), so writes are newer than every seeded change.
  const clock = fakeClock(Date.parse('2026-11-20T12:00:00.000Z'));
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: TENANT,
    seed: 11,
    contacts,
    now: clock.now,
    // Limits out of the way: the only 429s are the ones a test injects.
    rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 1_000_000 },
  });
  const recorder = createRequestRecorder();
  const served = await serveBehind(sandbox.app, recorder.middleware, TOKEN, clock);
  return { sandbox, recorder, connection: served.connection, clock, close: served.close };
}
