/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models for customer
 * base analysis", International Journal of Research in Marketing 24(3)): BG/NBD with the dropout coin also
 * tossed at the first purchase (time 0), so a customer without repeat purchases may already be gone:
 * P(alive | x = 0, T > 0) < 1, where BG/NBD says 1. Same parameters r, α, a, b.
 *
 * Shares its likelihood, fit and predictions with BG/NBD (σ = 1 in ./bg-family-likelihood; ./beta-geometric-model).
 */

import { betaGeometricModel } from './beta-geometric-model';

export const mbgnbd = betaGeometricModel('mbgnbd', 'MBG/NBD');
