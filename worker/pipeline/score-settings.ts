/**
 * What one `score` run is asked to do: its input, the observation window, the models and their settings.
 * Its own module because the run (score-transactions), the model choice and the report all read it.
 */
import type { RawTransaction, TransactionFormat } from '../../domain/raw-transaction';
import type { TransactionModelName } from '../analytics/clv/types';
import type { CrmAttributes } from './crm-attributes';
import type { PreviousRun } from './previous-run';
import type { StoredChurnModel } from '../analytics/churn';

export type ScoreSettings = {
  /** The file read, or a label for `rows` (e.g. "hubspot-1000 (synced store)"). */
  transactions: string;
  format: TransactionFormat;
  /** Rows already in memory (a synced tenant); when given, `transactions` is not read. */
  rows?: Iterable<readonly RawTransaction[]> | AsyncIterable<readonly RawTransaction[]>;
  /** yyyy-mm-dd, included. */
  observationEnd: string;
  calibrationEnd?: string;
  period: 'day' | 'week';
  model: 'auto' | TransactionModelName;
  clvMonths: number;
  monthlyDiscountRate: number;
  margin: number;
  acquisitionCost: number;
  penalizer: number;
  baseCurrency: string;
  currencyRates: Record<string, number>;
  excludeAnomalies: boolean;
  /** Days without a purchase after which a customer counts as churned (personal 2× usual gap when longer). */
  churnWindowDays: number;
  /** Explicit product → category map (demo catalogue, or a --categories file). */
  productCategories?: ReadonlyMap<string, string>;
  /** Product names by id where the file has none (the demo catalogue). */
  productNames?: ReadonlyMap<string, string>;
  /** Number of behavioural segments; automatic (silhouette within 4…8) when absent. */
  clusters?: number;
  /** The previous run's segment model and assignments (stable ids, migration matrix). */
  previous?: PreviousRun;
  /**
   * A promoted transaction model to score with instead of fitting one (the nightly rescore between weekly
   * retrains): the same parameters give every run of a model version the same predictions for the same history.
   */
  reuseModel?: {
    model: TransactionModelName;
    params: Record<string, number>;
    version: string;
    /** The version's Gamma-Gamma parameters; refitted when absent. */
    spend?: { p: number; q: number; v: number };
    /** The version's churn classifier; trained afresh when absent. */
    churn?: StoredChurnModel;
  };
  /** Segments, churn and recommendations (default true); false runs the CLV engine only. */
  insights: boolean;
  /** What the CRM knows beyond orders (a synced tenant): demographic profiles, support and engagement features. */
  crm?: CrmAttributes;
};

/**
 * The settings every run takes unless told otherwise (the CLI's option defaults): weekly periods, the best
 * model, 12 months of CLV at 1%/month, no margin or acquisition cost, a 90-day churn window, full insights.
 */
export const STANDARD_SCORE_SETTINGS = {
  format: 'generic',
  period: 'week',
  model: 'auto',
  clvMonths: 12,
  monthlyDiscountRate: 0.01,
  margin: 1,
  acquisitionCost: 0,
  penalizer: 0,
  currencyRates: {},
  excludeAnomalies: false,
  churnWindowDays: 90,
  insights: true,
} as const satisfies Partial<ScoreSettings>;
