import { itemNeighbours } from '../../../worker/analytics/recommend/item-similarity';
import { RecommendError } from '../../../worker/analytics/recommend/recommend-error';
import type { ItemNeighbours } from '../../../worker/analytics/recommend/types';

const [A, B, C, D] = [0, 1, 2, 3];
// {A,B,C} {A,B} {A,B} {B,C} {A,D}: c_A = 4, c_B = 4, c_C = 2, c_D = 1; c_AB = 3, c_AC = 1, c_BC = 2, c_AD = 1.
const sets = {
  offsets: Int32Array.from([0, 3, 5, 7, 9, 11]),
  items: Int32Array.from([A, B, C, A, B, A, B, B, C, A, D]),
};

function row(n: ItemNeighbours, p: number) {
  const out: { j: number; s: number; support: number }[] = [];
  for (let e = n.offsets[p]; e < n.offsets[p + 1]; e++) {
    out.push({ j: n.neighbour[e], s: n.similarity[e], support: n.support[e] });
  }
  return out;
}

describe('itemNeighbours', () => {
  it('is the plain cosine c_ij / √(c_i c_j) without shrinkage, best first', () => {
    const n = itemNeighbours(sets, 4, { minSupport: 1, shrinkage: 0 });
    expect(Array.from(n.occurrences)).toEqual([4, 4, 2, 1]);
    const a = row(n, A);
    expect(a.map((r) => r.j)).toEqual([B, D, C]);
    expect(a[0].s).toBeCloseTo(3 / 4, 12);
    expect(a[1].s).toBeCloseTo(1 / 2, 12);
    expect(a[2].s).toBeCloseTo(1 / Math.sqrt(8), 12);
    expect(a.map((r) => r.support)).toEqual([3, 1, 1]);
    const c = row(n, C);
    expect(c.map((r) => r.j)).toEqual([B, A]);
    expect(c[0].s).toBeCloseTo(2 / Math.sqrt(8), 12);
    expect(row(n, D).map((r) => r.j)).toEqual([A]);
  });

  it('drops pairs below the minimum support and shrinks the rest by c_ij / (c_ij + λ)', () => {
    const n = itemNeighbours(sets, 4, { minSupport: 2, shrinkage: 1 });
    const a = row(n, A);
    expect(a.map((r) => r.j)).toEqual([B]);
    expect(a[0].s).toBeCloseTo((3 / 4) * (3 / 4), 12);
    const b = row(n, B);
    expect(b.map((r) => r.j)).toEqual([A, C]);
    expect(b[1].s).toBeCloseTo((2 / Math.sqrt(8)) * (2 / 3), 12);
    expect(row(n, D)).toEqual([]);
  });

  it('keeps only the top K neighbours per product', () => {
    const n = itemNeighbours(sets, 4, { minSupport: 1, shrinkage: 0, topK: 1 });
    expect(row(n, A).map((r) => r.j)).toEqual([B]);
    expect(row(n, B).map((r) => r.j)).toEqual([A]);
  });

  it('learns only from included transactions', () => {
    // Without {A,B,C}: c_A = 3, c_B = 3, c_AB = 2.
    const n = itemNeighbours(sets, 4, {
      minSupport: 1,
      shrinkage: 0,
      include: Uint8Array.from([0, 1, 1, 1, 1]),
    });
    expect(row(n, A)[0]).toEqual({ j: B, s: expect.closeTo(2 / 3, 12), support: 2 });
    expect(row(n, C).map((r) => r.j)).toEqual([B]);
  });

  it('rejects a zero K', () => {
    expect(() => itemNeighbours(sets, 4, { topK: 0 })).toThrow(RecommendError);
  });
});
