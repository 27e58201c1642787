/**
 * Issue P4 ("segments are too coarse"): k within 4…8 by default, no segment under 3 %, distinct names, 2–3
 * families, an explicit k still honoured. Synthetic data with a known structure (synthetic.ts).
 */
import { chooseK, kRange } from '../../../../worker/analytics/segments/clusters/choose-k';
import { fitClusterModel } from '../../../../worker/analytics/segments/clusters/cluster-model';
import { buildFeatures } from '../../../../worker/analytics/segments/clusters/features';
import { runKmeans } from '../../../../worker/analytics/segments/clusters/kmeans';
import type { ClusterModel } from '../../../../worker/analytics/segments/clusters/types';
import { behaviourOf, blobMatrix, FIVE_GROUPS } from './synthetic';

/** Share of the customers in each segment. */
function shares(model: ClusterModel): number[] {
  const n = model.sizes.reduce((a, b) => a + b, 0);
  return model.sizes.map((s) => s / n);
}

function expectFamilies(model: ClusterModel): void {
  const families = model.coarse;
  expect(families.length).toBeGreaterThanOrEqual(2);
  expect(families.length).toBeLessThanOrEqual(3);
  if (model.k >= 4) expect(families.length).toBeLessThan(model.k);
  // Every segment in exactly one family.
  const members = families.flatMap((g) => g.members);
  expect(members.slice().sort()).toEqual(model.ids.slice().sort());
  expect(new Set(members).size).toBe(model.k);
  for (const g of families) expect(g.members.length).toBeGreaterThan(0);
  expect(new Set(families.map((g) => g.name)).size).toBe(families.length);
}

describe('choice of k', () => {
  it('finds the 5 groups of 5 well-separated Gaussian blobs in 4-D', () => {
    for (const seed of [1, 2, 3]) {
      const r = chooseK(blobMatrix(3000, 4, 5, seed), { seed: 7 });
      expect(r.k).toBe(5);
      expect(r.range).toEqual([4, 8]);
      expect(r.naturalK).toBe(5);
      expect(r.warnings).toEqual([]);
      // k = 2 and 3 are probed (for the warning) but never chosen.
      expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('stays within 4…8 on 2 well-separated blobs and says the data show fewer natural groups', () => {
    const r = chooseK(blobMatrix(3000, 4, 2, 5), { seed: 7 });
    expect(r.k).toBeGreaterThanOrEqual(4);
    expect(r.k).toBeLessThanOrEqual(8);
    expect(r.naturalK).toBe(2);
    expect(r.scores[0].score).toBeGreaterThan(0.5);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/fewer natural groups than segments: 2 well-separated groups/);
  });

  it('says nothing about natural groups when the low-k peak is weak (a continuum)', () => {
    // One elongated cloud: the silhouette prefers 2, but only weakly (≤ 0.5).
    const m = blobMatrix(3000, 3, 1, 9);
    for (let i = 0; i < m.n; i++) m.values[i * 3] *= 4;
    const r = chooseK(m, { seed: 7 });
    expect(r.k).toBeGreaterThanOrEqual(4);
    expect(Math.max(...r.scores.map((s) => s.score))).toBeLessThanOrEqual(0.5);
    expect(r.warnings).toEqual([]);
  });

  it('narrows the range for small data and says so in words', () => {
    expect(kRange(5000)).toEqual({ range: [4, 8], warning: null });
    expect(kRange(200).range).toEqual([4, 6]);
    expect(kRange(200).warning).toBeNull();
    const small = kRange(100);
    expect(small.range).toEqual([3, 3]);
    expect(small.warning).toBe(
      'Only 100 customers: too few for 4–8 segments of at least 30 customers each, so k was chosen in {3}.',
    );
    expect(kRange(40).range).toEqual([2, 2]);
    expect(() => kRange(2)).toThrow(expect.objectContaining({ code: 'TOO_FEW_CUSTOMERS' }));
    expect(() => kRange(100, { kMin: 5, kMax: 4 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CLUSTER_OPTION' }),
    );

    const tiny = fitClusterModel(behaviourOf(FIVE_GROUPS, 20, 3));
    expect(tiny.model.k).toBe(3);
    expect(tiny.warnings[0]).toMatch(/^Only 100 customers: too few for 4–8 segments/);
    expect(tiny.model.choice?.warnings).toEqual(tiny.warnings);
  });
});

describe('behavioural segments with an automatic k', () => {
  const five = behaviourOf(FIVE_GROUPS, 300, 1);
  const fit = fitClusterModel(five);

  it('finds the five customer groups, each a segment of its own', () => {
    expect(fit.model.k).toBe(5);
    expect(fit.model.choice).toMatchObject({ method: 'silhouette', range: [4, 8], requested: 5, merged: 0 });
    expect(fit.warnings).toEqual([]);
    // Each generated group sits in one segment.
    for (let g = 0; g < FIVE_GROUPS.length; g++) {
      const labels = new Set<number>();
      five.group.forEach((x, i) => x === g && labels.add(fit.labels[i]));
      expect(labels.size).toBe(1);
    }
  });

  it('finds them too on more than 20,000 customers (the sample-seeded fit for large data)', () => {
    const many = behaviourOf(FIVE_GROUPS, 4200, 4);
    const large = fitClusterModel(many);
    expect(large.model.k).toBe(5);
    for (let g = 0; g < FIVE_GROUPS.length; g++) {
      const labels = new Set<number>();
      many.group.forEach((x, i) => x === g && labels.add(large.labels[i]));
      expect(labels.size).toBe(1);
    }
    expect(large.model.sizes).toEqual([4200, 4200, 4200, 4200, 4200]);
  });

  it('gives every segment a distinct name', () => {
    expect(new Set(fit.model.names).size).toBe(fit.model.k);
  });

  it('groups the segments into 2–3 families, fewer than the segments', () => {
    expectFamilies(fit.model);
  });

  describe('on a skewed set: 1 % outliers (15 wholesalers among 1,515 customers)', () => {
    const skewed = behaviourOf(FIVE_GROUPS, 300, 2, 15);
    // The model's own matrix (same transform as fitClusterModel).
    const { matrix } = buildFeatures(skewed);

    it('keeps every segment at 3 % of the customers or more', () => {
      const auto = fitClusterModel(skewed);
      expect(auto.model.k).toBeGreaterThanOrEqual(4);
      expect(auto.model.k).toBeLessThanOrEqual(8);
      expect(Math.min(...shares(auto.model))).toBeGreaterThanOrEqual(0.03);
      expect(new Set(auto.model.names).size).toBe(auto.model.k);
      expectFamilies(auto.model);
    });

    it("with a configured k, tops the outliers' segment up with the customers most like them", () => {
      // Plain k-means with six centres gives the 15 wholesalers (1 %) a segment of their own, and re-seeding
      // cannot move that centre for good (six centres, five groups and a far clump).
      const plain = runKmeans(matrix, 6, { seed: 42, restarts: 10 });
      expect(Math.min(...plain.sizes)).toBe(15);
      const six = fitClusterModel(skewed, { k: 6 });
      expect(six.model.k).toBe(6);
      expect(six.model.choice).toMatchObject({ reseeded: 3, toppedUp: 1, merged: 0 });
      expect(Math.min(...shares(six.model))).toBeGreaterThanOrEqual(0.03);
      expect(six.warnings).toEqual([]);
      // ⌈3 % × 1,515⌉ = 46: the 15 wholesalers and the 31 loyal big spenders (group 0) closest to them.
      const j = six.labels[skewed.group.indexOf(-1)];
      expect(six.model.sizes[j]).toBe(46);
      const members = [...skewed.group].filter((_, i) => six.labels[i] === j);
      expect(members.filter((g) => g === -1)).toHaveLength(15);
      expect(members.filter((g) => g === 0)).toHaveLength(31);
      // Without the rule the small segment stays.
      const off = fitClusterModel(skewed, { k: 6, minShare: 0 });
      expect(Math.min(...off.model.sizes)).toBe(15);
    });

    it('with an automatic k, merges a segment re-seeding cannot grow', () => {
      // Forced: six segments in a 6…6 range, so merging is the only way left; five remain.
      const forced = fitClusterModel(skewed, { chooseK: { kMin: 6, kMax: 6 } });
      expect(forced.model.choice).toMatchObject({ requested: 6, merged: 1 });
      expect(forced.model.k).toBe(5);
      expect(Math.min(...shares(forced.model))).toBeGreaterThanOrEqual(0.03);
      expect(forced.warnings).toEqual([
        expect.stringMatching(/^The data show fewer natural groups than segments: 5 well-separated groups/),
        'k = 6 left 1 segment under 3 % of the customers even after re-seeding; merged into the nearest, 5 segments.',
      ]);
    });
  });
});

describe('an explicit k (--segments)', () => {
  const five = behaviourOf(FIVE_GROUPS, 300, 1);

  it('is honoured, from 2 to 20', () => {
    for (const k of [2, 3, 7, 20]) {
      const { model } = fitClusterModel(five, { k });
      expect(model.k).toBe(k);
      expect(model.silhouette).toEqual([]);
      expect(model.choice).toMatchObject({ method: 'configured', range: null, requested: k });
      expect(new Set(model.names).size).toBe(k);
      expect(model.coarse.length).toBeLessThanOrEqual(Math.max(2, k - 1));
    }
  });

  it('is kept even when its segments cannot all reach the minimum share, which a warning then says', () => {
    const skewed = behaviourOf(FIVE_GROUPS, 300, 2, 15);
    // Six segments cannot all hold 20 %: nothing is merged, the small one is reported.
    const { model, warnings } = fitClusterModel(skewed, { k: 6, minShare: 0.2 });
    expect(model.k).toBe(6);
    expect(
      warnings.some((w) => /^With k = 6 as configured, the smallest segment holds \d+ customers/.test(w)),
    ).toBe(true);
  });
});
