/** The delivery body's check and the dedupe identity of an event. */
import { eventIdentity, parseWebhookDelivery, webhookEventSchema } from '../../../cards/webhooks';
import { plainlyValidEvent } from '../../../cards/webhooks/webhook-events';
import { buildEvent } from './webhook-harness';

const base = buildEvent();
const variants: [string, unknown][] = [
  ['legacy property change', base],
  ['creation without property', { ...base, propertyName: undefined, propertyValue: undefined }],
  [
    'eventType instead of subscriptionType',
    { ...base, subscriptionType: undefined, eventType: 'contact.creation' },
  ],
  [
    'association change',
    {
      ...base,
      objectId: undefined,
      fromObjectId: 1,
      toObjectId: 2,
      associationType: 'CONTACT_TO_DEAL',
      associationRemoved: false,
    },
  ],
  ['generic format', { ...base, subscriptionType: 'object.creation', objectTypeId: '0-1' }],
  ['numeric-string ids', { ...base, objectId: '123', portalId: '62515' }],
  ['no type', { ...base, subscriptionType: undefined }],
  ['empty type', { ...base, subscriptionType: '' }],
  ['portal 0', { ...base, portalId: 0 }],
  ['negative object', { ...base, objectId: -1 }],
  ['fractional time', { ...base, occurredAt: 1.5 }],
  ['string time', { ...base, occurredAt: '1764000000000' }],
  ['no eventId', { ...base, eventId: undefined }],
  ['huge integer', { ...base, eventId: 1e300 }],
  ['association flag as text', { ...base, associationRemoved: 'false' }],
  ['long property name', { ...base, propertyName: 'p'.repeat(1001) }],
  ['number value', { ...base, propertyValue: 12 }],
  ['null', null],
  ['array', [base]],
  ['string', 'event'],
];

describe('the hand-written check of a plain event', () => {
  it.each(variants)(
    '%s: accepts only what the schema accepts, and returns what it returns',
    (_name, value) => {
      const fast = plainlyValidEvent(JSON.parse(JSON.stringify(value ?? null)));
      const schema = webhookEventSchema.safeParse(JSON.parse(JSON.stringify(value ?? null)));
      if (fast !== undefined) {
        expect(schema.success).toBe(true);
        expect(fast).toEqual(schema.data);
      }
    },
  );

  it('takes the common events itself', () => {
    for (const [, value] of variants.slice(0, 5))
      expect(plainlyValidEvent(JSON.parse(JSON.stringify(value)))).toBeDefined();
  });
});

describe('parseWebhookDelivery', () => {
  it('takes numeric-string ids through the schema', () => {
    const parsed = parseWebhookDelivery([{ ...base, portalId: '62515' }]);
    expect(parsed.ok && parsed.events[0].portalId).toBe('62515');
  });

  it('names every wrong field, at most five', () => {
    const parsed = parseWebhookDelivery(
      Array.from({ length: 7 }, (_, i) => ({ ...base, eventId: `id-${i}` })),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fields).toEqual([
      '[0].eventId',
      '[1].eventId',
      '[2].eventId',
      '[3].eventId',
      '[4].eventId',
    ]);
    expect(parsed.message).toMatch(/\[0\]\.eventId: must be a number; .* \(and 2 more\)$/);
  });

  it('refuses more than 1,000 events', () => {
    expect(parseWebhookDelivery(Array.from({ length: 1001 }, () => base)).ok).toBe(false);
  });
});

describe('eventIdentity', () => {
  it('is the same for a retry (attemptNumber) and for fields outside the identity', () => {
    expect(eventIdentity({ ...base, attemptNumber: 3 })).toBe(eventIdentity(base));
  });

  it('tells apart events that share an eventId, and the same change in two portals', () => {
    const others = [
      { ...base, objectId: 124 },
      { ...base, portalId: 62516 },
      { ...base, occurredAt: base.occurredAt + 1 },
      { ...base, propertyValue: 'lead' },
      { ...base, propertyName: 'email' },
      { ...base, subscriptionType: 'contact.creation' },
      { ...base, eventId: 2 },
    ];
    const ids = new Set([base, ...others].map((e) => eventIdentity(e)));
    expect(ids.size).toBe(others.length + 1);
  });
});
