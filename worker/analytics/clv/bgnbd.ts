/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an alternative to the Pareto/NBD
 * model", Marketing Science 24(2)): purchases at rate λ ~ Gamma(r, α) while active; after each repeat purchase
 * the customer drops out with probability p ~ Beta(a, b). A customer without repeat purchases is alive.
 *
 * Formulas and their numerics live in ./bg-family-likelihood (LL, eq. 6, analytic gradient, fit) and
 * ./bg-family-predictions (P(alive), eq. 10 via Euler's transformation, eq. 8, eq. 9), shared with MBG/NBD.
 *
 * @example
 *   const fit = bgnbd.fit({ frequency, recency, T });
 *   const { expectedPurchases, probabilityAlive } = bgnbd.predictAll(fit.params, { frequency, recency, T }, 52);
 */

import { betaGeometricModel } from './beta-geometric-model';

export type { BetaGeometricModel } from './beta-geometric-model';

export const bgnbd = betaGeometricModel('bgnbd', 'BG/NBD');
