/**
 * Bench stage (a)–(d), one process: simulate N BG/NBD customers with Gamma-Gamma spend, fit BG/NBD, fit
 * Gamma-Gamma on the repeat buyers, then predict for every customer (expected purchases over 52 weeks, P(alive),
 * expected average value, 12-month CLV discounted at 1 % a month). Simulation is timed apart from the target.
 *
 * Args: <customers> <seed>
 */

import { bgnbd } from '../../worker/analytics/clv/bgnbd';
import { fitGammaGamma } from '../../worker/analytics/clv/gamma-gamma';
import { predictCustomers } from '../../worker/analytics/clv/predict-customers';
import { TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import { simulateBgNbd } from '../../demo-data/bgnbd-simulation';
import { withGammaGammaSpend } from '../../demo-data/gamma-gamma-simulation';
import { peakRssMiB, rssMiB, runAsStage } from '../stage-protocol';
import {
  AGE_RANGE_WEEKS,
  checkParameters,
  TRUE_BGNBD,
  TRUE_GAMMA_GAMMA,
  type ParameterCheck,
} from '../truth';

export type StepTimes = {
  simulate: number;
  fitBgnbd: number;
  fitGammaGamma: number;
  /** predictCustomers: E[purchases], P(alive), expected order value, 12-month CLV and next purchase, all customers. */
  predict: number;
};

export type FitStageResult = {
  customers: number;
  repeatBuyers: number;
  /** Wall-clock milliseconds per step. */
  times: StepTimes;
  /** CPU milliseconds (user + system) per step: what the step costs when the machine is shared. */
  cpuTimes: StepTimes;
  memory: { startRss: number; peakAfterSimulate: number; peak: number };
  fits: {
    bgnbd: { iterations: number; converged: boolean; logLikelihood: number };
    gammaGamma: { iterations: number; converged: boolean; logLikelihood: number };
  };
  checks: ParameterCheck[];
  /** Means over customers, as a sanity check that the predictions are numbers. */
  means: {
    expectedPurchases52: number;
    probabilityAlive: number;
    expectedAverageValue: number;
    clv12: number;
  };
};

const cpuTimes: Partial<StepTimes> = {};

/** Runs `work`, returns its value and wall milliseconds, and records its CPU milliseconds under `step`. */
function timed<T>(step: keyof StepTimes, work: () => T): [T, number] {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = work();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuTimes[step] = (used.user + used.system) / 1000;
  return [value, wall];
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

export function runFitStage(customers: number, seed: number): FitStageResult {
  const startRss = rssMiB();
  const [data, simulateMs] = timed('simulate', () => {
    const purchases = simulateBgNbd(TRUE_BGNBD, {
      customers,
      T: { kind: 'uniform', ...AGE_RANGE_WEEKS },
      seed,
    });
    return withGammaGammaSpend(purchases, TRUE_GAMMA_GAMMA, { seed: seed + 1 });
  });
  const peakAfterSimulate = peakRssMiB();

  const [bgFit, fitBgnbdMs] = timed('fitBgnbd', () => bgnbd.fit(data));
  const [ggFit, fitGammaGammaMs] = timed('fitGammaGamma', () => fitGammaGamma(data));
  // The product's own prediction path (what `crm-clv score` and `predict` run), not a re-implementation.
  const [predictions, predictMs] = timed('predict', () =>
    predictCustomers(TRANSACTION_MODELS.bgnbd, bgFit.params, data, ggFit.params, {
      horizon: 52,
      months: 12,
      monthlyDiscountRate: 0.01,
      timeUnit: 'week',
    }),
  );

  let repeatBuyers = 0;
  for (let i = 0; i < customers; i++) if (data.frequency[i] > 0) repeatBuyers++;
  return {
    customers,
    repeatBuyers,
    times: {
      simulate: simulateMs,
      fitBgnbd: fitBgnbdMs,
      fitGammaGamma: fitGammaGammaMs,
      predict: predictMs,
    },
    cpuTimes: cpuTimes as StepTimes,
    memory: { startRss, peakAfterSimulate, peak: peakRssMiB() },
    fits: {
      bgnbd: {
        iterations: bgFit.diagnostics.iterations,
        converged: bgFit.diagnostics.converged,
        logLikelihood: bgFit.logLikelihood,
      },
      gammaGamma: {
        iterations: ggFit.diagnostics.iterations,
        converged: ggFit.diagnostics.converged,
        logLikelihood: ggFit.logLikelihood,
      },
    },
    checks: [
      ...checkParameters('BG/NBD', TRUE_BGNBD, bgFit.params, bgFit.standardErrors),
      ...checkParameters('Gamma-Gamma', TRUE_GAMMA_GAMMA, ggFit.params, ggFit.standardErrors),
    ],
    means: {
      expectedPurchases52: mean(predictions.expectedPurchases),
      probabilityAlive: mean(predictions.probabilityAlive),
      expectedAverageValue: mean(predictions.expectedAverageValue),
      clv12: mean(predictions.clv),
    },
  };
}

if (require.main === module) {
  runAsStage(([customers, seed]) => runFitStage(Number(customers), Number(seed)));
}
