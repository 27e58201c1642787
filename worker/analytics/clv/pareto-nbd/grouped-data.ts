/**
 * Validation and compression of a purchase summary for the Pareto/NBD likelihood. Customers with the same
 * (x, t_x, T) have the same likelihood, and the expensive part, ln I(u) with its hypergeometric factor,
 * depends only on (x, u) for u ∈ {t_x, T}; so each distinct (x, u) pair is evaluated once per likelihood call.
 * In CDNOW-like data (one cohort, summaries rounded to days) that removes most of the work: 2,357 customers
 * make 1,016 patterns and 940 pairs, and all x = 0 customers share the patterns of a few dozen T values.
 * Input must have passed validatePurchaseHistory (../fit-helpers.ts).
 */
import type { PurchaseHistory } from '../types';

export type GroupedHistory = {
  /** Distinct (x, t_x, T) patterns and how many customers have each. */
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Distinct (x, u) pairs whose ln I(u) is needed; index −1 when t_x = T (no died-in-between term). */
  pairX: Float64Array;
  pairU: Float64Array;
  txPair: Int32Array;
  TPair: Int32Array;
  /** Number of customers (sum of weights). */
  count: number;
  repeatBuyers: number;
};

/**
 * Groups customers by (x, t_x, T) and lists the distinct (x, u) pairs. Sorting (rather than hashing string
 * keys) keeps this under a second for a million customers with continuous ages, and leaves the patterns
 * ordered by x so per-x terms (ln Γ(r+x)) are computed once per run.
 */
export function groupPurchaseHistory(data: PurchaseHistory): GroupedHistory {
  const { frequency, recency, T } = data;
  const n = frequency.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => frequency[i] - frequency[j] || recency[i] - recency[j] || T[i] - T[j] || i - j);
  const px: number[] = [];
  const ptx: number[] = [];
  const pT: number[] = [];
  const pw: number[] = [];
  let repeatBuyers = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const x = frequency[i];
    if (x > 0) repeatBuyers++;
    const last = px.length - 1;
    if (last >= 0 && px[last] === x && ptx[last] === recency[i] && pT[last] === T[i]) {
      pw[last]++;
    } else {
      px.push(x);
      ptx.push(recency[i]);
      pT.push(T[i]);
      pw.push(1);
    }
  }
  const groups = px.length;
  // Candidate pairs: (x, t_x) and (x, T) of every pattern that has a died-in-between term.
  const candX: number[] = [];
  const candU: number[] = [];
  for (let g = 0; g < groups; g++) {
    if (ptx[g] < pT[g]) {
      candX.push(px[g], px[g]);
      candU.push(ptx[g], pT[g]);
    }
  }
  const candidates = candX.length;
  const candOrder = new Int32Array(candidates);
  for (let c = 0; c < candidates; c++) candOrder[c] = c;
  candOrder.sort((a, b) => candX[a] - candX[b] || candU[a] - candU[b] || a - b);
  const pairOfCandidate = new Int32Array(candidates);
  const pairX: number[] = [];
  const pairU: number[] = [];
  for (let k = 0; k < candidates; k++) {
    const c = candOrder[k];
    const last = pairX.length - 1;
    if (last < 0 || pairX[last] !== candX[c] || pairU[last] !== candU[c]) {
      pairX.push(candX[c]);
      pairU.push(candU[c]);
    }
    pairOfCandidate[c] = pairX.length - 1;
  }
  const txPair = new Int32Array(groups).fill(-1);
  const TPair = new Int32Array(groups).fill(-1);
  for (let g = 0, c = 0; g < groups; g++) {
    if (ptx[g] < pT[g]) {
      txPair[g] = pairOfCandidate[c++];
      TPair[g] = pairOfCandidate[c++];
    }
  }
  return {
    x: Float64Array.from(px),
    tx: Float64Array.from(ptx),
    T: Float64Array.from(pT),
    weight: Float64Array.from(pw),
    pairX: Float64Array.from(pairX),
    pairU: Float64Array.from(pairU),
    txPair,
    TPair,
    count: n,
    repeatBuyers,
  };
}
