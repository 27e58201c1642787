/**
 * Bench: the contact card API on loopback, the whole path a HubSpot card request takes (v3 signature check,
 * tenant from the signed portal, the contact's Score from the tenant's index on Redis, playbook and actions
 * from the precompiled templates), against a bare node:http server in its own process that verifies the same
 * signature and answers 2 KB read from Redis. Each server runs pinned to core 0 and the load generator
 * (autocannon) to core 1 (`taskset`). The tenant is a seeded sandbox portal synced and scored into a private
 * Redis; requests rotate over its scored contacts, each signed as HubSpot signs them.
 *
 * Prints requests/s, p50 and p99 latency and non-2xx answers at 10 and 50 connections, and the card API's
 * throughput as a share of the bare server's.
 *
 * Usage: node dist/bench/stages/card-api.js [contacts=2000] [seconds=10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { signatureV3, verifySignatureV3 } from '../../cards/signatures';
import { createServer } from '../../cards/server';
import { RedisRecordStore } from '../../worker/state';
import { seedSandboxTenant } from '../bench-tenants';
import { benchRedis } from '../private-redis';

const PORTAL = '4100';
const TENANT = `hubspot-${PORTAL}`;
const SECRET = 'bench-client-secret';
const PUBLIC_URL = 'https://crm-clv.example.com';
const CARD_PATH = '/api/v1/cards/contact';
const BARE_KEY = 'bench-card-api:record';

type ServerArgs = { redisUrl: string; prefix: string };
type LoadArgs = { port: number; paths: string[]; connections: number; seconds: number };
type LoadResult = { rps: number; p50: number; p99: number; non2xx: number; errors: number; requests: number };

/** The card server as `crm-clv serve` builds it, with a client secret and a public URL to sign against. */
async function serveCards(args: ServerArgs): Promise<void> {
  const cards = createServer({
    redisUrl: args.redisUrl,
    redisPrefix: args.prefix,
    env: { HUBSPOT_CLIENT_SECRET: SECRET, CRM_CLV_PUBLIC_URL: PUBLIC_URL },
  });
  const server = createHttpServer(cards.handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  process.send?.({ port: (server.address() as AddressInfo).port });
}

/** The reference: node:http, the same v3 check, 2 KB from Redis. */
async function serveBare(args: ServerArgs): Promise<void> {
  const redis = new Redis(args.redisUrl);
  const server = createHttpServer((req, res) => {
    try {
      verifySignatureV3(SECRET, {
        method: req.method ?? 'GET',
        uri: `${PUBLIC_URL}${req.url ?? '/'}`,
        body: Buffer.alloc(0),
        signature: req.headers['x-hubspot-signature-v3'] as string | undefined,
        timestamp: req.headers['x-hubspot-request-timestamp'] as string | undefined,
      });
    } catch {
      res.writeHead(401).end();
      return;
    }
    redis.getBuffer(BARE_KEY).then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

async function runLoad(args: LoadArgs): Promise<void> {
  const timestamp = String(Date.now());
  const requests = args.paths.map((path) => ({
    method: 'GET' as const,
    path,
    headers: {
      'x-hubspot-signature-v3': signatureV3(SECRET, {
        method: 'GET',
        uri: `${PUBLIC_URL}${path}`,
        body: '',
        timestamp,
      }),
      'x-hubspot-request-timestamp': timestamp,
    },
  }));
  const result = await autocannon({
    url: `http://127.0.0.1:${args.port}`,
    connections: args.connections,
    duration: args.seconds,
    requests,
  });
  const out: LoadResult = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
  process.send?.(out);
}

/** This file again, as a child pinned to one core; resolves with its first message. */
function pinned(core: number, role: string, args: unknown): { child: ChildProcess; first: Promise<unknown> } {
  const child = spawn(
    'taskset',
    ['-c', String(core), process.execPath, __filename, role, JSON.stringify(args)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const first = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it answered`)));
  });
  return { child, first };
}

/** The scored contacts of the seeded portal. */
export async function seedTenant(store: RedisRecordStore, contacts: number): Promise<string[]> {
  await seedSandboxTenant(store, TENANT, 9, contacts);
  return (await store.readScoreRun(TENANT))!.scores.map((s) => s.customerId);
}

const fmt = (r: LoadResult) =>
  `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ${r.errors} errors (${r.requests.toLocaleString('en-US')} requests)`;

async function main(): Promise<void> {
  const [contacts = 2000, seconds = 10] = process.argv.slice(2).map(Number);
  const r = await benchRedis('card-api');
  try {
    const store = new RedisRecordStore({ redis: r.redis, prefix: r.prefix });
    const ids = await seedTenant(store, contacts);
    // The bare server's answer: 2 KB, the size of a card.
    await r.redis.set(BARE_KEY, JSON.stringify({ pad: 'x'.repeat(2048 - 10) }));
    const paths = ids.map((id) => `${CARD_PATH}?portalId=${PORTAL}&objectId=${id}`);
    console.log(
      `${ids.length} scored contacts of a ${contacts}-contact sandbox portal; Redis: ${r.info.private ? `private redis-server ${r.info.version}` : r.info.reason}`,
    );
    const server = { redisUrl: r.url, prefix: r.prefix };
    const results: Record<string, Record<number, LoadResult>> = { card: {}, bare: {} };
    for (const [name, role] of [
      ['card', '--cards'],
      ['bare', '--bare'],
    ] as const) {
      const { child, first } = pinned(0, role, server);
      try {
        const { port } = (await first) as { port: number };
        // A first request of each contact warms the server's index and card cache, as a working day does.
        await new Promise<void>((resolve, reject) => {
          const warm = pinned(1, '--load', { port, paths, connections: 10, seconds: 2 });
          warm.first.then(() => resolve(), reject);
        });
        for (const connections of [10, 50]) {
          const load = pinned(1, '--load', { port, paths, connections, seconds });
          results[name][connections] = (await load.first) as LoadResult;
          console.log(
            `${name === 'card' ? 'card API' : 'bare node:http'}, ${connections} connections: ${fmt(results[name][connections])}`,
          );
        }
      } finally {
        child.kill();
      }
    }
    for (const connections of [10, 50])
      console.log(
        `${connections} connections: card API at ${(results.card[connections].rps / results.bare[connections].rps).toFixed(2)}× the bare server's requests/s`,
      );
    const c10 = results.card[10];
    console.log(
      `target (≥ 5,000 req/s at p99 ≤ 10 ms with 10 connections, ≥ 0.4× bare, no non-2xx): ${c10.rps >= 5000 && c10.p99 <= 10 && c10.rps >= 0.4 * results.bare[10].rps && c10.non2xx === 0 ? 'met' : 'MISSED'}`,
    );
  } finally {
    await r.stop();
  }
}

const role = process.argv[2];
if (role === '--cards') void serveCards(JSON.parse(process.argv[3]) as ServerArgs);
else if (role === '--bare') void serveBare(JSON.parse(process.argv[3]) as ServerArgs);
else if (role === '--load')
  runLoad(JSON.parse(process.argv[3]) as LoadArgs).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
else if (require.main === module)
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
