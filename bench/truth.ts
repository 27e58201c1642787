/**
 * The parameters the fit benchmark simulates from: the published CDNOW estimates (weeks) of Fader, Hardie & Lee
 * (2005) for BG/NBD ("Counting your customers the easy way", Marketing Science) and Gamma-Gamma ("RFM and CLV",
 * JMR), so the recovered values are also recognisable.
 */
import type { BgNbdParams, GammaGammaParams } from '../worker/analytics/clv/types';

export const TRUE_BGNBD: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
export const TRUE_GAMMA_GAMMA: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };
/** Customers' ages at the end of observation: uniform over 1–78 weeks (acquired over a year and a half). */
export const AGE_RANGE_WEEKS = { min: 1, max: 78 } as const;

export type ParameterCheck = {
  model: string;
  param: string;
  truth: number;
  estimate: number;
  standardError: number;
  /** (estimate − truth) / standard error. */
  z: number;
  pass: boolean;
};

/** PASS when the estimate lies within `k` standard errors of the truth (NaN standard error: FAIL). */
export function checkParameters(
  model: string,
  truth: Record<string, number>,
  estimate: Record<string, number>,
  standardErrors: Record<string, number>,
  k = 3,
): ParameterCheck[] {
  return Object.keys(truth).map((param) => {
    const z = (estimate[param] - truth[param]) / standardErrors[param];
    return {
      model,
      param,
      truth: truth[param],
      estimate: estimate[param],
      standardError: standardErrors[param],
      z,
      pass: Math.abs(z) <= k,
    };
  });
}
