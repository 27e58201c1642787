/** Starts a seeded sandbox on 127.0.0.1:0 and a real `@hubspot/api-client` pointed at it. */

import { Client } from '@hubspot/api-client';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type HubSpotSandboxOptions,
  type RunningSandbox,
} from '../../../../connectors/hubspot/sandbox';

export const TOKEN = 'sandbox-token';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Harness = { sandbox: HubSpotSandbox; server: RunningSandbox; client: Client };

export async function startHarness(overrides: Partial<HubSpotSandboxOptions> = {}): Promise<Harness> {
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '1000',
    seed: 42,
    contacts: 250,
    ...overrides,
  });
  const server = await sandbox.listen(0);
  const client = new Client({ accessToken: TOKEN, basePath: server.url });
  return { sandbox, server, client };
}

/** Runs `call`, expecting the client to throw; returns the thrown error for inspection. */
export async function rejection(
  call: () => Promise<unknown>,
): Promise<{ code: number; body: unknown; headers: Record<string, string> }> {
  try {
    await call();
  } catch (error) {
    return error as { code: number; body: unknown; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
}
