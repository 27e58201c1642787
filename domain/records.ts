/**
 * Canonical records (../shared/DESIGN.md, "Canonical records"): the one source of truth for the types every
 * connector produces and the worker consumes. Dates are ISO-8601 strings, not Date objects, because records
 * are stored as NDJSON and in Redis and must round-trip without a reviver.
 */
import { z } from 'zod';

/** ISO-8601 datetime with offset (HubSpot returns `2024-05-01T10:00:00.000Z`). */
const isoDateTime = z.string().datetime({ offset: true });
/** Calendar date `YYYY-MM-DD`. */
const isoDate = z.string().date();
const nonEmpty = z.string().min(1);

export const RECORD_SOURCES = ['hubspot', 'salesforce', 'csv'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

export const engagementSchema = z.object({
  pageViews: z.number().int().nonnegative(),
  visits: z.number().int().nonnegative(),
  emailOpens: z.number().int().nonnegative(),
  emailClicks: z.number().int().nonnegative(),
  socialClicks: z.number().int().nonnegative(),
  lastEngagedAt: isoDateTime.optional(),
});
export type Engagement = z.infer<typeof engagementSchema>;

export const customerSchema = z.object({
  id: nonEmpty,
  tenant: nonEmpty,
  source: z.enum(RECORD_SOURCES),
  externalId: nonEmpty,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  country: z.string().optional(),
  region: z.string().optional(),
  city: z.string().optional(),
  birthDate: isoDate.optional(),
  /**
   * Not in the DESIGN table: CRMs often hold an age instead of a birth date; deriving a birth date from an
   * age would invent precision, so it is kept as given.
   */
  age: z.number().int().min(0).max(130).optional(),
  gender: z.string().optional(),
  lifecycleStage: z.string().optional(),
  ownerId: z.string().optional(),
  acquisitionChannel: z.string().optional(),
  engagement: engagementSchema.optional(),
});
export type Customer = z.infer<typeof customerSchema>;

export const ORDER_STATUSES = ['won', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orderLineSchema = z.object({
  productId: nonEmpty,
  quantity: z.number().finite(),
  unitPrice: z.number().finite(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const orderSchema = z.object({
  id: nonEmpty,
  customerId: nonEmpty,
  placedAt: isoDateTime,
  amount: z.number().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
  status: z.enum(ORDER_STATUSES),
  channel: z.string().optional(),
  ownerId: z.string().optional(),
  lines: z.array(orderLineSchema).optional(),
});
export type Order = z.infer<typeof orderSchema>;

export const productSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  category: z.string().optional(),
  price: z.number().finite().optional(),
});
export type Product = z.infer<typeof productSchema>;

export const repSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  email: z.string().optional(),
});
export type Rep = z.infer<typeof repSchema>;

export const serviceCaseSchema = z.object({
  id: nonEmpty,
  customerId: nonEmpty,
  openedAt: isoDateTime,
  closedAt: isoDateTime.optional(),
  priority: z.string().optional(),
  status: z.string().optional(),
});
export type ServiceCase = z.infer<typeof serviceCaseSchema>;

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/**
 * Every deal/opportunity, whatever its outcome, for sales performance (DESIGN). A won one is an Order too; a
 * deal closed without a win (lost, or a refund stage) is 'lost' here, its stage says which.
 */
export const dealSchema = z.object({
  id: nonEmpty,
  /** The contact it is attributed to; absent when the CRM ties it to no contact. */
  customerId: nonEmpty.optional(),
  ownerId: nonEmpty,
  amount: z.number().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
  createdAt: isoDateTime,
  /** When a closed deal closed; absent while open (an open deal's close date is only expected). */
  closedAt: isoDateTime.optional(),
  stage: nonEmpty,
  status: z.enum(DEAL_STATUSES),
  source: z.string().optional(),
  campaignId: z.string().optional(),
});
export type Deal = z.infer<typeof dealSchema>;

export const campaignSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  cost: z.number().finite().nonnegative().optional(),
  /**
   * Not in the DESIGN table: the currency of `cost` where the CRM says (a multi-currency org); absent, it is
   * the tenant's currency.
   */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')
    .optional(),
  channel: z.string().optional(),
  /** Not in the DESIGN table: the CRM's own campaign status (Planned, In Progress, Completed…). */
  status: z.string().optional(),
});
export type Campaign = z.infer<typeof campaignSchema>;

/**
 * A campaign's member (DESIGN: Campaign members: customerId, [status, respondedAt]), stored as its own record
 * rather than inside the Campaign: one membership changing rewrites one small record, not a campaign of
 * 100,000 members, and a removed customer takes its memberships along.
 */
export const campaignMemberSchema = z.object({
  id: nonEmpty,
  campaignId: nonEmpty,
  customerId: nonEmpty,
  status: z.string().optional(),
  /** When the member first responded; absent when they have not. */
  respondedAt: isoDateTime.optional(),
  /** Not in the DESIGN table: when the customer joined the campaign (the first one is an acquisition channel). */
  joinedAt: isoDateTime,
});
export type CampaignMember = z.infer<typeof campaignMemberSchema>;

/** The engagement an activity stands for (see domain/engagement.ts for what each counts as). */
export const ACTIVITY_KINDS = ['email', 'call', 'meeting'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * Not in the DESIGN table: one logged activity of a customer (a CRM's email, call or meeting record), kept so a
 * customer's engagement counters can be recounted from what is stored when activities change or are deleted,
 * instead of being added to and never taken from.
 */
export const activitySchema = z.object({
  id: nonEmpty,
  customerId: nonEmpty,
  kind: z.enum(ACTIVITY_KINDS),
  occurredAt: isoDateTime,
});
export type Activity = z.infer<typeof activitySchema>;

export const recordSchemas = {
  customer: customerSchema,
  order: orderSchema,
  product: productSchema,
  rep: repSchema,
  serviceCase: serviceCaseSchema,
  deal: dealSchema,
  campaign: campaignSchema,
  campaignMember: campaignMemberSchema,
  activity: activitySchema,
} as const;

export type RecordType = keyof typeof recordSchemas;
export type RecordOf<T extends RecordType> = z.infer<(typeof recordSchemas)[T]>;

/** A record that failed validation or mapping: skipped and reported, never thrown. */
export type Rejection = { type: RecordType; id: string; reason: string };

export type ValidatedBatch<T extends RecordType> = { valid: RecordOf<T>[]; rejected: Rejection[] };

/**
 * Validates a batch of candidate records of one type; invalid ones are reported with their id and a sentence
 * naming each bad field, so a sync never crashes on one bad record.
 * Example: validateBatch('order', [{ id: 'o1', amount: 'abc', … }]).rejected[0].reason
 *   → "amount: expected a number, got 'abc'"
 */
export function validateBatch<T extends RecordType>(type: T, items: readonly unknown[]): ValidatedBatch<T> {
  const valid: RecordOf<T>[] = [];
  const rejected: Rejection[] = [];
  for (const item of items) {
    const result = validateRecord(type, item);
    if (result.ok) valid.push(result.record);
    else rejected.push(result.rejection);
  }
  return { valid, rejected };
}

export type ValidationResult<T extends RecordType> =
  { ok: true; record: RecordOf<T> } | { ok: false; rejection: Rejection };

/** Validates one candidate record; see validateBatch. */
export function validateRecord<T extends RecordType>(type: T, item: unknown): ValidationResult<T> {
  const parsed = recordSchemas[type].safeParse(item);
  if (parsed.success) return { ok: true, record: parsed.data as RecordOf<T> };
  return {
    ok: false,
    rejection: { type, id: idOf(item), reason: describeIssues(parsed.error.issues, item) },
  };
}

/** All issues of a failed parse as one sentence per issue, joined with "; ". */
export function describeIssues(issues: readonly z.ZodIssue[], input: unknown): string {
  return issues.map((issue) => describeIssue(issue, input)).join('; ');
}

/**
 * One zod issue as a sentence that names the field and shows the bad value:
 * "amount: expected a number, got 'abc'", "createdAt: is required but was not provided".
 */
export function describeIssue(issue: z.ZodIssue, input: unknown): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(record)';
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field}: is required but was not provided`;
      return `${field}: expected ${article(issue.expected)}, got ${show(value)}`;
    case 'invalid_enum_value':
      return `${field}: expected one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}, got ${show(value)}`;
    case 'invalid_string':
      if (issue.validation === 'datetime')
        return `${field}: expected an ISO-8601 datetime such as 2024-05-01T10:00:00.000Z, got ${show(value)}`;
      if (issue.validation === 'date') return `${field}: expected a date YYYY-MM-DD, got ${show(value)}`;
      return `${field}: ${lowerFirst(issue.message)}, got ${show(value)}`;
    case 'too_small':
      if (issue.type === 'string') return `${field}: must not be empty`;
      return `${field}: must be at least ${String(issue.minimum)}, got ${show(value)}`;
    case 'too_big':
      return `${field}: must be at most ${String(issue.maximum)}, got ${show(value)}`;
    default:
      return `${field}: ${lowerFirst(issue.message)}`;
  }
}

function idOf(item: unknown): string {
  if (typeof item === 'object' && item !== null && 'id' in item) {
    const id = (item as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return '(no id)';
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 59)}…` : value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
