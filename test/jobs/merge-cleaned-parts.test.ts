/**
 * A tenant cleaned in parts and merged is the tenant cleaned whole: the same CleanResult, column for column,
 * whatever the number of parts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCleaner, type CleanerConfigInput, type CleanResult } from '../../worker/analytics/clean';
import { cleanedPart } from '../../worker/jobs/cleaned-part';
import { mergeCleanedParts } from '../../worker/jobs/merge-cleaned-parts';
import { readTenantTransactions } from '../../worker/jobs/tenant-transactions';
import { crmAttributesFromRecords } from '../../worker/pipeline/crm-attributes';
import { FileRecordStore, type RecordStore } from '../../worker/state';
import { bucketRange } from '../../worker/state/customer-buckets';
import { storeSyncedTenant, syncedTenant, SYNCED_OBSERVATION_END } from '../helpers/synced-tenant';

const CLEANING: CleanerConfigInput = {
  observationEnd: SYNCED_OBSERVATION_END,
  baseCurrency: 'USD',
  currencyRates: { EUR: 1.1 },
  anomaly: { exclude: false },
  keepLines: true,
};

async function wholeClean(store: RecordStore, tenant: string): Promise<CleanResult> {
  const cleaner = createCleaner(CLEANING);
  for (const batch of (await readTenantTransactions(store, tenant)).rows)
    for (const row of batch) cleaner.add(row);
  return cleaner.finish();
}

async function partsOf(store: RecordStore, tenant: string, parts: number) {
  return Promise.all(
    Array.from({ length: parts }, async (_, s) => {
      const range = bucketRange(s, parts);
      const [orders, customers, serviceCases] = await Promise.all([
        store.readCustomerRecords(tenant, 'order', range),
        store.readCustomerRecords(tenant, 'customer', range),
        store.readCustomerRecords(tenant, 'serviceCase', range),
      ]);
      return cleanedPart({ orders: orders.records, customers: customers.records, serviceCases }, CLEANING);
    }),
  );
}

/** Money summed over parts may differ in the last digits: compared closely, the rest exactly. */
function withoutSums(clean: CleanResult): CleanResult {
  const { cancellations } = clean.quality;
  return {
    ...clean,
    quality: {
      ...clean.quality,
      cancellations: { ...cancellations, value: 0, nettedValue: 0, unmatchedValue: 0 },
    },
  };
}

describe('a tenant cleaned in parts', () => {
  const store = new FileRecordStore(mkdtempSync(join(tmpdir(), 'crm-clv-parts-')));
  const records = syncedTenant(700, 5);
  let whole: CleanResult;

  beforeAll(async () => {
    await storeSyncedTenant(store, 't', records);
    whole = await wholeClean(store, 't');
  });

  it('has data that exercise every rule the merge must keep', () => {
    const q = whole.quality;
    expect(q.rowsExcluded.cancellation).toBeGreaterThan(20);
    expect(q.rowsExcluded.future_date).toBeGreaterThan(10);
    expect(q.rowsExcluded.zero_or_negative_amount).toBeGreaterThan(5);
    expect(q.cancellations.ordersFullyCancelled).toBeGreaterThan(5);
    expect(q.customers.onlyCancellations + q.customers.seen - q.customers.inResult).toBeGreaterThan(0);
    expect(whole.cancellations!.customer).toContain(-1);
    expect(q.currency.conversions.EUR.rows).toBeGreaterThan(20);
    expect(whole.channels).toHaveLength(3);
    expect(whole.customerCountry!.filter((c) => c === '').length).toBeGreaterThan(50);
    // Offsets put some orders on another UTC day than their text's: the row order and the times disagree.
    const utcDay = (t: number) => Math.floor(t / 86_400_000);
    let backwards = 0;
    for (let o = 1; o < whole.orders.time.length; o++)
      if (utcDay(whole.orders.time[o]) < utcDay(whole.orders.time[o - 1])) backwards++;
    expect(backwards).toBeGreaterThan(5);
  });

  it.each([1, 3, 8, 1024])('in %i parts merges to the whole tenant’s CleanResult', async (parts) => {
    const cleaned = await partsOf(store, 't', parts);
    expect(cleaned.map((p) => p.unmergeable)).toEqual(cleaned.map(() => null));
    const merged = mergeCleanedParts(cleaned, CLEANING);
    expect(withoutSums(merged.clean)).toEqual(withoutSums(whole));
    const sums = (c: CleanResult) => c.quality.cancellations;
    expect(sums(merged.clean).value).toBeCloseTo(sums(whole).value, 6);
    expect(sums(merged.clean).nettedValue).toBeCloseTo(sums(whole).nettedValue, 6);
    expect(sums(merged.clean).unmatchedValue).toBeCloseTo(sums(whole).unmatchedValue, 6);
    expect(merged.storedOrders).toBe(records.orders.length);
    expect(merged.currencies).toEqual(
      new Map(['USD', 'EUR'].map((code) => [code, records.orders.filter((o) => o.currency === code).length])),
    );
  });

  it("merges the CRM's attributes of the cleaned customers and their service cases in stored order", async () => {
    const merged = mergeCleanedParts(await partsOf(store, 't', 5), CLEANING);
    const all = crmAttributesFromRecords(records.customers, records.serviceCases);
    const cleaned = new Set(whole.customers);
    // A customer record without any of the attributes is no record to the engine: left out.
    const none = (a: object | undefined) => a === undefined || Object.values(a).every((v) => v === undefined);
    expect(whole.customers.filter((id) => none(all.customers.get(id))).length).toBeGreaterThan(20);
    for (const id of whole.customers) {
      const attributes = all.customers.get(id);
      expect(merged.crm.customers.get(id)).toEqual(none(attributes) ? undefined : attributes);
    }
    expect([...merged.crm.customers.keys()].every((id) => cleaned.has(id))).toBe(true);
    const withOrders = new Set(records.orders.map((o) => o.customerId));
    expect(merged.crm.serviceCases).toEqual(all.serviceCases.filter((c) => withOrders.has(c.customerId)));
  });

  it('says a part cannot be merged when an amount is above the implausible ceiling', async () => {
    const huge = { ...records.orders[0], id: 'huge', amount: 5e9, lines: undefined };
    const part = cleanedPart(
      { orders: [huge], customers: [], serviceCases: { records: [], positions: [] } },
      CLEANING,
    );
    expect(part.unmergeable).toMatch(/above the implausible ceiling 1000000000/);
  });

  it('says a part cannot be merged when a customer id has spaces around it', () => {
    const padded = { ...records.orders[0], customerId: ' c1' };
    const part = cleanedPart(
      { orders: [padded], customers: [], serviceCases: { records: [], positions: [] } },
      CLEANING,
    );
    expect(part.unmergeable).toMatch(/customer id ' c1' has spaces around it/);
  });
});
