import { minimizeBfgs } from '../../../worker/analytics/math/optimize';
import { numericalHessian } from '../../../worker/analytics/math/hessian';
import { invertSpd } from '../../../worker/analytics/math/linear-algebra';

describe('BFGS', () => {
  it('finds the Rosenbrock minimum at (1, 1)', () => {
    const res = minimizeBfgs(
      (x, g) => {
        const a = 1 - x[0];
        const b = x[1] - x[0] * x[0];
        if (g) {
          g[0] = -2 * a - 400 * x[0] * b;
          g[1] = 200 * b;
        }
        return a * a + 100 * b * b;
      },
      [-1.2, 1],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('numerical Hessian and its inverse of a quadratic are exact', () => {
    // f = ½ xᵀ A x with A = [[4, 1], [1, 3]]
    const H = numericalHessian(
      (x) => 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]),
      [0.3, -0.2],
    );
    expect(Array.from(H).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([4, 1, 1, 3]);
    const inv = invertSpd(H, 2)!;
    // inverse of [[4,1],[1,3]] = 1/11 [[3,−1],[−1,4]]
    expect(inv[0]).toBeCloseTo(3 / 11, 6);
    expect(inv[1]).toBeCloseTo(-1 / 11, 6);
    expect(inv[3]).toBeCloseTo(4 / 11, 6);
  });
});
