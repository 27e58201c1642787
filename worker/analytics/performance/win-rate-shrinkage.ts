/**
 * Empirical-Bayes beta-binomial shrinkage of each rep's win rate toward the team's (Efron & Morris 1975,
 * "Data analysis using Stein's estimator and its generalizations", JASA 70; Casella 1985, "An introduction
 * to empirical Bayes data analysis", The American Statistician 39). Each rep's true rate θᵢ ~ Beta(α, β) and
 * wonᵢ ~ Binomial(nᵢ, θᵢ); the posterior mean (wonᵢ + α) / (nᵢ + α + β) pulls a rep with few closed deals
 * most of the way to the team rate m = α/(α+β), and one with many barely at all.
 *
 * α and β come from the method of moments: m is the pooled rate Σwon/Σn, and the between-rep variance τ² is
 * what is left of the weighted spread of the observed rates once binomial noise is taken out (the
 * DerSimonian & Laird 1986 moment estimator, "Meta-analysis in clinical trials", Controlled Clinical Trials 7):
 *   τ² = (Σ nᵢ(rᵢ − m)² − (k − 1)·m(1 − m)) / (Σnᵢ − Σnᵢ²/Σnᵢ),  α + β = m(1 − m)/τ² − 1.
 * When the spread is no more than noise (τ² ≤ 0) every rep is shrunk all the way to m: the data cannot tell
 * them apart.
 */

export type WinRecord = { won: number; closed: number };

export type BetaPrior = {
  /** Pooled team win rate m. */
  mean: number;
  /** α + β, the prior's weight in closed deals; Infinity when reps cannot be told apart. */
  strength: number;
};

export function fitWinRatePrior(reps: readonly WinRecord[]): BetaPrior {
  const active = reps.filter((r) => r.closed > 0);
  let won = 0;
  let closed = 0;
  let closedSquares = 0;
  for (const r of active) {
    won += r.won;
    closed += r.closed;
    closedSquares += r.closed * r.closed;
  }
  if (closed === 0) return { mean: 0, strength: Infinity };
  const mean = won / closed;
  if (active.length < 2 || mean === 0 || mean === 1) return { mean, strength: Infinity };
  let spread = 0;
  for (const r of active) spread += r.closed * (r.won / r.closed - mean) ** 2;
  const tau2 = (spread - (active.length - 1) * mean * (1 - mean)) / (closed - closedSquares / closed);
  if (!(tau2 > 0)) return { mean, strength: Infinity };
  return { mean, strength: Math.max(0, (mean * (1 - mean)) / tau2 - 1) };
}

/** The posterior-mean win rate of one rep under the prior; the team rate when the prior is all-weighing. */
export function shrunkWinRate(rep: WinRecord, prior: BetaPrior): number {
  if (!Number.isFinite(prior.strength)) return prior.mean;
  const alpha = prior.mean * prior.strength;
  const total = rep.closed + prior.strength;
  return total > 0 ? (rep.won + alpha) / total : prior.mean;
}
