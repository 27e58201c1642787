import { hungarian } from '../../../../worker/analytics/segments/clusters/hungarian';
import { createRandom } from '../../../../worker/analytics/math/random';

/** Independent expectation: the cheapest of all injective maps from the smaller side, by enumeration. */
function bruteForce(cost: number[], rows: number, columns: number): number {
  let best = Infinity;
  const small = Math.min(rows, columns);
  const large = Math.max(rows, columns);
  const at = (s: number, l: number) => (rows <= columns ? cost[s * columns + l] : cost[l * columns + s]);
  const used = new Array<boolean>(large).fill(false);
  const walk = (s: number, total: number) => {
    if (s === small) {
      best = Math.min(best, total);
      return;
    }
    for (let l = 0; l < large; l++) {
      if (used[l]) continue;
      used[l] = true;
      walk(s + 1, total + at(s, l));
      used[l] = false;
    }
  };
  walk(0, 0);
  return best;
}

describe('hungarian', () => {
  it('finds the unique optimum of a hand-worked 3 × 3 case', () => {
    // Row sums of the 6 permutations: 6, 5, 7, 9, 11, 6 → rows 0→1, 1→0, 2→2 at cost 1 + 2 + 2.
    const r = hungarian([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3);
    expect(Array.from(r.rowToColumn)).toEqual([1, 0, 2]);
    expect(Array.from(r.columnToRow)).toEqual([1, 0, 2]);
    expect(r.cost).toBe(5);
  });

  it('is not greedy: gives up the cheapest cell when the total is lower', () => {
    const r = hungarian([1, 2, 2, 100], 2, 2);
    expect(Array.from(r.rowToColumn)).toEqual([1, 0]);
    expect(r.cost).toBe(4);
  });

  it('leaves a column unassigned when there are more columns than rows (k grew)', () => {
    const r = hungarian([10, 1, 5, 2, 8, 7], 2, 3);
    expect(Array.from(r.rowToColumn)).toEqual([1, 0]);
    expect(Array.from(r.columnToRow)).toEqual([1, 0, -1]);
    expect(r.cost).toBe(3);
  });

  it('leaves a row unassigned when there are more rows than columns (k shrank)', () => {
    const r = hungarian([10, 2, 1, 8, 5, 7], 3, 2);
    expect(Array.from(r.rowToColumn)).toEqual([1, 0, -1]);
    expect(Array.from(r.columnToRow)).toEqual([1, 0]);
    expect(r.cost).toBe(3);
  });

  it('matches exhaustive search on random square and rectangular matrices', () => {
    const random = createRandom(5);
    for (const [rows, columns] of [
      [5, 5],
      [4, 6],
      [6, 3],
      [1, 4],
      [6, 6],
    ]) {
      for (let trial = 0; trial < 10; trial++) {
        const cost = Array.from({ length: rows * columns }, () => Math.round(random.uniform() * 50));
        const r = hungarian(cost, rows, columns);
        expect(r.cost).toBeCloseTo(bruteForce(cost, rows, columns), 9);
        const assigned = Array.from(r.rowToColumn).filter((c) => c >= 0);
        expect(assigned.length).toBe(Math.min(rows, columns));
        expect(new Set(assigned).size).toBe(assigned.length);
      }
    }
  });

  it('rejects non-finite costs with a typed error', () => {
    expect(() => hungarian([1, NaN, 2, 3], 2, 2)).toThrow(
      expect.objectContaining({ code: 'INVALID_CLUSTER_INPUT' }),
    );
  });
});
