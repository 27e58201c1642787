import { generateKeyPairSync, verify } from 'node:crypto';
import {
  connectSalesforce,
  defaultAudience,
  type SalesforceTokens,
} from '../../../../connectors/salesforce/create-connection';
import { SalesforceAuthError, SalesforceSessionError } from '../../../../connectors/salesforce/errors';
import { eachPage } from '../../../../connectors/salesforce/query-pages';
import { createCaller } from '../../../../connectors/salesforce/salesforce-caller';
import { ORG_ID, StubSalesforce, sfId } from './stub-salesforce';

let stub: StubSalesforce;
beforeEach(async () => {
  stub = new StubSalesforce();
  stub.tables.Contact = [{ Id: sfId('003', 1), Email: 'a@example.com' }];
  await stub.start();
});
afterEach(() => stub.close());

async function queryContacts(sf: Awaited<ReturnType<typeof connectSalesforce>>): Promise<number> {
  return eachPage(sf, createCaller(sf), 'SELECT Id, Email FROM Contact', () => undefined);
}

describe('Salesforce connection', () => {
  it('calls API version 62.0 with the access token, never jsforce’s default 50.0', async () => {
    const sf = await connectSalesforce({
      kind: 'access-token',
      instanceUrl: stub.baseUrl,
      accessToken: 'TOKEN_OK',
    });
    expect(sf.conn.version).toBe('62.0');
    expect(await queryContacts(sf)).toBe(1);
    const [request] = stub.restRequests();
    // NOTES §2.1 captured shape: GET /services/data/v62.0/query?q=<encodeURIComponent(soql)>
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/services/data/v62.0/query');
    expect(request.query.get('q')).toBe('SELECT Id, Email FROM Contact');
    expect(request.headers.authorization).toBe('Bearer TOKEN_OK');
  });

  it('refreshes an expired session once with the refresh token, replays, and hands rotated tokens to the caller', async () => {
    stub.rotateRefreshTokens = true;
    const tokens: SalesforceTokens[] = [];
    const sf = await connectSalesforce(
      {
        kind: 'refresh-token',
        clientId: 'CID',
        clientSecret: 'CSECRET',
        refreshToken: 'RT_GOOD',
        loginUrl: stub.baseUrl,
        instanceUrl: stub.baseUrl,
        accessToken: 'EXPIRED',
      },
      { onTokens: (t) => void tokens.push(t) },
    );
    expect(await queryContacts(sf)).toBe(1);
    const tokenPosts = stub.requests.filter((r) => r.path === '/services/oauth2/token');
    expect(tokenPosts).toHaveLength(1);
    // NOTES §1.2 captured body: grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…
    const form = new URLSearchParams(tokenPosts[0].body);
    expect([...form.keys()].sort()).toEqual(['client_id', 'client_secret', 'grant_type', 'refresh_token']);
    expect(form.get('grant_type')).toBe('refresh_token');
    const queries = stub.restRequests('GET');
    expect(queries.map((r) => r.headers.authorization)).toEqual(['Bearer EXPIRED', 'Bearer 00D_ISSUED_1']);
    await new Promise((r) => setImmediate(r));
    expect(tokens).toEqual([
      { accessToken: '00D_ISSUED_1', instanceUrl: stub.baseUrl, refreshToken: 'RT_ROTATED_1' },
    ]);
    expect(sf.conn.refreshToken).toBe('RT_ROTATED_1');
    expect(sf.orgId).toBe(ORG_ID);
  });

  it('fails with a session error instead of refreshing in a loop when the new token is refused too', async () => {
    stub.refuseIssuedTokens = true;
    const sf = await connectSalesforce({
      kind: 'refresh-token',
      clientId: 'CID',
      clientSecret: 'CSECRET',
      refreshToken: 'RT_GOOD',
      loginUrl: stub.baseUrl,
      instanceUrl: stub.baseUrl,
      accessToken: 'EXPIRED',
    });
    await expect(queryContacts(sf)).rejects.toThrow(SalesforceSessionError);
    expect(stub.requests.filter((r) => r.path === '/services/oauth2/token')).toHaveLength(1);
  });

  it('reports a refused refresh token without quoting any secret', async () => {
    const sf = await connectSalesforce({
      kind: 'refresh-token',
      clientId: 'CID',
      clientSecret: 'CSECRET_VALUE',
      refreshToken: 'RT_REVOKED_SECRET',
      loginUrl: stub.baseUrl,
      instanceUrl: stub.baseUrl,
      accessToken: 'EXPIRED_TOKEN_VALUE',
    });
    const error = await queryContacts(sf).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as Error).message).toMatch(/expired access\/refresh token/);
    for (const secret of ['CSECRET_VALUE', 'RT_REVOKED_SECRET', 'EXPIRED_TOKEN_VALUE'])
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(secret);
  });

  it('fails clearly when a bare access token expires (nothing to refresh with)', async () => {
    const sf = await connectSalesforce({
      kind: 'access-token',
      instanceUrl: stub.baseUrl,
      accessToken: 'STALE',
    });
    const error = await queryContacts(sf).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceSessionError);
    expect((error as Error).message).toMatch(/INVALID_SESSION_ID.*refresh token or the JWT bearer flow/);
  });

  it('signs an RS256 JWT bearer assertion that verifies with the app certificate’s public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let claims: Record<string, unknown> = {};
    stub.onToken = (form) => {
      const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
      const ok = verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      );
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256' });
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return ok ? undefined : 'invalid assertion';
    };
    const now = Date.UTC(2026, 0, 1);
    const sf = await connectSalesforce(
      {
        kind: 'jwt',
        clientId: 'CONSUMER_KEY',
        username: 'int@acme.example',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        loginUrl: stub.baseUrl,
        audience: 'https://test.salesforce.com',
      },
      { now: () => now },
    );
    expect(claims).toEqual({
      iss: 'CONSUMER_KEY',
      sub: 'int@acme.example',
      aud: 'https://test.salesforce.com',
      exp: now / 1000 + 180,
    });
    const form = new URLSearchParams(stub.requests[0].body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    // NOTES §1.3 captured body: grant_type and assertion only (the consumer key is the assertion's iss).
    expect([...form.keys()].sort()).toEqual(['assertion', 'grant_type']);
    expect(sf.orgId).toBe(ORG_ID);
    expect(sf.conn.instanceUrl).toBe(stub.baseUrl);
    expect(await queryContacts(sf)).toBe(1);
  });

  it('addresses the JWT to login or test.salesforce.com even when the token comes from a My Domain', () => {
    expect(defaultAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(defaultAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe(
      'https://test.salesforce.com',
    );
    expect(defaultAudience('https://test.salesforce.com/')).toBe('https://test.salesforce.com');
    expect(defaultAudience('http://127.0.0.1:4020/')).toBe('http://127.0.0.1:4020');
  });
});
