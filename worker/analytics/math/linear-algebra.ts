/** Small dense linear algebra for Hessians (a handful of parameters). Matrices are row-major Float64Array. */

/** Inverse of a symmetric positive-definite matrix by Cholesky; null when not positive definite. */
export function invertSpd(m: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  // inv = L⁻ᵀ L⁻¹
  const Linv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Linv[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= L[i * n + k] * Linv[k * n + j];
      Linv[i * n + j] = sum / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = Math.max(i, j); k < n; k++) sum += Linv[k * n + i] * Linv[k * n + j];
      inv[i * n + j] = sum;
    }
  }
  return inv;
}
