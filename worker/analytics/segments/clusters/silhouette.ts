/**
 * Mean silhouette (Rousseeuw 1987, "Silhouettes: a graphical aid…", J. Comput. Appl. Math. 20): for point i in
 * cluster A, a(i) = mean distance to the other members of A, b(i) = the smallest mean distance to the members of
 * another cluster, s(i) = (b − a) / max(a, b); s(i) = 0 when A = {i} (scikit-learn's convention). Euclidean
 * distances. Exact and O(n²), so it runs on a sample: pairwise distances are computed once (condensed upper
 * triangle) and reused for every k.
 */
const { sqrt } = Math;

export type SampleMatrix = { n: number; d: number; values: Float64Array };

/** Condensed upper triangle of the Euclidean distances, pairs (i, j > i) in row order. */
export function pairwiseDistances(m: SampleMatrix): Float64Array {
  const { n, d, values: x } = m;
  const out = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0, a = i * d, b = j * d; t < d; t++) {
        const diff = x[a + t] - x[b + t];
        s += diff * diff;
      }
      out[p++] = sqrt(s);
    }
  }
  return out;
}

/** Mean silhouette from condensed distances; NaN when fewer than 2 clusters are non-empty. */
export function silhouetteFromDistances(
  distances: Float64Array,
  n: number,
  labels: Int32Array,
  k: number,
): number {
  const sums = new Float64Array(n * k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  let nonEmpty = 0;
  for (let j = 0; j < k; j++) if (sizes[j] > 0) nonEmpty++;
  if (nonEmpty < 2) return NaN;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i];
    const rowI = i * k;
    for (let j = i + 1; j < n; j++) {
      const dist = distances[p++];
      sums[rowI + labels[j]] += dist;
      sums[j * k + li] += dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i];
    if (sizes[li] === 1) continue; // s(i) = 0
    const a = sums[i * k + li] / (sizes[li] - 1);
    let b = Infinity;
    for (let j = 0; j < k; j++) {
      if (j === li || sizes[j] === 0) continue;
      const mean = sums[i * k + j] / sizes[j];
      if (mean < b) b = mean;
    }
    const denominator = a > b ? a : b;
    if (denominator > 0) total += (b - a) / denominator;
  }
  return total / n;
}

/** Mean silhouette of a labelled matrix (O(n²): use on samples). */
export function silhouetteScore(m: SampleMatrix, labels: Int32Array, k: number): number {
  return silhouetteFromDistances(pairwiseDistances(m), m.n, labels, k);
}
