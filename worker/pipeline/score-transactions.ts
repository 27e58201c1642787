/**
 * The `score` path on a transactions file: import → cleaning → RFM summary → model choice on a
 * calibration/holdout split → fits on all data → per-customer predictions. I/O is limited to reading the
 * file; writing the outputs is ./write-score-outputs.
 */
import { cleaningDefaultsFor, type TextEncodingChoice } from '../../connectors/csv';
import { isOnlineRetailProduct } from '../../connectors/csv/online-retail-products';
import type { CleanerConfigInput, CleanResult } from '../analytics/clean';
import { readAndClean } from './read-and-clean';
import { MONTH_LENGTH } from '../analytics/clv/clv';
import { predictCustomers, type CustomerPredictions } from '../analytics/clv/predict-customers';
import { TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS } from '../analytics/clv/transaction-models';
import type { FittedModel, TransactionModelName } from '../analytics/clv/types';
import { summarizePurchases, type RfmSummary } from '../analytics/rfm';
import type { ModelReport, ReportedFit } from '../report/model-report';
import { buildReport } from './build-model-report';
import { customerFacts, type CustomerFacts } from './customer-facts';
import {
  customerInsights,
  customerInsightsBeside,
  recommendationBasisOf,
  startSegments,
  type CustomerInsights,
  type StartedInsights,
} from './customer-insights';
import type { ScoreSettings } from './score-settings';
import { churnStageInput, startChurnStage } from './customer-churn';
import { startRecommendations } from './recommendations-in-thread';
import { PipelineThreads, pipelineThreadCount } from './parallel/pipeline-threads';
import { chooseProbabilityAlive, startProbabilityAlive, type PAliveChoice } from './p-alive-model';
import {
  compareOnHoldout,
  fitSpend,
  newCustomerOutlook,
  reportFit,
  reusedFit,
  reusedSpendFit,
  tryFit,
} from './transaction-model-choice';
import { checkCalibrationEnd } from './score-input-checks';

// The CLI, the jobs and the demo take the settings from the run they configure.

export type ScoreHooks = {
  stage?(name: string): void;
  progress?(done: number, total: number): void;
};

export type ScoreResult = {
  clean: CleanResult;
  summary: RfmSummary;
  predictions: CustomerPredictions;
  /** Null with settings.insights false (CLV engine only). */
  insights: CustomerInsights | null;
  /** The P(alive) customers are shown, and from which model (see p-alive-model). */
  pAlive: PAliveChoice;
  /** What the next best actions need beside the Score: orders, gaps, open tickets, names, CLV quintiles. */
  facts: CustomerFacts;
  report: ModelReport;
};

type AnyFit = FittedModel<TransactionModelName, Record<string, number>>;

/**
 * The settings plus how the file is read (its text encoding; 'auto' when absent), or the rows already
 * cleaned (a sharded run cleans each shard's customers apart and merges them: worker/jobs/score-prepare.ts).
 */
export type ScoreRunSettings = ScoreSettings & { encoding?: TextEncodingChoice; cleaned?: CleanResult };

/** The cleaner's configuration for a run's settings. */
export function cleanerConfigFor(settings: ScoreSettings): CleanerConfigInput {
  return {
    ...cleaningDefaultsFor(settings.format),
    observationEnd: settings.observationEnd,
    baseCurrency: settings.baseCurrency,
    currencyRates: settings.currencyRates,
    anomaly: { exclude: settings.excludeAnomalies },
    // Product lines feed interests and recommendations; the CLV engine alone does not need them.
    keepLines: settings.insights,
  };
}

export async function scoreTransactions(
  settings: ScoreRunSettings,
  hooks: ScoreHooks = {},
): Promise<ScoreResult> {
  const timings: Record<string, number> = {};
  let stageStart = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - stageStart) / 1000;
    stageStart = now;
  };
  hooks.stage?.('Reading and cleaning transactions');
  const clean = settings.cleaned ?? (await readAndClean(settings, hooks));
  checkCalibrationEnd(settings.calibrationEnd, clean.quality.dateRange, clean.orders, clean.customers.length);
  lap('readAndClean');
  // Churn and the recommendations' basis read only the cleaned data: a large run makes them in threads while
  // this one fits and segments.
  const threads = settings.insights
    ? startThreads(pipelineThreadCount(clean.customers.length, INSIGHT_THREADS_FROM_CUSTOMERS, 3, 1))
    : null;
  try {
    return await scoreCleaned(settings, hooks, clean, threads, timings, lap);
  } finally {
    await threads?.close();
  }
}

/** Customers from which insights run in threads of their own (below, starting one costs more than it saves). */
const INSIGHT_THREADS_FROM_CUSTOMERS = 50_000;

/**
 * With three threads: churn on the first (customer-churn), then P(alive); the recommendations on the second
 * (their basis is kept there); the behavioural clusters on the third. One thread more than a 2-core machine's
 * cores, because this thread mostly waits on them once the CLV fits are done.
 */
const CHURN_THREAD = 0;
const CLUSTER_THREAD = 2;

function startThreads(count: number): PipelineThreads | null {
  return count > 0 ? PipelineThreads.start(count) : null;
}

async function scoreCleaned(
  settings: ScoreRunSettings,
  hooks: ScoreHooks,
  clean: CleanResult,
  threads: PipelineThreads | null,
  timings: Record<string, number>,
  lap: (name: string) => void,
): Promise<ScoreResult> {
  const churnSettings = {
    observationEnd: settings.observationEnd,
    churnWindowDays: settings.churnWindowDays,
    crm: settings.crm,
    reuseChurn: settings.reuseModel?.churn
      ? { version: settings.reuseModel.version, model: settings.reuseModel.churn }
      : undefined,
  };
  const isProduct = settings.format === 'online-retail' ? isOnlineRetailProduct : undefined;
  const started =
    settings.insights && threads !== null
      ? startInsights(clean, churnSettings, isProduct, threads, timings)
      : null;

  hooks.stage?.('Fitting models');
  const warnings: string[] = [];
  const daysPerUnit = settings.period === 'week' ? 7 : 1;
  const summary = summarizePurchases(clean.orders, clean.customers, {
    observationEnd: settings.observationEnd,
    period: settings.period,
  });
  lap('summarize');
  const insightSettings = {
    ...churnSettings,
    productCategories: settings.productCategories,
    productNames: settings.productNames,
    clusters: settings.clusters,
    previous: settings.previous,
    isProduct,
  };
  // The clusters need the summary only: with threads, they are fitted beside the CLV fits and predictions.
  if (started !== null && threads !== null)
    started.segments = startSegments(
      clean,
      summary,
      insightSettings,
      threads,
      threads.size > CLUSTER_THREAD ? CLUSTER_THREAD : undefined,
    );
  const calibration = settings.calibrationEnd ? compareOnHoldout(clean, settings, daysPerUnit) : null;
  if (calibration) lap('holdoutComparison');

  let selected: TransactionModelName;
  let selectionReason: string;
  const fits: ReportedFit[] = [];
  if (settings.reuseModel !== undefined) {
    selected = settings.reuseModel.model;
    selectionReason = `the promoted model ${settings.reuseModel.version}, reused`;
  } else if (settings.model !== 'auto') {
    selected = settings.model;
    selectionReason = 'chosen with --model';
  } else if (calibration && calibration.best) {
    selected = calibration.best;
    selectionReason = 'lowest per-customer RMSE of holdout purchases';
  } else {
    selected = 'bgnbd';
    selectionReason = 'highest log-likelihood on all data (no calibration end given)';
  }
  const toFit =
    settings.reuseModel !== undefined
      ? []
      : settings.model === 'auto' && !calibration?.best
        ? TRANSACTION_MODEL_NAMES
        : [selected];
  const fitted = new Map<TransactionModelName, AnyFit>();
  if (settings.reuseModel !== undefined) {
    const reused = reusedFit(settings.reuseModel, summary, settings.penalizer);
    fits.push(reportFit(reused));
    fitted.set(selected, reused);
  }
  for (const name of toFit) {
    const r = tryFit(name, () => TRANSACTION_MODELS[name].fit(summary, { penalizer: settings.penalizer }));
    fits.push(r.reported);
    if (r.fit) fitted.set(name, r.fit);
  }
  if (toFit.length > 1) {
    let bestLl = -Infinity;
    for (const [name, f] of fitted) {
      if (f.logLikelihood > bestLl) {
        bestLl = f.logLikelihood;
        selected = name;
      }
    }
  }
  const transactionFit = fitted.get(selected);
  if (!transactionFit) {
    // Fit again outside tryFit so the model's own typed error (e.g. NO_REPEAT_BUYERS, exit code 2) surfaces.
    TRANSACTION_MODELS[selected].fit(summary, { penalizer: settings.penalizer });
    throw new Error(`The ${selected} model could not be fitted; see the report's fit diagnostics.`);
  }
  for (const f of fits) warnings.push(...f.diagnostics.warnings.map((w) => `${f.model}: ${w}`));

  const fittedSpend = fitSpend(summary, settings.penalizer, warnings);
  const spendFit =
    settings.reuseModel?.spend && fittedSpend
      ? reusedSpendFit(fittedSpend, settings.reuseModel.spend, summary, settings.reuseModel.version)
      : fittedSpend;
  lap('fit');

  hooks.stage?.('Predicting');
  const horizon = settings.clvMonths * MONTH_LENGTH[settings.period];
  const predictions = predictCustomers(
    TRANSACTION_MODELS[selected],
    transactionFit.params,
    summary,
    spendFit?.params ?? null,
    {
      horizon,
      months: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      timeUnit: settings.period,
      margin: settings.margin,
      acquisitionCost: settings.acquisitionCost > 0 ? settings.acquisitionCost : undefined,
    },
  );
  warnings.push(...predictions.warnings);
  // With threads, P(alive) (two model fits in a rescore) runs on one beside the facts and the insights; its
  // note keeps its place among the warnings.
  const pAliveNoteAt = warnings.length;
  const pAliveStarted =
    threads === null || started === null
      ? null
      : startProbabilityAlive(
          threads,
          { selected, fits: [...fitted.values()], summary, penalizer: settings.penalizer },
          threads.size > 2 ? CHURN_THREAD : undefined,
        );
  let pAlive =
    pAliveStarted === null ? chooseProbabilityAlive(selected, fitted, summary, settings.penalizer) : null;
  const facts = customerFacts(clean, summary, predictions.clv, settings.crm);
  lap('predict');

  let insights: CustomerInsights | null = null;
  if (settings.insights) {
    hooks.stage?.('Segments, churn and recommendations');
    insights =
      started === null
        ? customerInsights(clean, summary, predictions.clv, insightSettings)
        : await customerInsightsBeside(clean, summary, predictions.clv, insightSettings, started);
    warnings.push(...insights.warnings);
    pAlive ??= await pAliveStarted!;
    const both = aliveButHighRisk(pAlive.values, insights.churnRisk);
    if (both > 0)
      warnings.push(
        `${both} customers have P(alive) ≥ 90% and a high churn risk: P(alive) says they are probably still customers, ` +
          'churn risk that their next order is overdue against their own rhythm and their peers; they are the ones to win back before they go.',
      );
    lap('segmentsChurnRecommendations');
  }
  pAlive ??= await pAliveStarted!;
  if (pAlive.model === null) warnings.splice(pAliveNoteAt, 0, pAlive.note);

  const newCustomer = newCustomerOutlook(TRANSACTION_MODELS[selected], transactionFit.params, horizon);
  const report = buildReport(
    settings,
    summary,
    calibration,
    fits,
    spendFit,
    selected,
    selectionReason,
    predictions,
    horizon,
    newCustomer,
    insights,
    warnings,
    timings,
  );
  return { clean, summary, predictions, insights, pAlive, facts, report };
}

/**
 * Starts the churn stage and the recommendations' basis on the threads; their own wall times go to the
 * report's timings (they overlap the fits and the segments).
 */
function startInsights(
  clean: CleanResult,
  churnSettings: Parameters<typeof churnStageInput>[1],
  isProduct: ((productId: string) => boolean) | undefined,
  threads: PipelineThreads,
  timings: Record<string, number>,
): StartedInsights {
  const timed = <T>(name: string, work: Promise<T>): Promise<T> => {
    const begun = performance.now();
    const done = work.then((value) => {
      timings[name] = (performance.now() - begun) / 1000;
      return value;
    });
    // Awaited with the insights; a failure before then (a fit that throws) must not go unhandled.
    done.catch(() => undefined);
    return done;
  };
  const basisInput = recommendationBasisOf(clean, { isProduct });
  const churn = timed('churnInThread', startChurnStage(churnStageInput(clean, churnSettings), threads));
  if (basisInput === null) return { churn, recommendations: null };
  // On the other thread than churn when there are two: the basis is kept there for the finish.
  const recommendations = startRecommendations(basisInput, threads, threads.size > 1 ? 1 : 0);
  timed('recommendationBasisInThread', recommendations.basis);
  return { churn, recommendations };
}

function aliveButHighRisk(pAlive: Float64Array | null, risk: readonly (string | null)[]): number {
  if (pAlive === null) return 0;
  let count = 0;
  for (let i = 0; i < pAlive.length; i++) if (pAlive[i] >= 0.9 && risk[i] === 'high') count++;
  return count;
}
