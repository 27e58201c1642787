/**
 * The HubSpot project's files against each other and against our server (NOTES §1.3, §1.4, §6): the card may
 * only fetch from an origin the app permits, local development proxies that same origin, the webhooks reach the
 * route the server serves, and no subscription watches a property our own write-back changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLV_PROPERTY_NAMES } from '../../../connectors/hubspot/property-contract';
import { DEFAULT_OPTIONAL_SCOPES, DEFAULT_SCOPES } from '../../../cards/oauth/oauth-install-routes';
import { WEBHOOK_PATH } from '../../../cards/webhooks/hubspot-webhook-route';
import { CARD_API_ORIGIN } from '../../../cards/hubspot/src/app/cards/card-api';

const project = path.resolve(__dirname, '../../../cards/hubspot');
const json = (file: string) => JSON.parse(readFileSync(path.join(project, file), 'utf8'));

const app = json('src/app/app-hsmeta.json');
const card = json('src/app/cards/contact-clv-hsmeta.json');
const webhooks = json('src/app/webhooks/webhooks-hsmeta.json');

type Subscription = { subscriptionType: string; objectType?: string; propertyName?: string; active: boolean };

describe('the HubSpot project', () => {
  it('is on platform 2025.2 with its sources in src/', () => {
    expect(json('hsproject.json')).toMatchObject({ srcDir: 'src', platformVersion: '2025.2' });
  });

  it('is an OAuth app with the scopes sync, write-back and the card need', () => {
    expect(app).toMatchObject({ type: 'app', config: { auth: { type: 'oauth' } } });
    expect(['private', 'marketplace']).toContain(app.config.distribution);
    expect(app.config.auth.requiredScopes).toEqual(
      expect.arrayContaining([
        'oauth',
        'crm.objects.contacts.read',
        'crm.objects.contacts.write',
        'crm.objects.deals.read',
        'crm.objects.owners.read',
        'e-commerce',
        'tickets',
      ]),
    );
  });

  it('declares the scopes our install route asks for (HubSpot refuses an install whose scopes differ)', () => {
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...DEFAULT_SCOPES].sort());
    expect([...app.config.auth.optionalScopes].sort()).toEqual([...DEFAULT_OPTIONAL_SCOPES].sort());
  });

  it('permits the card to fetch from the origin it calls, over HTTPS, and proxies it locally', () => {
    expect(CARD_API_ORIGIN).toMatch(/^https:\/\/[^/]+$/);
    expect(app.config.permittedUrls.fetch).toContain(CARD_API_ORIGIN);
    expect(Object.keys(json('src/app/local.json').proxy)).toEqual([CARD_API_ORIGIN]);
    // The install's callback (cards/oauth) on the same server.
    expect(app.config.auth.redirectUrls).toContain(`${CARD_API_ORIGIN}/oauth/callback`);
  });

  it('puts the card in the contact sidebar, with an entry point that exists', () => {
    expect(card).toMatchObject({
      type: 'card',
      config: { location: 'crm.record.sidebar', objectTypes: ['contacts'] },
    });
    expect(existsSync(path.join(project, 'src', card.config.entrypoint))).toBe(true);
  });

  it('sends webhooks to the route our server verifies', () => {
    expect(webhooks.type).toBe('webhooks');
    expect(webhooks.config.settings.targetUrl).toBe(`${CARD_API_ORIGIN}${WEBHOOK_PATH}`);
    // NOTES §6: more than 5 in flight, HubSpot's default 10.
    expect(webhooks.config.settings.maxConcurrentRequests).toBeGreaterThan(5);
  });

  it('subscribes to creation, deletion, association and property changes of contacts, deals, line items and tickets', () => {
    const subscriptions: Subscription[] = webhooks.config.subscriptions.crmObjects;
    for (const objectType of ['contact', 'deal', 'line_item', 'ticket'])
      for (const type of ['creation', 'deletion', 'associationChange', 'propertyChange'])
        expect(subscriptions).toContainEqual(
          expect.objectContaining({ subscriptionType: `object.${type}`, objectType, active: true }),
        );
    // Generic subscriptions name the object with objectType on 2025.2 (2025.1's objectName is refused).
    expect(subscriptions.every((s) => s.objectType !== undefined && !('objectName' in s))).toBe(true);
  });

  it('names one property per property-change subscription, never one our write-back changes', () => {
    const changes = (webhooks.config.subscriptions.crmObjects as Subscription[]).filter(
      (s) => s.subscriptionType === 'object.propertyChange',
    );
    expect(changes.every((s) => typeof s.propertyName === 'string' && s.propertyName !== '')).toBe(true);
    // A write-back that triggered a sync that triggered a score that triggered a write-back would never stop.
    const ours = new Set(CLV_PROPERTY_NAMES);
    expect(changes.filter((s) => ours.has(s.propertyName!))).toEqual([]);
    // NOTES §6: these two cannot be subscribed.
    const refused = ['num_unique_conversion_events', 'hs_lastmodifieddate'];
    expect(changes.filter((s) => refused.includes(s.propertyName!))).toEqual([]);
  });
});
