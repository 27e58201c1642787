/**
 * Bench stage "boundary": predictions at fitted parameters on the boundary of the parameter space (issue P4).
 *
 *   (1) BG/NBD at a → 0 with b in the millions (Online Retail by days, a 2,787-customer calibration period):
 *       all predictions (E[purchases in 30 days], P(alive), 6-month CLV at 1 %/month, next purchase) for
 *       2,787 customers shaped like that summary; target < 1 s (lifetimes: under a second; before: 55 s for
 *       a 1-month CLV, more than 5 minutes for 6 months).
 *   (2) 300 regular buyers who never drop out (a purchase every 7 days for two years): each transaction model's
 *       fit, then its predictions (12-month CLV) and the new-customer outlook (P(X = n), n ≤ 5), as `crm-clv
 *       score` runs them; before, the predictions never finished.
 *
 * Args: <seed>
 */

import { ONLINE_RETAIL_FILE } from '../shared-data';
import { existsSync } from 'node:fs';
import { cleaningDefaultsFor, readTransactionBatches } from '../../connectors/csv';
import { createCleaner } from '../../worker/analytics/clean';
import { seriesWork } from '../../worker/analytics/clv/bg-family-series';
import { fitGammaGamma } from '../../worker/analytics/clv/gamma-gamma';
import { hyp2f1Work } from '../../worker/analytics/clv/pareto-nbd/hyp2f1-unit';
import { predictCustomers } from '../../worker/analytics/clv/predict-customers';
import { TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import type { PurchaseAndSpendHistory, TransactionModelName } from '../../worker/analytics/clv/types';
import { createRandom } from '../../worker/analytics/math/random';
import { quadratureWork } from '../../worker/analytics/math/quadrature';
import { summarizePurchases } from '../../worker/analytics/rfm';
import { runAsStage } from '../stage-protocol';

/** r and α of the Online Retail calibration fit by days, a and b where the issue reports them. */
export const BOUNDARY_PARAMS = { r: 0.739, alpha: 62.3, a: 1e-9, b: 5e6 };
const BOUNDARY_CUSTOMERS = 2787;
const REGULAR_CUSTOMERS = 300;

/** A calibration end whose summary by days has ~2,787 customers and a BG/NBD fit at the boundary. */
const CALIBRATION_END = '2011-06-08';

export type BoundaryStageResult = {
  /** The real Online Retail calibration summary, when ../shared/data is there. */
  onlineRetail: {
    customers: number;
    fitted: Record<string, number>;
    /** Milliseconds of predictCustomers (6-month CLV) at the fitted parameters and at a = 1e-9, b = 5e6. */
    predictFitted: number;
    predictBoundary: number;
  } | null;
  boundary: {
    customers: number;
    /** Milliseconds of the first full predictCustomers call (6-month CLV, daily unit), JIT warm-up included. */
    first: number;
    /** Milliseconds: best of `runs` such calls. */
    predict: number;
    runs: number;
    /** Series terms + integral nodes + ₂F₁ steps of one call. */
    work: number;
    meanClv: number;
  };
  regular: {
    model: TransactionModelName;
    params: Record<string, number>;
    /** Milliseconds. */
    fit: number;
    predict: number;
    outlook: number;
    work: number;
    meanExpectedPurchases: number;
  }[];
};

function work(): number {
  return (
    seriesWork.terms + seriesWork.nodes + seriesWork.pieces + hyp2f1Work.steps + quadratureWork.evaluations
  );
}

/** 2,787 customers in days shaped like the Online Retail calibration summary (ages up to a year). */
function onlineRetailLikeCustomers(seed: number): PurchaseAndSpendHistory {
  const random = createRandom(seed);
  const n = BOUNDARY_CUSTOMERS;
  const data: PurchaseAndSpendHistory = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const T = 1 + Math.floor(372 * random.uniform());
    const rate = random.gamma(BOUNDARY_PARAMS.r, BOUNDARY_PARAMS.alpha);
    // Purchases over the part of the age the customer was active, capped like the heaviest real buyers.
    const x = Math.min(200, random.poisson(rate * T * random.uniform()));
    data.frequency[i] = x;
    data.recency[i] = x === 0 ? 0 : Math.ceil(T * Math.sqrt(random.uniform()));
    data.T[i] = T;
    data.monetaryValue[i] = x === 0 ? 0 : 50 + 400 * random.uniform();
  }
  return data;
}

/** A purchase every 7 days for two years, starts staggered over a week, nobody drops out (days). */
function regularBuyers(): PurchaseAndSpendHistory {
  const n = REGULAR_CUSTOMERS;
  const data: PurchaseAndSpendHistory = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const start = i % 7;
    const purchases = Math.floor((729 - start) / 7) + 1;
    data.frequency[i] = purchases - 1;
    data.recency[i] = 7 * (purchases - 1);
    data.T[i] = 729 - start;
    data.monetaryValue[i] = 40 + (i % 30);
  }
  return data;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Fit BG/NBD on the Online Retail calibration summary by days and time the 6-month CLV predictions. */
async function onlineRetailCase(): Promise<BoundaryStageResult['onlineRetail']> {
  if (!existsSync(ONLINE_RETAIL_FILE)) return null;
  const cleaner = createCleaner({
    ...cleaningDefaultsFor('online-retail'),
    observationEnd: '2011-12-09',
    baseCurrency: 'GBP',
    keepLines: false,
  });
  for await (const batch of readTransactionBatches(ONLINE_RETAIL_FILE, 'online-retail')) {
    for (const row of batch) cleaner.add(row);
  }
  const clean = cleaner.finish();
  const summary = summarizePurchases(clean.orders, clean.customers, {
    observationEnd: '2011-12-09',
    calibrationEnd: CALIBRATION_END,
    period: 'day',
  });
  const fit = TRANSACTION_MODELS.bgnbd.fit(summary);
  const settings = { horizon: 30, months: 6, monthlyDiscountRate: 0.01, timeUnit: 'day' as const };
  let start = performance.now();
  predictCustomers(TRANSACTION_MODELS.bgnbd, { ...fit.params, a: 1e-9, b: 5e6 }, summary, null, settings);
  const predictBoundary = performance.now() - start;
  start = performance.now();
  predictCustomers(TRANSACTION_MODELS.bgnbd, fit.params, summary, null, settings);
  const predictFitted = performance.now() - start;
  return { customers: summary.frequency.length, fitted: { ...fit.params }, predictFitted, predictBoundary };
}

export async function runBoundaryStage(seed: number): Promise<BoundaryStageResult> {
  // First, so its timings are the cold ones a `crm-clv predict` run would see.
  const onlineRetail = await onlineRetailCase();
  const data = onlineRetailLikeCustomers(seed);
  const runs = 5;
  let best = Infinity;
  let first = NaN;
  let spent = 0;
  let meanClv = NaN;
  for (let run = 0; run < runs; run++) {
    const before = work();
    const start = performance.now();
    const out = predictCustomers(TRANSACTION_MODELS.bgnbd, BOUNDARY_PARAMS, data, null, {
      horizon: 30,
      months: 6,
      monthlyDiscountRate: 0.01,
      timeUnit: 'day',
    });
    const elapsed = performance.now() - start;
    if (run === 0) first = elapsed;
    best = Math.min(best, elapsed);
    spent = work() - before;
    meanClv = mean(out.clv);
  }

  const regular = regularBuyers();
  const models = TRANSACTION_MODEL_NAMES.map((name) => {
    const model = TRANSACTION_MODELS[name];
    let start = performance.now();
    const fit = model.fit(regular);
    const spend = fitGammaGamma(regular);
    const fitTime = performance.now() - start;
    const before = work();
    start = performance.now();
    const out = predictCustomers(model, fit.params, regular, spend.params, {
      horizon: 360,
      months: 12,
      monthlyDiscountRate: 0.01,
      timeUnit: 'day',
    });
    const predictTime = performance.now() - start;
    start = performance.now();
    for (let n = 0; n <= 5; n++) model.probabilityOfPurchases(fit.params, n, 360);
    model.expectedPurchasesNewCustomer(fit.params, 360);
    const outlookTime = performance.now() - start;
    return {
      model: name,
      params: { ...fit.params },
      fit: fitTime,
      predict: predictTime,
      outlook: outlookTime,
      work: work() - before,
      meanExpectedPurchases: mean(out.expectedPurchases),
    };
  });
  return {
    onlineRetail,
    boundary: { customers: data.frequency.length, first, predict: best, runs, work: spent, meanClv },
    regular: models,
  };
}

if (require.main === module) {
  runAsStage(([seed]) => runBoundaryStage(Number(seed)));
}
