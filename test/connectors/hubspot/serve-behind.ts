/**
 * The sandbox app behind an outer express app whose middleware sees every request first (to record or count
 * them; the sandbox itself stays untouched), on 127.0.0.1, with a real connection through the unmodified
 * @hubspot/api-client on the given clock.
 */
import express, { type Express, type RequestHandler } from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHubSpotConnection, type HubSpotConnection } from '../../../connectors/hubspot/create-client';
import type { Clock } from '../../../connectors/hubspot/rate-limiter';

export type ServedBehind = { url: string; connection: HubSpotConnection; close(): Promise<void> };

export async function serveBehind(
  sandboxApp: Express,
  front: RequestHandler,
  token: string,
  clock: Clock,
): Promise<ServedBehind> {
  const outer = express();
  // Only the sandbox's own headers should reach the client; the sandbox app turns this one off too.
  outer.disable('x-powered-by');
  outer.use(front);
  outer.use(sandboxApp);
  const server = createServer(outer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    connection: createHubSpotConnection({
      accessToken: token,
      baseUrl: url,
      account: { auth: 'oauth' },
      clock,
    }),
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : done()));
      }),
  };
}
