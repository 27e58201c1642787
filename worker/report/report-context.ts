/** What the renderers show beyond report.json: the run, the cleaner's quality report, P(alive) per customer. */
import type { QualityReport } from '../analytics/clean/types';
import type { ProgramResult } from '../programs/measure-programs';
import type { PreviousTotals } from './previous-report';
import type { RunSalesFigures } from './render-sales';

export type ReportContext = {
  /** Whose run and when (ScoreRun). */
  run?: { tenant: string; scoredAt: string };
  /** The cleaner's quality report (quality.json). */
  quality?: QualityReport;
  /** The P(alive) customers are shown (pipeline/p-alive-model): values null when none is written. */
  pAlive?: { model: string | null; values: ArrayLike<number> | null; note: string };
  /** Totals of the previous run's report.json (./previous-report), for the change since then. */
  previousTotals?: PreviousTotals | null;
  /** The tenant's retention programs measured at the run (worker/programs), when it has any. */
  programs?: ProgramResult[];
  /**
   * The tenant's reps, channels and campaigns at the run (worker/jobs/run-sales-figures.ts); null when the run's
   * input holds no CRM records (a transactions file); absent: no sales sections.
   */
  sales?: RunSalesFigures;
};
