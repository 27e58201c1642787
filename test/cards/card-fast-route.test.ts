/**
 * The card GET is answered ahead of express (cards/contact-card/card-fast-route); express's own card route is
 * the reference it must match. The same signed requests go to the server as `crm-clv serve` runs it
 * (`cards.handler`) and to the express app alone: the status, the body and every header a client or a browser
 * acts on must be the same, for a card, an unknown contact, a bad query, an unsigned and a stale request.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningCards } from './serve-harness';
import { cardServer, seedCardFixture, signedHeaders, type CardFixture } from './card-fixture';

let f: CardFixture;
let up: RunningCards;
let expressOnly: Server;
let expressBase: string;

beforeAll(async () => {
  f = await seedCardFixture(120);
  up = await cardServer(f);
  expressOnly = createHttpServer(up.cards.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => expressOnly.once('listening', resolve));
  expressBase = `http://127.0.0.1:${(expressOnly.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  expressOnly?.closeAllConnections();
  await new Promise((resolve) => expressOnly?.close(resolve));
  await up?.close();
  await f?.close();
});

const HEADERS = [
  'content-type',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'strict-transport-security',
  'cross-origin-opener-policy',
];

type Answer = { status: number; body: string; headers: Record<string, string | null> };

async function answer(base: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { headers });
  return {
    status: res.status,
    body: await res.text(),
    headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
  };
}

describe('the card GET ahead of express', () => {
  it('answers every case exactly as the express route does', async () => {
    const scored = f.scores[0].customerId;
    const cases: [string, string, Record<string, string>][] = [];
    const signed = (name: string, path: string) => cases.push([name, path, signedHeaders('GET', path)]);
    signed('card', `/api/v1/cards/contact?portalId=1000&objectId=${scored}&appId=42`);
    signed('fallback card', `/api/v1/cards/contact?portalId=1000&objectId=${f.unscored[0]}`);
    signed('unknown contact', '/api/v1/cards/contact?portalId=1000&objectId=999999999999');
    signed('bad objectId', '/api/v1/cards/contact?portalId=1000&objectId=a%20b');
    signed('no objectId', '/api/v1/cards/contact?portalId=1000');
    signed('no portalId', `/api/v1/cards/contact?objectId=${scored}`);
    const path = `/api/v1/cards/contact?portalId=1000&objectId=${scored}`;
    cases.push(['unsigned', path, {}]);
    cases.push(['wrong secret', path, signedHeaders('GET', path, '', 'not-the-secret')]);
    cases.push(['stale', path, signedHeaders('GET', path, '', undefined, String(Date.now() - 10 * 60_000))]);

    const statuses = new Set<number>();
    for (const [name, p, headers] of cases) {
      const fast = await answer(up.base, p, headers);
      const reference = await answer(expressBase, p, headers);
      statuses.add(fast.status);
      expect({ name, ...fast }).toEqual({ name, ...reference });
    }
    // The cases reach every kind of answer, so matching is not matching on one kind only.
    expect([...statuses].sort()).toEqual([200, 400, 401, 404]);
  });

  it('counts its requests in /metrics under the route pattern', async () => {
    const count = async () => {
      const text = await (await up.get('/metrics')).text();
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            'crm_clv_http_requests_total{method="GET",route="/api/v1/cards/contact",status="200"}',
          ),
        );
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const before = await count();
    const p = `/api/v1/cards/contact?portalId=1000&objectId=${f.scores[1].customerId}`;
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${up.base}${p}`, { headers: signedHeaders('GET', p) })).status).toBe(200);
    expect((await count()) - before).toBe(3);
  });
});
