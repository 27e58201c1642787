/**
 * A synced tenant as the score pipeline's input: its orders as engine rows, its product catalogue, and the
 * base currency with the rates the other currencies need. Shared by `crm-clv score --tenant` and the demo.
 */
import type { RecordStore } from '../state';
import {
  mainCurrency,
  readTenantTransactions,
  TenantEmptyError,
  type TenantTransactions,
} from './tenant-transactions';
import { crmAttributesFromRecords, type CrmAttributes } from '../pipeline/crm-attributes';

export class MissingRatesError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(tenant: string, baseCurrency: string, missing: readonly [string, number][]) {
    const counts = missing.map(([code, n]) => `${code} (${n} orders)`).join(', ');
    super(
      `tenant ${tenant} has orders in ${counts} besides the base currency ${baseCurrency}: pass --rates FILE.json with units of ${baseCurrency} per unit, e.g. {"${missing[0][0]}": 1.1}`,
    );
    this.name = 'MissingRatesError';
  }
}

/** Every currency of the tenant's orders but the base one needs a rate. */
export function assertRates(
  tenant: string,
  currencies: ReadonlyMap<string, number>,
  baseCurrency: string,
  rates: Record<string, number>,
): void {
  const missing = [...currencies].filter(([code]) => code !== baseCurrency && rates[code] === undefined);
  if (missing.length > 0) throw new MissingRatesError(tenant, baseCurrency, missing);
}

export type TenantScoreInput = TenantTransactions & {
  baseCurrency: string;
  rates: Record<string, number>;
  /** Demographics, engagement and service cases for the profiles and the churn model. */
  crm: CrmAttributes;
};

/**
 * The base currency is the given one or the tenant's main currency; every other currency needs a rate,
 * because silently dropping a country's orders would skew every score.
 */
export async function tenantScoreInput(
  store: RecordStore,
  tenant: string,
  options: { currency?: string; rates?: Record<string, number>; where: string },
): Promise<TenantScoreInput> {
  const data = await readTenantTransactions(store, tenant);
  if (data.counts.orders === 0) throw new TenantEmptyError(tenant, options.where);
  const baseCurrency = (options.currency ?? mainCurrency(data.currencies) ?? 'USD').toUpperCase();
  const rates = options.rates ?? {};
  assertRates(tenant, data.currencies, baseCurrency, rates);
  const crm = crmAttributesFromRecords(data.customers, await store.readRecords(tenant, 'serviceCase'));
  return { ...data, baseCurrency, rates, crm };
}
