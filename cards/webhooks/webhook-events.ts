/**
 * The body of a HubSpot webhook delivery (NOTES §6): a JSON array of events, "under 100" per request. Only what
 * routing and the dedupe need is validated (and kept); any other field is ignored, so a field HubSpot adds later
 * never turns a delivery into a 400 (a 4xx makes HubSpot retry it for a day, then drop it).
 */
import { z } from 'zod';

/** Well above HubSpot's "under 100" per delivery; the body limit bounds the work too. */
export const MAX_EVENTS_PER_DELIVERY = 1000;

/**
 * A number field that may also come as a numeric string (the generic format's types are [U]); a union's own
 * message ("Invalid input") names nothing, so the message says what is wanted, or "Required".
 */
function idField(number: z.ZodNumber, pattern: RegExp, wanted: string) {
  return z.union([number, z.string().regex(pattern, `must be ${wanted}`)], {
    errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'Required' : `must be ${wanted}` }),
  });
}
const numericId = idField(z.number().int().nonnegative(), /^\d{1,20}$/, 'a number');

export const webhookEventSchema = z
  .object({
    eventId: numericId,
    portalId: idField(z.number().int().positive(), /^[1-9]\d{0,19}$/, 'a HubSpot portal id (a number)'),
    occurredAt: z.number().int().nonnegative(),
    /** `subscriptionType` in deliveries; the webhooks page's example says `eventType` (NOTES §6): either. */
    subscriptionType: z.string().min(1).max(200).optional(),
    eventType: z.string().min(1).max(200).optional(),
    objectId: numericId.optional(),
    propertyName: z.string().max(1000).optional(),
    propertyValue: z.unknown().optional(),
    // association changes name both ends instead of one object
    fromObjectId: numericId.optional(),
    toObjectId: numericId.optional(),
    associationType: z.string().max(200).optional(),
    associationRemoved: z.boolean().optional(),
    attemptNumber: z.number().int().nonnegative().optional(),
  })
  .superRefine((event, ctx) => {
    if (event.subscriptionType === undefined && event.eventType === undefined)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['subscriptionType'],
        message: 'Required (or eventType)',
      });
  });

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookDeliverySchema = z
  .array(webhookEventSchema, { invalid_type_error: 'a delivery is a JSON array of events' })
  .max(MAX_EVENTS_PER_DELIVERY);

export type WebhookDeliveryParse =
  { ok: true; events: WebhookEvent[] } | { ok: false; message: string; fields: string[] };

/** `[3].portalId`: the array index, then the field. */
function fieldName(path: (string | number)[]): string {
  if (path.length === 0) return '(body)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isText = (x: unknown, max: number, min = 0): x is string =>
  typeof x === 'string' && x.length >= min && x.length <= max;

/**
 * The common event, checked by hand: zod takes ~30 µs an event (3 ms a delivery) where this takes well under
 * one. It accepts only what the schema accepts and returns what the schema would (the known fields); anything
 * else (a numeric string id, a missing field) is left to the schema, which also words the 400. A test holds it
 * to that (test/cards/webhooks/webhook-events.test.ts), as domain/score.ts's plainlyValidScore is held.
 */
export function plainlyValidEvent(value: unknown): WebhookEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Record<string, unknown>;
  if (!isId(e.eventId) || !isId(e.portalId) || e.portalId === 0 || !isId(e.occurredAt)) return undefined;
  if (e.subscriptionType === undefined && e.eventType === undefined) return undefined;
  if (e.subscriptionType !== undefined && !isText(e.subscriptionType, 200, 1)) return undefined;
  if (e.eventType !== undefined && !isText(e.eventType, 200, 1)) return undefined;
  for (const id of ['objectId', 'fromObjectId', 'toObjectId', 'attemptNumber'] as const)
    if (e[id] !== undefined && !isId(e[id])) return undefined;
  if (e.propertyName !== undefined && !isText(e.propertyName, 1000)) return undefined;
  if (e.associationType !== undefined && !isText(e.associationType, 200)) return undefined;
  if (e.associationRemoved !== undefined && typeof e.associationRemoved !== 'boolean') return undefined;
  const event: Record<string, unknown> = {};
  for (const key of EVENT_KEYS) if (key in e) event[key] = e[key];
  return event as WebhookEvent;
}

const EVENT_KEYS = Object.keys(webhookEventSchema.innerType().shape);

/** The events of a delivery, or a message that names the fields that are wrong (at most 5). */
export function parseWebhookDelivery(json: unknown): WebhookDeliveryParse {
  if (Array.isArray(json) && json.length <= MAX_EVENTS_PER_DELIVERY) {
    const events: WebhookEvent[] = [];
    for (const value of json) {
      const event = plainlyValidEvent(value);
      if (event === undefined) break;
      events.push(event);
    }
    if (events.length === json.length) return { ok: true, events };
  }
  const parsed = webhookDeliverySchema.safeParse(json);
  if (parsed.success) return { ok: true, events: parsed.data };
  const issues = parsed.error.issues.slice(0, 5);
  const fields = issues.map((issue) => fieldName(issue.path));
  const sentences = issues.map((issue, i) => `${fields[i]}: ${issue.message}`);
  const more = parsed.error.issues.length - issues.length;
  return {
    ok: false,
    fields,
    message: `the delivery is not a list of HubSpot webhook events: ${sentences.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`,
  };
}

/** The event's subscription type, whichever name it came under. */
export function subscriptionTypeOf(event: WebhookEvent): string {
  return event.subscriptionType ?? event.eventType ?? '';
}
