import { Client } from '@hubspot/api-client';
import { callWithRetry } from '../../../connectors/hubspot/call-with-retry';
import { createHubSpotConnection } from '../../../connectors/hubspot/create-client';
import { HubSpotBaseUrlError } from '../../../connectors/hubspot/errors';
import { createHubSpotLimiters } from '../../../connectors/hubspot/rate-limiter';
import { redactUrl, urlHasCredentials } from '../../../connectors/hubspot/redact-url';
import { DEFAULT_RETRY_OPTIONS } from '../../../connectors/hubspot/retry-policy';
import { fakeClock, seededRandom } from './fake-clock';

describe('redactUrl', () => {
  it.each([
    ['http://user:pass@host', 'http://***@host'],
    ['https://user:pass@api.example.com:8443/crm/v3?x=1', 'https://***@api.example.com:8443/crm/v3?x=1'],
    ['http://token@127.0.0.1:4010', 'http://***@127.0.0.1:4010'],
    ['http://us%40er:p@ss@host/path', 'http://***@host/path'],
    ['http://127.0.0.1:4010/crm/v3/objects', 'http://127.0.0.1:4010/crm/v3/objects'],
    ['http://host/search?email=a@b.com', 'http://host/search?email=a@b.com'],
    ['mailto:a@b.com', 'mailto:a@b.com'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('redacts every URL inside a message and leaves the rest', () => {
    expect(
      redactUrl('cannot reach http://a:b@one.example/x (then tried https://c:d@two.example) for a@b.com'),
    ).toBe('cannot reach http://***@one.example/x (then tried https://***@two.example) for a@b.com');
  });

  it('tells URLs with credentials apart', () => {
    expect(urlHasCredentials('http://user:pass@host')).toBe(true);
    expect(urlHasCredentials('http://@host')).toBe(true);
    expect(urlHasCredentials('http://host/a@b')).toBe(false);
    expect(urlHasCredentials('https://api.hubapi.com')).toBe(false);
  });
});

describe('a base URL with credentials is never echoed', () => {
  it('createHubSpotConnection refuses it with the URL redacted', () => {
    const make = () =>
      createHubSpotConnection({
        accessToken: 't',
        baseUrl: 'http://admin:s3cret@127.0.0.1:4010',
        account: { auth: 'oauth' },
      });
    expect(make).toThrow(HubSpotBaseUrlError);
    expect(make).toThrow('http://***@127.0.0.1:4010');
    try {
      make();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cret');
      expect((error as { code?: string }).code).toBe('INVALID_OPTION');
    }
  });

  it("callWithRetry redacts fetch's own error, which quotes the URL with its credentials", async () => {
    // A client built elsewhere (not through createHubSpotConnection): fetch refuses the URL and says it in full.
    const client = new Client({
      accessToken: 't',
      basePath: 'http://admin:s3cret@127.0.0.1:9',
      numberOfApiCallRetries: 0,
    });
    const clock = fakeClock(0);
    const limiters = createHubSpotLimiters({ auth: 'oauth' }, clock);
    const error = await callWithRetry(
      () => client.crm.contacts.basicApi.getPage(1),
      limiters.general,
      clock,
      { ...DEFAULT_RETRY_OPTIONS, random: seededRandom(1) },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('TypeError'); // fetch's own realm: not instanceof this one's
    expect(error?.message).toContain('http://***@127.0.0.1:9/crm/v3/objects/contacts');
    expect(error?.message).not.toContain('s3cret');
    expect(error?.stack ?? '').not.toContain('s3cret');
  });
});
