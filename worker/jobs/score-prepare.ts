/**
 * The score stage's first fan-out (issue P5): before the fit, `prepare` shards each read one range of the
 * tenant's customer buckets from the store (their orders, customer records and service cases), clean them and
 * leave the part as the run's scratch (./cleaned-part); the fit then merges the parts (./merge-cleaned-parts)
 * instead of reading and cleaning the whole tenant itself. What all parts must share is chosen once by the plan
 * step: the observation end, the base currency, the rates, and how many parts.
 *
 * A prepare shard also reads its share of the tenant's last run's Scores for their segments (what keeps segment
 * ids stable), so the fit need not read a million Scores itself: the parts' segments, all of one commit, are
 * the whole run's (RecordStore.readScoreSegmentsPart).
 *
 * The base currency is the tenant's main currency unless the run names one; the plan guesses it from a sample
 * of buckets, and the fit, which has every part's counts, checks the guess: a wrong one (a tenant whose main
 * currency is rare in the sample) makes the fit clean the tenant whole, as does a part that cannot be merged.
 */
import { deserialize, serialize } from 'node:v8';
import type { CleanerConfigInput } from '../analytics/clean';
import { STANDARD_SCORE_SETTINGS } from '../pipeline/score-settings';
import { cleanerConfigFor } from '../pipeline/score-transactions';
import { bucketRange, CUSTOMER_BUCKETS, type BucketRange } from '../state/customer-buckets';
import type { RecordStore } from '../state/record-store';
import { cleanedPart, cleaningStamp, type CleanedPart } from './cleaned-part';
import { mainCurrency } from './tenant-transactions';

/** What every prepare shard of a run cleans with. */
export type PrepareSettings = {
  observationEnd: string;
  baseCurrency: string;
  rates: Record<string, number>;
};

export type PreparePlan = { prepareShards: number; baseCurrency: string };

/** The last run's segments a prepare shard read: its share, and the commit they are of. */
export type SegmentsPart = { commit: string; segments: Map<string, string> };

/** What a prepare shard leaves for the fit. */
export type PreparedPart = { cleaned: CleanedPart; previousSegments: SegmentsPart | null };

/** Customers the plan samples (at least) to size the run and guess its base currency. */
const SAMPLE_CUSTOMERS = 200;

export const partName = (shard: number) => `part-${shard}`;

/** Parts asked of the store ahead of the one being decoded. */
const PARTS_IN_FLIGHT = 4;

/** The cleaner's configuration a run's parts and its fit share. */
export function prepareCleaning(settings: PrepareSettings): CleanerConfigInput {
  return cleanerConfigFor({
    ...STANDARD_SCORE_SETTINGS,
    transactions: '',
    observationEnd: settings.observationEnd,
    baseCurrency: settings.baseCurrency,
    currencyRates: settings.rates,
  });
}

/**
 * How many prepare shards (about `shardCustomers` customers each, at most one per bucket) and which base
 * currency, from a sample of buckets: the first bucket, then twice as many, until SAMPLE_CUSTOMERS customers
 * or the whole tenant were read.
 */
export async function planPrepare(
  store: RecordStore,
  tenant: string,
  options: { currency?: string; shardCustomers: number },
): Promise<PreparePlan> {
  await store.indexCustomerRecords(tenant);
  const customers = new Set<string>();
  const currencies = new Map<string, number>();
  let read = 0;
  for (let to = 1; read < CUSTOMER_BUCKETS; to = Math.min(CUSTOMER_BUCKETS, 2 * to)) {
    const { records } = await store.readCustomerRecords(tenant, 'order', { from: read, to });
    for (const order of records) {
      customers.add(order.customerId);
      currencies.set(order.currency, (currencies.get(order.currency) ?? 0) + 1);
    }
    read = to;
    if (customers.size >= SAMPLE_CUSTOMERS) break;
  }
  const estimate = (customers.size * CUSTOMER_BUCKETS) / read;
  return {
    prepareShards: Math.min(CUSTOMER_BUCKETS, Math.max(1, Math.ceil(estimate / options.shardCustomers))),
    baseCurrency: (options.currency ?? mainCurrency(currencies) ?? 'USD').toUpperCase(),
  };
}

export type PrepareOutcome = { shard: number; customers: number; orders: number };

/** Prepare shard `shard` of `shards`: its customers' part, stored as the run's scratch (a retry replaces it). */
export async function prepareShard(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
  shard: number,
  shards: number,
  settings: PrepareSettings,
): Promise<PrepareOutcome> {
  const cleaned = await cleanBuckets(store, tenant, bucketRange(shard, shards), settings);
  const previousSegments = (await store.readScoreSegmentsPart(tenant, shard, shards)) ?? null;
  const prepared: PreparedPart = { cleaned, previousSegments };
  await store.putRunScratch(tenant, flowRunId, partName(shard), serialize(prepared));
  return { shard, customers: cleaned.customerIds.length, orders: cleaned.orders.day.length };
}

export async function cleanBuckets(
  store: RecordStore,
  tenant: string,
  range: BucketRange,
  settings: PrepareSettings,
): Promise<CleanedPart> {
  const [orders, customers, serviceCases] = await Promise.all([
    store.readCustomerRecords(tenant, 'order', range),
    store.readCustomerRecords(tenant, 'customer', range),
    store.readCustomerRecords(tenant, 'serviceCase', range),
  ]);
  return cleanedPart(
    { orders: orders.records, customers: customers.records, serviceCases },
    prepareCleaning(settings),
  );
}

/** A run's parts; undefined for a part missing from its scratch (expired, or never made). */
export async function readParts(
  store: RecordStore,
  tenant: string,
  flowRunId: string,
  shards: number,
): Promise<(PreparedPart | undefined)[]> {
  const parts: (PreparedPart | undefined)[] = [];
  // Read PARTS_IN_FLIGHT ahead: the store answers the next ones while this one is decoded.
  const reads = new Map<number, Promise<Buffer | undefined>>();
  const ask = (s: number) => {
    if (s >= shards) return;
    const read = store.getRunScratch(tenant, flowRunId, partName(s));
    // Handled where it is awaited; this keeps a failure of a read ahead from going unhandled meanwhile.
    read.catch(() => undefined);
    reads.set(s, read);
  };
  for (let s = 0; s < PARTS_IN_FLIGHT; s++) ask(s);
  for (let s = 0; s < shards; s++) {
    const bytes = await reads.get(s)!;
    reads.delete(s);
    ask(s + PARTS_IN_FLIGHT);
    parts.push(bytes === undefined ? undefined : (deserialize(bytes) as PreparedPart));
  }
  return parts;
}

/**
 * The last run's segments from the parts, in the order a whole read gives them (parts hold consecutive shards
 * of the run), when every part read them from the run still current (`commit`, undefined when never scored);
 * undefined when they did not, and the run's segments must be read whole.
 */
export function segmentsFromParts(
  parts: readonly PreparedPart[],
  commit: string | undefined,
): { segments: Map<string, string> | undefined } | undefined {
  if (commit === undefined)
    return parts.every((p) => p.previousSegments === null) ? { segments: undefined } : undefined;
  if (!parts.every((p) => p.previousSegments?.commit === commit)) return undefined;
  const segments = new Map<string, string>();
  for (const part of parts)
    for (const [customer, segment] of part.previousSegments!.segments) segments.set(customer, segment);
  return { segments };
}

/**
 * Why the parts cannot stand for the whole tenant cleaned with `settings` (the fit then cleans it whole), or
 * null when they can: every part is there, was cleaned alike, can be merged, and the base currency the
 * plan guessed is the tenant's main one (when the run named none).
 */
export function partsRefused(
  parts: readonly (CleanedPart | undefined)[],
  settings: PrepareSettings,
  namedCurrency: string | undefined,
): string | null {
  const missing = parts.findIndex((p) => p === undefined);
  if (missing >= 0) return `prepare shard ${missing} left no part`;
  const stamp = cleaningStamp(prepareCleaning(settings));
  for (const [s, part] of parts.entries()) {
    if (part!.cleaning !== stamp) return `prepare shard ${s} cleaned with other settings`;
    if (part!.unmergeable !== null) return `prepare shard ${s}: ${part!.unmergeable}`;
  }
  if (namedCurrency === undefined) {
    const counts = new Map<string, number>();
    for (const part of parts)
      for (const [code, n] of part!.currencies) counts.set(code, (counts.get(code) ?? 0) + n);
    const main = mainCurrency(counts);
    if (main !== undefined && main.toUpperCase() !== settings.baseCurrency)
      return `the main currency is ${main}, not ${settings.baseCurrency} as the sample said`;
  }
  return null;
}
