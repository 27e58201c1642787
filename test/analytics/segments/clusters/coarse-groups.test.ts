import {
  agglomerate,
  coarseGroups,
  familyCount,
} from '../../../../worker/analytics/segments/clusters/coarse-groups';
import { profileOf } from '../../../../worker/analytics/segments/clusters/naming';
import type { PopulationTerciles } from '../../../../worker/analytics/segments/clusters/types';

const terciles: PopulationTerciles = {
  recencyDays: [20, 90],
  frequency: [1, 4],
  monetary: [300, 1200],
  tenureDays: [150, 300],
};

describe('families (coarse groups)', () => {
  it("merges by Ward's criterion weighted by segment size", () => {
    // Three points on a line at 0, 1 and 3. Unweighted, 0 and 1 merge first (cost ½ · 1 = 0.5). With 1 and 3
    // holding 100 customers each and 0 only one, merging the small one costs 1·100/101 · 1 ≈ 0.99, and 1 with 3
    // costs 50 · 4 = 200: the small one still goes first, into its nearest neighbour.
    const { partitions, fusion } = agglomerate([0, 1, 3], 1, [1, 100, 100]);
    expect(partitions[2]).toEqual([[2], [0, 1]]);
    expect(fusion[3]).toBeCloseTo(100 / 101, 12);
    // A large segment far from two small ones stays alone.
    const far = agglomerate([0, 0.5, 10], 1, [10, 10, 1000]);
    expect(far.partitions[2]).toEqual([[2], [0, 1]]);
    expect(far.fusion[3]).toBeCloseTo(5 * 0.25, 12);
  });

  it('counts 2–3 families, fewer than the segments from k = 3 on', () => {
    expect(familyCount(1, [])).toBe(1);
    expect(familyCount(2, [])).toBe(2);
    expect(familyCount(3, [])).toBe(2);
    // fusion[g]: cost of the merge from g to g − 1 families.
    // A big jump after 3 families (3 → 2 costs 10× the 4 → 3 merge, 2 → 1 only 1.5×): three families.
    expect(familyCount(6, [0, 0, 15, 10, 1, 0.5, 0.2])).toBe(3);
    // A big jump after 2: two families.
    expect(familyCount(6, [0, 0, 50, 2, 1, 0.5, 0.2])).toBe(2);
    // Asked for: never as many as the segments.
    expect(familyCount(4, [], 3)).toBe(3);
    expect(familyCount(4, [], 9)).toBe(3);
    for (let k = 4; k <= 20; k++) {
      const fusion = Array.from({ length: k + 1 }, (_, g) => 1 / (g + 1));
      const g = familyCount(k, fusion);
      expect(g).toBeGreaterThanOrEqual(2);
      expect(g).toBeLessThanOrEqual(3);
    }
  });

  it('puts every segment in exactly one family and names families distinctly', () => {
    // Six segments in 2-D: three recent and valuable, three lapsed, all of one size.
    const centroids = [2, 2, 2.2, 1.8, 1.8, 2.1, -2, -2, -2.1, -1.9, -1.9, -2.2];
    const profiles = [
      { recencyDays: 5, frequency: 9, monetary: 3000, tenureDays: 400 },
      { recencyDays: 8, frequency: 7, monetary: 2500, tenureDays: 350 },
      { recencyDays: 6, frequency: 8, monetary: 2000, tenureDays: 380 },
      { recencyDays: 300, frequency: 1, monetary: 50, tenureDays: 310 },
      { recencyDays: 280, frequency: 1, monetary: 60, tenureDays: 320 },
      { recencyDays: 320, frequency: 1, monetary: 40, tenureDays: 330 },
    ].map((p) => profileOf(p, terciles));
    const ids = ['seg-1', 'seg-2', 'seg-3', 'seg-4', 'seg-5', 'seg-6'];
    const groups = coarseGroups(
      centroids,
      2,
      { ids, names: ids.map((id) => `name ${id}`), profiles, sizes: [100, 100, 100, 100, 100, 100] },
      terciles,
      {},
      [
        { name: 'recency', kind: 'recency' },
        { name: 'monetary', kind: 'monetary' },
      ],
    );
    expect(groups).toEqual([
      { id: 'group-1', name: 'Core customers', members: ['seg-1', 'seg-2', 'seg-3'] },
      { id: 'group-2', name: 'Lapsed customers', members: ['seg-4', 'seg-5', 'seg-6'] },
    ]);
  });
});
