import { runKmeans } from '../../../../worker/analytics/segments/clusters/kmeans';
import { enforceMinShare, minClusterSize } from '../../../../worker/analytics/segments/clusters/min-share';
import { blobMatrix } from './synthetic';

describe('the small-segment rule', () => {
  it('needs ⌈3 % · n⌉ rows per cluster', () => {
    expect(minClusterSize(1000, 0.03)).toBe(30);
    expect(minClusterSize(1001, 0.03)).toBe(31);
    expect(minClusterSize(10, 0.03)).toBe(1);
    expect(minClusterSize(1000, 0)).toBe(0);
  });

  // Five blobs of ~990 rows and 1 % outliers in a far corner: with six centres, k-means gives the outliers one.
  const m = blobMatrix(5000, 4, 5, 1, { outliers: 0.01 });
  const plain = runKmeans(m, 6, { seed: 42, restarts: 10 });
  const outliers = [...m.group].filter((g) => g < 0).length;

  it('starts from a fit with a segment of outliers only', () => {
    expect(outliers).toBeGreaterThan(30);
    expect(outliers).toBeLessThan(minClusterSize(m.n, 0.03));
    expect(Math.min(...plain.sizes)).toBe(outliers);
  });

  it('re-seeds that centre into the data, keeping k', () => {
    const r = enforceMinShare(m, plain);
    expect(r.fit.k).toBe(6);
    expect(r.reseeded).toBeGreaterThan(0);
    expect(r.merged).toBe(0);
    expect(Math.min(...r.fit.sizes)).toBeGreaterThanOrEqual(r.minSize);
    // Every blob lies within one or two segments (one blob took the freed centre), and the outliers joined a
    // large segment.
    for (let g = 0; g < 5; g++) {
      const labels = new Set<number>();
      m.group.forEach((x, i) => x === g && labels.add(r.fit.labels[i]));
      expect(labels.size).toBeLessThanOrEqual(2);
    }
    const outlierLabels = new Set<number>();
    m.group.forEach((g, i) => g < 0 && outlierLabels.add(r.fit.labels[i]));
    for (const j of outlierLabels) expect(r.fit.sizes[j]).toBeGreaterThan(400);
  });

  it('leaves a fit without small clusters alone', () => {
    const five = runKmeans(blobMatrix(3000, 4, 5, 2), 5, { seed: 1, restarts: 3 });
    const r = enforceMinShare(blobMatrix(3000, 4, 5, 2), five);
    expect(r.fit).toBe(five);
    expect(r).toMatchObject({ reseeded: 0, merged: 0, toppedUp: 0 });
  });

  it('merges, or tops up, what re-seeding cannot grow', () => {
    // No re-seeding rounds: straight to the fallbacks.
    const merged = enforceMinShare(m, plain, { reseedRounds: 0, still: 'merge' });
    expect(merged.fit.k).toBe(5);
    expect(merged.merged).toBe(1);
    expect(Math.min(...merged.fit.sizes)).toBeGreaterThanOrEqual(merged.minSize);
    const topped = enforceMinShare(m, plain, { reseedRounds: 0, still: 'top-up' });
    expect(topped.fit.k).toBe(6);
    expect(topped.toppedUp).toBe(1);
    expect(Math.min(...topped.fit.sizes)).toBe(topped.minSize);
    expect(topped.fit.sizes.reduce((a, b) => a + b, 0)).toBe(m.n);
    const kept = enforceMinShare(m, plain, { reseedRounds: 0 });
    expect(kept.fit).toBe(plain);
  });

  it('does not top up when k clusters of the minimum size do not fit', () => {
    const r = enforceMinShare(m, plain, { minShare: 0.2, still: 'top-up' });
    expect(r.fit.k).toBe(6);
    expect(r.toppedUp).toBe(0);
    expect(r.reseeded).toBe(0);
  });
});
