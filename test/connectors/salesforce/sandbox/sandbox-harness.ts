/** Starts a seeded Salesforce sandbox on 127.0.0.1:0 and a real jsforce 3.10.16 Connection pointed at it. */

import { Connection } from 'jsforce';
import {
  createSalesforceSandbox,
  type RunningSandbox,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
} from '../../../../connectors/salesforce/sandbox';

export const TOKEN = 'sandbox-token';
export const ORG_ID = '00D000000000001AAA';

export type Harness = { sandbox: SalesforceSandbox; server: RunningSandbox; conn: Connection };

export async function startHarness(overrides: Partial<SalesforceSandboxOptions> = {}): Promise<Harness> {
  const sandbox = createSalesforceSandbox({
    token: TOKEN,
    orgId: ORG_ID,
    seed: 42,
    contacts: 60,
    ...overrides,
  });
  const server = await sandbox.listen(0);
  const conn = new Connection({ instanceUrl: server.url, accessToken: TOKEN, version: '62.0' });
  return { sandbox, server, conn };
}

export async function rejection(
  call: () => PromiseLike<unknown>,
): Promise<{ errorCode?: string; name?: string; message: string; data?: unknown }> {
  try {
    await call();
  } catch (error) {
    return error as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail');
}
