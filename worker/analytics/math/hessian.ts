/**
 * Numerical Hessian by central differences of a function value (Nocedal & Wright §8.1, eq. 8.9 for the
 * mixed terms). Used for standard errors, where the analytic second derivatives are not worth their code.
 */
export function numericalHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  relStep = 1e-4,
): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const p = Float64Array.from(x);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = relStep * Math.max(1, Math.abs(x[i]));
  const f0 = f(p);
  const at = (i: number, di: number, j: number, dj: number): number => {
    p[i] += di;
    p[j] += dj;
    const v = f(p);
    p[i] -= di;
    p[j] -= dj;
    return v;
  };
  for (let i = 0; i < n; i++) {
    H[i * n + i] = (at(i, h[i], i, 0) - 2 * f0 + at(i, -h[i], i, 0)) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const v =
        (at(i, h[i], j, h[j]) - at(i, h[i], j, -h[j]) - at(i, -h[i], j, h[j]) + at(i, -h[i], j, -h[j])) /
        (4 * h[i] * h[j]);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}
