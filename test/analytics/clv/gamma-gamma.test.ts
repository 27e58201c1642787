import { readFileSync } from 'fs';
import * as path from 'path';
import {
  SpendModelError,
  expectedAverageValue,
  expectedAverageValues,
  fitGammaGamma,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
  observedMeanSpend,
  populationMeanSpend,
  spendFrequencyCorrelation,
} from '../../../worker/analytics/clv/gamma-gamma';
import { ModelFitError } from '../../../worker/analytics/clv/types';
import { numericalHessian } from '../../../worker/analytics/math/hessian';
import { invertSpd } from '../../../worker/analytics/math/linear-algebra';
import { simulateGammaGammaSpend } from '../../../demo-data/gamma-gamma-simulation';
import { createRandom } from '../../../worker/analytics/math/random';

const repoRoot = path.resolve(__dirname, '../../..');
const lifetimesData = path.resolve(repoRoot, '../shared/data/lifetimes');

/** Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", CDNOW sample: p, q, γ. */
const PUBLISHED = { p: 6.25, q: 3.74, v: 15.44 };

function spend(frequency: number[], monetaryValue: number[]) {
  return { frequency: Float64Array.from(frequency), monetaryValue: Float64Array.from(monetaryValue) };
}

function loadCdnowSummary() {
  const rows = readFileSync(path.join(lifetimesData, 'cdnow_customers_summary_with_transactions.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
  return spend(
    rows.map((r) => r[1]),
    rows.map((r) => r[4]),
  );
}

/**
 * x and z̄ straight from the raw CDNOW sample transactions (39-week calibration ending 1997-09-30,
 * purchases on the same day merged, as in the summary file), without the summary file's 2-decimal rounding.
 */
function loadCdnowFromTransactions() {
  const byCustomer = new Map<string, Map<string, number>>();
  for (const line of readFileSync(path.join(lifetimesData, 'CDNOW_sample.txt'), 'utf8').trim().split('\n')) {
    const [, id, date, , value] = line.trim().split(/\s+/);
    if (date > '19970930') continue;
    const days = byCustomer.get(id) ?? new Map<string, number>();
    days.set(date, (days.get(date) ?? 0) + Number(value));
    byCustomer.set(id, days);
  }
  const frequency: number[] = [];
  const monetaryValue: number[] = [];
  for (const days of byCustomer.values()) {
    const repeats = [...days.keys()]
      .sort()
      .slice(1)
      .map((d) => days.get(d) as number);
    frequency.push(repeats.length);
    monetaryValue.push(repeats.length ? repeats.reduce((a, b) => a + b, 0) / repeats.length : 0);
  }
  return spend(frequency, monetaryValue);
}

/** Repeat buyers (x ≥ 1, geometric) with Gamma-Gamma mean spend from the project's simulator. */
function simulate(n: number, params: { p: number; q: number; v: number }, seed: number) {
  const random = createRandom(seed);
  const frequency = new Float64Array(n);
  for (let i = 0; i < n; i++) frequency[i] = 1 + Math.floor(random.exponential(0.5));
  return { frequency, monetaryValue: simulateGammaGammaSpend(params, frequency, { seed: seed + 1 }) };
}

describe('Gamma-Gamma likelihood', () => {
  it('matches the density worked out by hand for one repeat purchase', () => {
    // x = 1: z ~ Gamma(p, ν), ν ~ Gamma(q, γ) ⇒ f(z) = Γ(p+q)/(Γ(p)Γ(q)) γ^q z^(p−1) / (γ+z)^(p+q).
    // p = 1, q = 2, γ = 1, z = 1: Γ(3)/(Γ(1)Γ(2)) · 1 · 1 / 2³ = 2/8 = 1/4.
    expect(gammaGammaCustomerLogLikelihood({ p: 1, q: 2, v: 1 }, 1, 1)).toBeCloseTo(Math.log(1 / 4), 12);
  });

  it('matches the density worked out by hand for two repeat purchases', () => {
    // x = 2, p = 1: z̄ | ν ~ Gamma(2, 2ν), density 4ν² z̄ e^(−2ν z̄); with q = 1, γ = 1, ν has density e^(−ν):
    // ∫ 4 z̄ ν² e^(−ν(2z̄+1)) dν = 8 z̄ / (2z̄+1)³ = 8 · 0.5 / 2³ = 0.5 at z̄ = 0.5.
    expect(gammaGammaCustomerLogLikelihood({ p: 1, q: 1, v: 1 }, 2, 0.5)).toBeCloseTo(Math.log(0.5), 12);
  });

  it('sums the customers and leaves out those without repeat purchases', () => {
    const data = spend([1, 2, 0], [1, 0.5, 0]);
    // Same parameters for both customers: p = 1, q = 1, v = 1 gives f = 1/(1+1)² = 1/4 for x = 1, z = 1.
    expect(gammaGammaLogLikelihood({ p: 1, q: 1, v: 1 }, data)).toBeCloseTo(
      Math.log(1 / 4) + Math.log(0.5),
      12,
    );
  });
});

describe('fitGammaGamma on CDNOW', () => {
  const data = loadCdnowSummary();
  const fit = fitGammaGamma(data);

  it('reproduces the published p and q on the 946 repeat buyers of the summary file', () => {
    expect(fit.n).toBe(946);
    expect(fit.excluded).toEqual({ noRepeatPurchases: 2357 - 946, nonPositiveSpend: 0 });
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.params.p).toBeCloseTo(PUBLISHED.p, 2);
    expect(fit.params.q).toBeCloseTo(PUBLISHED.q, 2);
    // The summary file rounds z̄ to cents, which moves v by about 0.004 (SE ≈ 4); the unrounded data
    // below reproduce 15.44 exactly.
    expect(Math.abs(fit.params.v - PUBLISHED.v)).toBeLessThan(0.01);
    expect(fit.diagnostics.warnings).toEqual([]);
  });

  it('reproduces p, q, v = 6.25, 3.74, 15.44 from the raw CDNOW sample transactions', () => {
    const raw = fitGammaGamma(loadCdnowFromTransactions());
    expect(raw.n).toBe(946);
    expect(raw.params.p).toBeCloseTo(PUBLISHED.p, 2);
    expect(raw.params.q).toBeCloseTo(PUBLISHED.q, 2);
    expect(raw.params.v).toBeCloseTo(PUBLISHED.v, 2);
  });

  it('gives standard errors equal to those from a finite-difference Hessian of the log-likelihood', () => {
    const nll = (x: Float64Array): number => -gammaGammaLogLikelihood({ p: x[0], q: x[1], v: x[2] }, data);
    const H = numericalHessian(nll, [fit.params.p, fit.params.q, fit.params.v], 1e-4);
    const cov = invertSpd(H, 3);
    expect(cov).not.toBeNull();
    const se = [0, 1, 2].map((k) => Math.sqrt((cov as Float64Array)[k * 4]));
    // Second differences of function values are good to about 1e-4 relative here.
    expect(fit.standardErrors.p / se[0]).toBeCloseTo(1, 3);
    expect(fit.standardErrors.q / se[1]).toBeCloseTo(1, 3);
    expect(fit.standardErrors.v / se[2]).toBeCloseTo(1, 3);
  });

  it('reports the frequency–spend correlation lifetimes documents for CDNOW (0.113884)', () => {
    expect(fit.spendFrequencyCorrelation).toBeCloseTo(0.113884, 6);
  });
});

describe('fitGammaGamma on simulated data', () => {
  it('recovers the generating parameters from 60,000 customers (subsample warm start)', () => {
    const truth = { p: 6.25, q: 3.74, v: 15.44 };
    const fit = fitGammaGamma(simulate(60_000, truth, 7));
    expect(fit.diagnostics.converged).toBe(true);
    for (const k of ['p', 'q', 'v'] as const) {
      // Within four standard errors of the truth.
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(4 * fit.standardErrors[k]);
    }
  });

  it('warns when q ≤ 1, where the population mean spend does not exist', () => {
    const fit = fitGammaGamma(simulate(20_000, { p: 3, q: 0.7, v: 20 }, 11));
    expect(fit.params.q).toBeLessThan(1);
    expect(fit.diagnostics.warnings.some((w) => w.includes('does not exist'))).toBe(true);
    expect(() => populationMeanSpend(fit.params)).toThrow(SpendModelError);
  });

  it('warns and counts customers with repeat purchases but no positive spend', () => {
    const base = simulate(500, { p: 6, q: 4, v: 15 }, 3);
    base.monetaryValue[0] = 0;
    base.monetaryValue[1] = -5;
    const fit = fitGammaGamma(base);
    expect(fit.n).toBe(498);
    expect(fit.excluded.nonPositiveSpend).toBe(2);
    expect(fit.diagnostics.warnings.some((w) => w.includes('2 customers'))).toBe(true);
  });
});

describe('fitGammaGamma input errors', () => {
  it('says there are no repeat buyers', () => {
    const run = () => fitGammaGamma(spend([0, 0, 3], [0, 0, 0]));
    expect(run).toThrow(ModelFitError);
    expect(run).toThrow(/at least one repeat purchase/);
    try {
      run();
    } catch (e) {
      expect((e as ModelFitError).code).toBe('NO_REPEAT_BUYERS');
    }
  });

  it('rejects empty, misaligned and non-numeric data with INVALID/EMPTY codes', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as ModelFitError).code;
      }
      return undefined;
    };
    expect(codeOf(() => fitGammaGamma(spend([], [])))).toBe('EMPTY_DATA');
    expect(codeOf(() => fitGammaGamma(spend([1, 2], [3])))).toBe('INVALID_DATA');
    expect(codeOf(() => fitGammaGamma(spend([1, NaN], [3, 4])))).toBe('INVALID_DATA');
  });
});

describe('expected average value', () => {
  it('is p(v + x z̄)/(px + q − 1) with the published parameters (CDNOW customers 1 and 2)', () => {
    // Customer 1: x = 2, z̄ = 22.35 → 6.25 · (15.44 + 44.70) / (12.50 + 3.74 − 1) = 375.875 / 15.24
    expect(expectedAverageValue(PUBLISHED, 2, 22.35)).toBeCloseTo(375.875 / 15.24, 10);
    // Customer 2: x = 1, z̄ = 11.77 → 6.25 · (15.44 + 11.77) / (6.25 + 3.74 − 1) = 170.0625 / 8.99
    expect(expectedAverageValue(PUBLISHED, 1, 11.77)).toBeCloseTo(170.0625 / 8.99, 10);
  });

  it('is the population mean p·v/(q − 1) without repeat purchases', () => {
    // 6.25 · 15.44 / 2.74 = 96.5 / 2.74
    expect(expectedAverageValue(PUBLISHED, 0, 0)).toBeCloseTo(96.5 / 2.74, 10);
    expect(populationMeanSpend(PUBLISHED)).toBeCloseTo(96.5 / 2.74, 10);
  });

  it('vectorises over customers', () => {
    const values = expectedAverageValues(PUBLISHED, spend([2, 1, 0], [22.35, 11.77, 0]));
    expect(Array.from(values)).toEqual([
      expectedAverageValue(PUBLISHED, 2, 22.35),
      expectedAverageValue(PUBLISHED, 1, 11.77),
      96.5 / 2.74,
    ]);
  });

  it('throws SPEND_MEAN_UNDEFINED instead of a negative value when q ≤ 1', () => {
    const params = { p: 2, q: 0.8, v: 10 };
    // pv/(q−1) would be 20 / −0.2 = −100.
    let code: string | undefined;
    try {
      expectedAverageValue(params, 0, 0);
    } catch (e) {
      code = (e as SpendModelError).code;
    }
    expect(code).toBe('SPEND_MEAN_UNDEFINED');
    expect(() => populationMeanSpend(params)).toThrow(/does not exist/);
    // A repeat buyer still has a posterior mean: 2 · (10 + 3 · 5) / (6 + 0.8 − 1) = 50 / 5.8.
    expect(expectedAverageValue(params, 3, 5)).toBeCloseTo(50 / 5.8, 12);
  });

  it('uses the observed fallback when asked: own z̄ for repeat buyers, the given mean otherwise', () => {
    const params = { p: 0.2, q: 0.5, v: 10 };
    const fallback = { kind: 'observed', populationMean: 33 } as const;
    // x = 2: px + q = 0.9 ≤ 1, no posterior mean → own z̄.
    expect(expectedAverageValue(params, 2, 12.5, fallback)).toBe(12.5);
    expect(expectedAverageValue(params, 0, 0, fallback)).toBe(33);
    expect(() => expectedAverageValue(params, 2, 12.5)).toThrow(SpendModelError);
  });

  it('computes the observed mean spend over repeat buyers only', () => {
    expect(observedMeanSpend(spend([1, 3, 0, 2], [10, 20, 0, -4]))).toBe(15);
  });
});

describe('spendFrequencyCorrelation', () => {
  it('is the Pearson correlation among repeat buyers, worked out by hand', () => {
    // Repeat buyers (1, 2), (2, 4), (3, 7); means 2 and 13/3; deviations (−1, −7/3), (0, −1/3), (1, 8/3):
    // Sxy = 7/3 + 8/3 = 5, Sxx = 2, Syy = (49 + 1 + 64)/9 = 114/9 → r = 5 / √(2 · 114/9) = 15/√228.
    const r = spendFrequencyCorrelation(spend([1, 0, 2, 3], [2, 0, 4, 7]));
    expect(r).toBeCloseTo(15 / Math.sqrt(228), 12);
  });

  it('is null when it is undefined', () => {
    expect(spendFrequencyCorrelation(spend([1, 0], [5, 0]))).toBeNull();
    expect(spendFrequencyCorrelation(spend([2, 2, 2], [5, 6, 7]))).toBeNull();
  });
});
