/** Cleaner configuration, validated with zod; errors become one CleanConfigError naming each field. */
import { z } from 'zod';
import { MS_PER_DAY, parseTimestamp, utcDay } from './parse-timestamp';

/** A calendar day: a Date or epoch ms (its UTC day is used) or 'yyyy-mm-dd'. */
export const calendarDaySchema = z.union([z.date(), z.number().finite(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'string' ? parseTimestamp(v) : typeof v === 'number' ? v : v.getTime();
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${String(v)}" is not a date (use YYYY-MM-DD)` });
    return z.NEVER;
  }
  return utcDay(ms);
});

const currencyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .transform((s) => s.toUpperCase());

export const cleanerConfigSchema = z.object({
  /** Rows dated after this UTC calendar day (the whole day is included) are `future_date`. */
  observationEnd: calendarDaySchema,
  /** Currency amounts are converted to; a row without a currency is taken to be in it. */
  baseCurrency: currencyCode.default('USD'),
  /** Units of base currency per unit of each currency; a row in a currency not listed is `unknown_currency`. */
  currencyRates: z.record(z.string(), z.number().finite().positive()).default({}),
  /** Orders whose id starts with this are cancellations (Online Retail: 'C'). */
  cancelledOrderPrefix: z.string().min(1).optional(),
  /** Orders whose id starts with this are bookkeeping adjustments, not purchases (Online Retail: 'A'). */
  adjustmentOrderPrefix: z.string().min(1).optional(),
  /** Negative amounts are refunds (netted like cancellations); false: they are `zero_or_negative_amount`. */
  negativeAmountsAreRefunds: z.boolean().default(true),
  /**
   * Keep zero-amount rows as purchases (lifetimes does: CDNOW's $0.00 rows count as purchase days and as
   * zero-value repeat transactions in zbar). Default false: they are `zero_or_negative_amount`.
   */
  keepZeroAmounts: z.boolean().default(false),
  /**
   * Implausible amounts (implausible-amounts.ts), always excluded: an order or cancellation whose amount is
   * not finite, or above both `ceiling` (base currency) and exp(median + k · 1.4826 · MAD) of the log order
   * amounts. Infinity as ceiling keeps everything finite.
   */
  implausible: z
    .object({
      ceiling: z.number().positive().default(1e9),
      k: z.number().finite().positive().default(10),
    })
    .default({}),
  anomaly: z
    .object({
      /** Flag orders whose log amount is more than k robust z-scores (MAD × 1.4826) from the median. */
      k: z.number().finite().positive().default(5),
      /** Drop flagged orders (their rows become `anomalous_order`) instead of only flagging them. */
      exclude: z.boolean().default(false),
    })
    .default({}),
  /** Keep per-line product, quantity and amount arrays (for recommendations). */
  keepLines: z.boolean().default(false),
  /** Keep the order id strings in the result (costs a string per order). */
  keepOrderIds: z.boolean().default(false),
  /**
   * The result's order, line and cancellation columns in shared memory (SharedArrayBuffer): threads of the
   * process read them without a copy each (a score run's churn and recommendation threads).
   */
  sharedColumns: z.boolean().default(false),
  /** Examples kept per exclusion reason in the quality report. */
  maxExamples: z.number().int().min(0).max(1000).default(5),
});

export type CleanerConfigInput = z.input<typeof cleanerConfigSchema>;
/** Parsed configuration; `observationEnd` is a UTC day number (days since 1970-01-01). */
export type CleanerConfig = z.output<typeof cleanerConfigSchema>;

export class CleanConfigError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'CleanConfigError';
  }
}

export function parseCleanerConfig(input: CleanerConfigInput): CleanerConfig {
  const parsed = cleanerConfigSchema.safeParse(input);
  if (!parsed.success) {
    const sentences = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new CleanConfigError(`Invalid cleaning configuration. ${sentences.join('; ')}.`);
  }
  const config = parsed.data;
  for (const code of Object.keys(config.currencyRates)) {
    if (!/^[A-Za-z]{3}$/.test(code.trim())) {
      throw new CleanConfigError(
        `Invalid cleaning configuration. currencyRates: "${code}" is not a 3-letter code.`,
      );
    }
  }
  return config;
}

/** Last epoch ms that belongs to a UTC day number. */
export function endOfDayMs(day: number): number {
  return (day + 1) * MS_PER_DAY - 1;
}
