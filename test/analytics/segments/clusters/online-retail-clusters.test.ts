/**
 * Behavioural clusters on the UCI Online Retail file (read and cleaned once for the file). Reference: the best
 * of ten k-means++ restarts of ml-kmeans with seeds that the product does not use.
 */
import { loadOnlineRetail } from '../../../helpers/online-retail';
import { summarizePurchases } from '../../../../worker/analytics/rfm/summarize-purchases';
import { fitClusterModel } from '../../../../worker/analytics/segments/clusters/cluster-model';
import { buildFeatures, behaviourFromSummary } from '../../../../worker/analytics/segments/clusters/features';
import { kmeansTyped } from '../../../../worker/analytics/segments/clusters/kmeans-typed';
import { migrationMatrix } from '../../../../worker/analytics/segments/clusters/migration';
import type { CustomerBehaviour } from '../../../../worker/analytics/segments/clusters/types';
import { kmeans } from 'ml-kmeans';
import { createRandom } from '../../../../worker/analytics/math/random';

let ids: string[];
let behaviour: CustomerBehaviour;

beforeAll(async () => {
  const clean = await loadOnlineRetail({ keepLines: false });
  const summary = summarizePurchases(clean.orders, clean.customers, {
    observationEnd: '2011-12-09',
    period: 'day',
  });
  ids = summary.ids;
  behaviour = behaviourFromSummary(summary);
});

function subset(b: CustomerBehaviour, rows: number[]): CustomerBehaviour {
  const pick = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
  return {
    recencyDays: pick(b.recencyDays),
    frequency: pick(b.frequency),
    monetary: pick(b.monetary),
    tenureDays: pick(b.tenureDays),
    averageOrderValue: b.averageOrderValue && pick(b.averageOrderValue),
  };
}

describe('behavioural clusters on Online Retail', () => {
  it('has the customers of the cleaned file', () => {
    // ~4,300 customers with a purchase in the cleaned file (data README: 4,372 ids, some only cancel).
    expect(ids.length).toBeGreaterThan(4000);
    expect(ids.length).toBeLessThan(4400);
  });

  it('reaches a within-cluster sum of squares within 1 % of the best of ten ml-kmeans++ restarts', () => {
    const { matrix } = buildFeatures(behaviour);
    const rows = Array.from({ length: matrix.n }, (_, i) =>
      Array.from(matrix.values.subarray(i * matrix.d, (i + 1) * matrix.d)),
    );
    for (const k of [4, 6]) {
      let reference = Infinity;
      for (let seed = 1001; seed <= 1010; seed++) {
        const r = kmeans(rows, k, { initialization: 'kmeans++', seed, maxIterations: 300, tolerance: 1e-6 });
        // Inertia computed here against the final centres, independently of our code.
        let wss = 0;
        rows.forEach((x) => {
          let best = Infinity;
          for (const c of r.centroids)
            best = Math.min(
              best,
              c.reduce((s, v, t) => s + (x[t] - v) ** 2, 0),
            );
          wss += best;
        });
        reference = Math.min(reference, wss);
      }
      const model = fitClusterModel(behaviour, { k }).model;
      const typed = kmeansTyped(matrix, k, { seed: 7, restarts: 10 });
      expect(model.inertia).toBeLessThanOrEqual(reference * 1.01);
      expect(typed.inertia).toBeLessThanOrEqual(reference * 1.01);
    }
  });

  it('chooses k within 4…8, with every segment at 3 % of the customers or more, distinct names, 2–3 families', () => {
    const { model, warnings } = fitClusterModel(behaviour);
    // Silhouette over 2…10 would say 2 (a "bought once" / "came back" split); the choice is made in 4…8.
    expect(model.silhouette[0].k).toBe(2);
    expect(Math.max(...model.silhouette.map((s) => s.score))).toBe(model.silhouette[0].score);
    expect(model.k).toBeGreaterThanOrEqual(4);
    expect(model.k).toBeLessThanOrEqual(8);
    expect(model.choice).toMatchObject({ method: 'silhouette', range: [4, 8], merged: 0 });
    const n = model.sizes.reduce((a, b) => a + b, 0);
    expect(n).toBe(ids.length);
    expect(Math.min(...model.sizes) / n).toBeGreaterThanOrEqual(0.03);
    expect(new Set(model.names).size).toBe(model.k);
    expect(model.coarse.length).toBeGreaterThanOrEqual(2);
    expect(model.coarse.length).toBeLessThanOrEqual(3);
    expect(model.coarse.length).toBeLessThan(model.k);
    expect(
      model.coarse
        .flatMap((g) => g.members)
        .slice()
        .sort(),
    ).toEqual(model.ids.slice().sort());
    // The k = 2 peak is weak (silhouette ≈ 0.33, no "natural groups" to report).
    expect(model.silhouette[0].score).toBeLessThan(0.5);
    expect(warnings).toEqual([]);
  });

  it('keeps every segment at 3 % or more with a configured k too', () => {
    for (const k of [8, 12]) {
      const { model } = fitClusterModel(behaviour, { k });
      expect(model.k).toBe(k);
      expect(Math.min(...model.sizes) / ids.length).toBeGreaterThanOrEqual(0.03);
      expect(new Set(model.names).size).toBe(k);
    }
  });

  it('keeps the ids of ≥ 95 % of the common customers after a refit on a random 95 % of them', () => {
    const auto = fitClusterModel(behaviour);
    expect(auto.model.k).toBeGreaterThanOrEqual(4);
    expect(auto.model.k).toBeLessThanOrEqual(8);
    const random = createRandom(2024);
    const kept: number[] = [];
    for (let i = 0; i < ids.length; i++) if (random.uniform() < 0.95) kept.push(i);
    expect(kept.length / ids.length).toBeCloseTo(0.95, 1);
    // The automatic k, and a finer k where more boundaries can move.
    for (const full of [auto, fitClusterModel(behaviour, { k: 6 })]) {
      expect(new Set(full.model.names).size).toBe(full.model.k);
      const refit = fitClusterModel(subset(behaviour, kept), { k: full.model.k, seed: 99 }, full.model);
      const before = new Map(kept.map((i) => [ids[i], full.model.ids[full.labels[i]]]));
      const after = new Map(kept.map((i, r) => [ids[i], refit.model.ids[refit.labels[r]]]));
      const migration = migrationMatrix(before, after);
      expect(migration.stayedShare).toBeGreaterThanOrEqual(0.95);
      expect(new Set(refit.model.ids)).toEqual(new Set(full.model.ids));
      // Names follow the ids: a small drift does not rename a segment.
      for (const [j, id] of refit.model.ids.entries()) {
        expect(refit.model.names[j]).toBe(full.model.names[full.model.ids.indexOf(id)]);
      }
    }
  });
});
