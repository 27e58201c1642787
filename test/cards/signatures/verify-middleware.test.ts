/**
 * The signature middleware in front of a route: nothing behind it runs for a refused request, it answers 401
 * with the reason as JSON, it verifies the body's exact bytes, and the only fact it hands on is the portal id of
 * the signed URL.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import {
  bodyErrors,
  signatureV1,
  signatureV3,
  verifiedPortalId,
  verifyHubSpotSignature,
} from '../../../cards/signatures';

const SECRET = 'test-client-secret-0f3a';
let server: Server;
let base: string;
let host: string;
const reached: string[] = [];

beforeAll(async () => {
  const app = express();
  app.get(
    '/card',
    ...verifyHubSpotSignature({
      clientSecret: SECRET,
      versions: ['v3'],
      maxBodyBytes: 1024,
      portalId: 'query',
    }),
    (req, res) => {
      reached.push(req.originalUrl);
      res.json({ portalId: verifiedPortalId(req) });
    },
  );
  app.post(
    '/hook',
    ...verifyHubSpotSignature({ clientSecret: SECRET, versions: ['v3', 'v1'], maxBodyBytes: 1024 }),
    (req, res) => {
      reached.push(req.originalUrl);
      res.json({ bytes: (req.body as Buffer).length, portalId: verifiedPortalId(req) ?? null });
    },
  );
  app.post(
    '/proxied',
    ...verifyHubSpotSignature({
      clientSecret: SECRET,
      versions: ['v3'],
      maxBodyBytes: 1024,
      publicUrl: 'https://crm-clv.example.com/',
    }),
    (req, res) => {
      reached.push(req.originalUrl);
      res.json({ ok: true });
    },
  );
  app.post(
    '/unconfigured',
    ...verifyHubSpotSignature({ clientSecret: undefined, versions: ['v3'], maxBodyBytes: 1024 }),
    (req, res) => {
      reached.push(req.originalUrl);
      res.json({ ok: true });
    },
  );
  app.use(bodyErrors);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  reached.length = 0;
});

function v3Headers(method: string, url: string, body = '', timestamp = String(Date.now()), secret = SECRET) {
  return {
    'x-hubspot-signature-v3': signatureV3(secret, { method, uri: url, body, timestamp }),
    'x-hubspot-request-timestamp': timestamp,
  };
}

describe('signed GET with the portal id in the query', () => {
  it('lets a signed request through and hands on the signed portal id', async () => {
    const path = '/card?portalId=62515&objectId=101&email=a%40b.com';
    const res = await fetch(`${base}${path}`, { headers: v3Headers('GET', `https://${host}${path}`) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ portalId: '62515' });
    expect(reached).toEqual([path]);
  });

  it('refuses, with 401 and the reason, an unsigned request, and the handler never runs', async () => {
    const res = await fetch(`${base}/card?portalId=62515`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('SIGNATURE_MISSING');
    expect(body.message).toMatch(/X-HubSpot-Signature-v3/);
    expect(reached).toEqual([]);
  });

  it("refuses another portal's id in a URL signed for this one", async () => {
    const headers = v3Headers('GET', `https://${host}/card?portalId=1000`);
    const res = await fetch(`${base}/card?portalId=2000`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('SIGNATURE_MISMATCH');
    expect(reached).toEqual([]);
  });

  it('refuses a stale and a future timestamp', async () => {
    const url = `https://${host}/card?portalId=1000`;
    for (const [offset, code] of [
      [-301_000, 'SIGNATURE_TIMESTAMP_EXPIRED'],
      [301_000, 'SIGNATURE_TIMESTAMP_IN_FUTURE'],
    ] as const) {
      const res = await fetch(`${base}/card?portalId=1000`, {
        headers: v3Headers('GET', url, '', String(Date.now() + offset)),
      });
      expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([401, code]);
    }
    expect(reached).toEqual([]);
  });

  it('refuses v1 where only v3 is taken (v1 does not sign the URL)', async () => {
    const res = await fetch(`${base}/card?portalId=1000`, {
      headers: { 'x-hubspot-signature': signatureV1(SECRET, ''), 'x-hubspot-signature-version': 'v1' },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('SIGNATURE_VERSION_UNSUPPORTED');
    expect(() =>
      verifyHubSpotSignature({
        clientSecret: SECRET,
        versions: ['v3', 'v1'],
        maxBodyBytes: 1,
        portalId: 'query',
      }),
    ).toThrow(RangeError);
  });

  it('answers 400 naming portalId when a signed URL has none', async () => {
    const res = await fetch(`${base}/card?objectId=1`, {
      headers: v3Headers('GET', `https://${host}/card?objectId=1`),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^portalId: required/);
    expect(reached).toEqual([]);
  });
});

describe('signed POST bodies', () => {
  // Spaces, key order and an escaped character: a JSON parser and re-serialiser would change these bytes.
  const body = '[ {"b":1, "a":"caf\\u00e9 ☕"} ]';

  it('verifies the exact bytes received, v3 and v1', async () => {
    const v3 = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v3Headers('POST', `https://${host}/hook`, body) },
      body,
    });
    expect(v3.status).toBe(200);
    expect(await v3.json()).toEqual({ bytes: Buffer.byteLength(body), portalId: null });
    const v1 = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature': signatureV1(SECRET, body),
        'x-hubspot-signature-version': 'v1',
      },
      body,
    });
    expect(v1.status).toBe(200);
  });

  it('refuses a body changed after signing, and a signature of another secret', async () => {
    const headers = {
      'content-type': 'application/json',
      ...v3Headers('POST', `https://${host}/hook`, body),
    };
    const tampered = await fetch(`${base}/hook`, { method: 'POST', headers, body: body.replace('1', '2') });
    expect(tampered.status).toBe(401);
    const other = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...v3Headers('POST', `https://${host}/hook`, body, undefined, 'x'),
      },
      body,
    });
    expect(other.status).toBe(401);
    const v1 = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: { 'x-hubspot-signature': signatureV1('x', body), 'x-hubspot-signature-version': 'v1' },
      body,
    });
    expect(v1.status).toBe(401);
    expect(reached).toEqual([]);
  });

  it('answers 413 for a body over the limit without reaching the handler', async () => {
    const big = 'x'.repeat(2048);
    const res = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: v3Headers('POST', `https://${host}/hook`, big),
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('PAYLOAD_TOO_LARGE');
    expect(reached).toEqual([]);
  });

  it('signs against the configured public URL behind a proxy, not the Host header', async () => {
    const headers = v3Headers('POST', 'https://crm-clv.example.com/proxied', body);
    const res = await fetch(`${base}/proxied`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    const direct = await fetch(`${base}/proxied`, {
      method: 'POST',
      headers: v3Headers('POST', `https://${host}/proxied`, body),
      body,
    });
    expect(direct.status).toBe(401);
  });

  it('answers 503 saying what to set when no client secret is configured', async () => {
    const res = await fetch(`${base}/unconfigured`, {
      method: 'POST',
      headers: v3Headers('POST', `https://${host}/unconfigured`, body),
      body,
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/HUBSPOT_CLIENT_SECRET/);
    expect(reached).toEqual([]);
  });
});
