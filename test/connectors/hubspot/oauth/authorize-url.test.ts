import { Client } from '@hubspot/api-client';
import { ZodError } from 'zod';
import { buildAuthorizeUrl } from '../../../../connectors/hubspot/oauth';

describe('buildAuthorizeUrl (NOTES §4.8)', () => {
  const input = {
    clientId: 'client-id',
    redirectUri: 'https://app.example.com/oauth/callback',
    scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    optionalScopes: ['crm.objects.deals.read'],
    state: 'st8',
  };

  it('builds exactly the URL NOTES §4.8 records for these inputs', () => {
    // Copied by hand from NOTES §4.8 / captures line 28 (what the SDK built for the same arguments).
    expect(buildAuthorizeUrl(input)).toBe(
      'https://app.hubspot.com/oauth/authorize?client_id=client-id' +
        '&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback' +
        '&scope=crm.objects.contacts.read%20crm.objects.contacts.write' +
        '&optional_scope=crm.objects.deals.read&state=st8',
    );
  });

  it('has HubSpot host and path, and each parameter decodes to its input', () => {
    const url = new URL(
      buildAuthorizeUrl({ ...input, redirectUri: 'https://crm-clv.example/oauth/callback?x=1&y=a b' }),
    );
    expect(url.origin).toBe('https://app.hubspot.com');
    expect(url.pathname).toBe('/oauth/authorize');
    expect([...url.searchParams.keys()]).toEqual([
      'client_id',
      'redirect_uri',
      'scope',
      'optional_scope',
      'state',
    ]);
    expect(url.searchParams.get('client_id')).toBe('client-id');
    expect(url.searchParams.get('redirect_uri')).toBe('https://crm-clv.example/oauth/callback?x=1&y=a b');
    expect(url.searchParams.get('scope')).toBe('crm.objects.contacts.read crm.objects.contacts.write');
    expect(url.searchParams.get('optional_scope')).toBe('crm.objects.deals.read');
    expect(url.searchParams.get('state')).toBe('st8');
  });

  it('agrees with the SDK’s own getAuthorizationUrl, with and without the optional parts', () => {
    const sdk = new Client().oauth;
    const scope = input.scopes.join(' ');
    expect(buildAuthorizeUrl(input)).toBe(
      sdk.getAuthorizationUrl(input.clientId, input.redirectUri, scope, 'crm.objects.deals.read', 'st8'),
    );
    const minimal = { clientId: 'c', redirectUri: 'http://localhost:3000/cb', scopes: ['oauth'] };
    expect(buildAuthorizeUrl(minimal)).toBe(
      sdk.getAuthorizationUrl('c', 'http://localhost:3000/cb', 'oauth'),
    );
    expect(new URL(buildAuthorizeUrl(minimal)).searchParams.has('state')).toBe(false);
    expect(new URL(buildAuthorizeUrl(minimal)).searchParams.has('optional_scope')).toBe(false);
  });

  it.each([
    ['no scopes', { scopes: [] }, 'scopes'],
    ['a scope with a space', { scopes: ['crm.objects.contacts.read crm.x'] }, 'scopes'],
    ['a relative redirect URI', { redirectUri: '/oauth/callback' }, 'redirectUri'],
    ['a non-http redirect URI', { redirectUri: 'ftp://example.com/cb' }, 'redirectUri'],
    ['an empty client id', { clientId: '' }, 'clientId'],
  ])('refuses %s, naming the field', (_label, change, field) => {
    let error: unknown;
    try {
      buildAuthorizeUrl({ ...input, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0].path[0]).toBe(field);
  });
});
