/** Runs a card server (createServer) on 127.0.0.1 and a free port for a test, and stops it. */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type CardServer, type ServerOptions } from '../../cards/server';

export type RunningCards = {
  cards: CardServer;
  base: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
};

export async function startCards(options: ServerOptions): Promise<RunningCards> {
  const cards = createServer(options);
  const server = createHttpServer(cards.handler).listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    cards,
    base,
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await cards.close();
    },
  };
}

export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
