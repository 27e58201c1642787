/**
 * Options of the synthetic-retailer transaction generator, their demo defaults and validation.
 */

import type { BgNbdParams, GammaGammaParams } from '../worker/analytics/clv/types';
import { requirePositiveParams, SimulationError } from './simulation-error';

export type DataQualityFaults = {
  /** Share of orders cancelled in full the same day (rows with negative quantity and amount, same order id). */
  cancellationRate: number;
  /** Share of orders with one line refunded 1–30 days later (a new order id starting with 'R'). */
  refundRate: number;
  /** Share of rows written twice in a row (exact duplicates). */
  duplicateRate: number;
  /**
   * Extra bad rows per good row: a missing customer id, an impossible date, a non-numeric amount, a line with
   * the wrong number of fields, a zero amount, or a date after the observation end (equal shares).
   */
  badRowRate: number;
};

export type TransactionGeneratorOptions = {
  seed: number;
  /** Customers acquired (each makes a first purchase in the acquisition window). */
  customers: number;
  /** First day of the acquisition window, 'YYYY-MM-DD' (UTC). */
  start: string;
  /** Length of the acquisition window in days: first purchases are uniform over [start, start + days). */
  acquisitionDays: number;
  /** Observation end, 'YYYY-MM-DD' (UTC), inclusive: purchases run until the end of this day. */
  end: string;
  /** BG/NBD purchase process per `timeUnitDays` (the CLI's --period week ⇒ 7). */
  purchase: BgNbdParams;
  timeUnitDays: number;
  /** Gamma-Gamma value of each order (sum of its lines), in `currency`. */
  spend: GammaGammaParams;
  /** Write one row per product line (product_id, quantity, unit_price); false: one row per order, no products. */
  productLines: boolean;
  /** Mean number of extra lines per order (lines = 1 + Poisson(mean)). */
  extraLinesPerOrder: number;
  currency: string;
  /** true: no cancellations, refunds, duplicates or bad rows (the purchase data are exactly the model's). */
  clean: boolean;
  faults: DataQualityFaults;
};

/**
 * Demo defaults. Purchase process: the BG/NBD estimates for CDNOW in weeks (Fader, Hardie & Lee 2005:
 * r 0.243, α 4.414, a 0.793, b 2.426; ≈ 2.9 purchases a year while active, a quarter of customers gone after
 * each repeat purchase on average), so the demo's fitted model can be checked against published figures.
 * Spend: CDNOW's Gamma-Gamma shape (p 6.25, q 3.74) with the scale raised from 15.44 to 35, i.e. a mean order
 * of p·v/(q−1) ≈ 80 instead of CDNOW's 1997 CD basket of ≈ 35. Customers arrive over the first 18 months of a
 * two-year history, so everyone has at least six months of observation.
 */
export const DEMO_TRANSACTION_OPTIONS: Readonly<TransactionGeneratorOptions> = Object.freeze({
  seed: 42,
  customers: 5000,
  start: '2023-01-01',
  acquisitionDays: 546,
  end: '2024-12-31',
  purchase: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  timeUnitDays: 7,
  spend: { p: 6.25, q: 3.74, v: 35 },
  productLines: true,
  extraLinesPerOrder: 0.6,
  currency: 'USD',
  clean: false,
  faults: { cancellationRate: 0.01, refundRate: 0.02, duplicateRate: 0.005, badRowRate: 0.003 },
});

/** Demo defaults overridden by `overrides` (faults merged field by field). */
export function transactionOptions(
  overrides: Partial<TransactionGeneratorOptions> = {},
): TransactionGeneratorOptions {
  return {
    ...DEMO_TRANSACTION_OPTIONS,
    ...overrides,
    faults: { ...DEMO_TRANSACTION_OPTIONS.faults, ...overrides.faults },
  };
}

const DAY_MS = 86_400_000;

/** Epoch ms of a 'YYYY-MM-DD' day at 00:00 UTC, NaN when the text is not a calendar day. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : NaN;
}

export type ResolvedWindow = { startMs: number; acquisitionEndMs: number; endMs: number };

/** Validates the options; returns the window in epoch ms (`endMs` exclusive: the day after `end`). */
export function validateTransactionOptions(options: TransactionGeneratorOptions): ResolvedWindow {
  const bad = (why: string): never => {
    throw new SimulationError('INVALID_OPTIONS', `transaction generator: ${why}`);
  };
  if (!Number.isSafeInteger(options.customers) || options.customers < 0) {
    bad(`customers must be a non-negative integer, got ${options.customers}`);
  }
  if (!Number.isFinite(options.seed)) bad(`seed must be a finite number, got ${options.seed}`);
  const startMs = parseDay(options.start);
  const endDayMs = parseDay(options.end);
  if (Number.isNaN(startMs)) bad(`start must be a YYYY-MM-DD day, got "${options.start}"`);
  if (Number.isNaN(endDayMs)) bad(`end must be a YYYY-MM-DD day, got "${options.end}"`);
  if (!(options.acquisitionDays > 0)) bad(`acquisitionDays must be positive, got ${options.acquisitionDays}`);
  const acquisitionEndMs = startMs + options.acquisitionDays * DAY_MS;
  const endMs = endDayMs + DAY_MS;
  if (acquisitionEndMs > endMs) {
    bad(
      `the acquisition window (${options.start} + ${options.acquisitionDays} days) runs past end ${options.end}`,
    );
  }
  if (!(options.timeUnitDays > 0)) bad(`timeUnitDays must be positive, got ${options.timeUnitDays}`);
  requirePositiveParams('BG/NBD', { ...options.purchase });
  requirePositiveParams('Gamma-Gamma', { ...options.spend });
  if (!(options.extraLinesPerOrder >= 0))
    bad(`extraLinesPerOrder must be ≥ 0, got ${options.extraLinesPerOrder}`);
  if (!/^[A-Z]{3}$/.test(options.currency))
    bad(`currency must be a 3-letter ISO code, got "${options.currency}"`);
  for (const [name, rate] of Object.entries(options.faults)) {
    if (!(rate >= 0 && rate < 1)) bad(`faults.${name} must be in [0, 1), got ${rate}`);
  }
  return { startMs, acquisitionEndMs, endMs };
}
