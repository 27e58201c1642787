/**
 * Item-to-item co-purchase similarity (Sarwar et al. 2001, "Item-based collaborative filtering
 * recommendation algorithms"; Linden, Smith & York 2003, Amazon's item-to-item CF): products are vectors of
 * binary occurrences over transactions (baskets, or customers' whole histories), compared by cosine
 *   cos(i, j) = c_ij / √(c_i · c_j),
 * c_ij = transactions containing both, c_i = transactions containing i. Pairs seen together fewer than
 * `minSupport` times are dropped, and the rest shrunk towards 0 by c_ij / (c_ij + λ) (Koren 2008,
 * "Factorization meets the neighborhood", §2.2: s_ij = n_ij / (n_ij + λ₂) · ρ_ij) so that one coincidental basket between two rare products
 * does not outrank a pattern seen a hundred times.
 *
 * Sparse: one product row at a time is accumulated in a dense scratch array through the product →
 * transactions index, so the work is Σ_t |t|² and the memory O(products · K + entries), never products².
 */
import { RECOMMEND_DEFAULTS } from './defaults';
import { requireInteger, requireNumber } from './recommend-error';
import type { ItemNeighbours } from './types';

/** Sets of product indices in CSR form (Baskets or CustomerItems fit). */
export type ProductSets = { offsets: Int32Array; items: Int32Array };

export type SimilarityOptions = {
  /** Neighbours kept per product (default 20). */
  topK?: number;
  /** Minimum co-occurrences for a pair (default 2). */
  minSupport?: number;
  /** Shrinkage λ in c_ij / (c_ij + λ) (default 5; 0 = plain cosine). */
  shrinkage?: number;
  /** include[t] = 1 for the transactions to learn from; absent = all. */
  include?: Uint8Array;
};

export function itemNeighbours(
  sets: ProductSets,
  productsCount: number,
  options: SimilarityOptions = {},
): ItemNeighbours {
  const { sqrt } = Math;
  const topK = options.topK ?? RECOMMEND_DEFAULTS.topK;
  const minSupport = options.minSupport ?? RECOMMEND_DEFAULTS.minSupport;
  const shrinkage = options.shrinkage ?? RECOMMEND_DEFAULTS.shrinkage;
  requireInteger('topK', topK, 1);
  requireInteger('minSupport', minSupport, 1);
  requireNumber('shrinkage', shrinkage, 0);
  const include = options.include;
  const { offsets: setOffsets, items: setItems } = sets;
  const nSets = setOffsets.length - 1;

  // Product → transactions containing it (CSR transpose).
  const occurrences = new Int32Array(productsCount);
  for (let t = 0; t < nSets; t++) {
    if (include && !include[t]) continue;
    for (let k = sets.offsets[t]; k < sets.offsets[t + 1]; k++) occurrences[sets.items[k]]++;
  }
  const postingStart = new Int32Array(productsCount + 1);
  for (let p = 0; p < productsCount; p++) postingStart[p + 1] = postingStart[p] + occurrences[p];
  const postings = new Int32Array(postingStart[productsCount]);
  const fill = postingStart.slice(0, productsCount);
  for (let t = 0; t < nSets; t++) {
    if (include && !include[t]) continue;
    for (let k = sets.offsets[t]; k < sets.offsets[t + 1]; k++) postings[fill[sets.items[k]]++] = t;
  }

  const invSqrt = new Float64Array(productsCount);
  for (let p = 0; p < productsCount; p++) invSqrt[p] = occurrences[p] > 0 ? 1 / sqrt(occurrences[p]) : 0;
  const offsets = new Int32Array(productsCount + 1);
  let neighbour = new Int32Array(Math.min(productsCount * topK, 1 << 20));
  let similarity = new Float64Array(neighbour.length);
  let support = new Int32Array(neighbour.length);
  const co = new Int32Array(productsCount);
  const touched = new Int32Array(productsCount);
  // Current top K of one row, sorted by decreasing similarity (ties: lower product index first).
  const bestSim = new Float64Array(topK);
  const bestItem = new Int32Array(topK);
  const bestSupport = new Int32Array(topK);
  let n = 0;
  for (let i = 0; i < productsCount; i++) {
    const ci = occurrences[i];
    if (ci >= minSupport) {
      const invSqrtI = invSqrt[i];
      let nTouched = 0;
      for (let q = postingStart[i]; q < postingStart[i + 1]; q++) {
        const t = postings[q];
        const end = setOffsets[t + 1];
        for (let k = setOffsets[t]; k < end; k++) {
          const j = setItems[k];
          if (j === i) continue;
          if (co[j] === 0) touched[nTouched++] = j;
          co[j]++;
        }
      }
      let kept = 0;
      for (let m = 0; m < nTouched; m++) {
        const j = touched[m];
        const cij = co[j];
        co[j] = 0;
        if (cij < minSupport) continue;
        const s = (cij * cij * invSqrtI * invSqrt[j]) / (cij + shrinkage);
        if (kept === topK && (s < bestSim[topK - 1] || (s === bestSim[topK - 1] && j > bestItem[topK - 1]))) {
          continue;
        }
        let pos = kept < topK ? kept++ : topK - 1;
        while (pos > 0 && (bestSim[pos - 1] < s || (bestSim[pos - 1] === s && bestItem[pos - 1] > j))) {
          bestSim[pos] = bestSim[pos - 1];
          bestItem[pos] = bestItem[pos - 1];
          bestSupport[pos] = bestSupport[pos - 1];
          pos--;
        }
        bestSim[pos] = s;
        bestItem[pos] = j;
        bestSupport[pos] = cij;
      }
      if (n + kept > neighbour.length) {
        const size = Math.max(n + kept, neighbour.length * 2);
        neighbour = grow(neighbour, new Int32Array(size));
        similarity = grow(similarity, new Float64Array(size));
        support = grow(support, new Int32Array(size));
      }
      for (let m = 0; m < kept; m++) {
        neighbour[n] = bestItem[m];
        similarity[n] = bestSim[m];
        support[n] = bestSupport[m];
        n++;
      }
    }
    offsets[i + 1] = n;
  }
  return {
    offsets,
    neighbour: neighbour.slice(0, n),
    similarity: similarity.slice(0, n),
    support: support.slice(0, n),
    occurrences,
  };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
