import {
  assignClusters,
  fitClusterModel,
} from '../../../../worker/analytics/segments/clusters/cluster-model';
import type { CustomerBehaviour } from '../../../../worker/analytics/segments/clusters/types';

type Group = { recency: number; frequency: number; monetary: number; tenure: number };

/**
 * Equal-sized groups with small jitter, so the population terciles fall between the groups:
 * A recent, frequent, big spenders; B new low spenders; C lapsed one-timers (D, when added: mid-recency regulars).
 */
const A: Group = { recency: 5, frequency: 20, monetary: 5000, tenure: 300 };
const B: Group = { recency: 12, frequency: 1, monetary: 50, tenure: 12 };
const C: Group = { recency: 300, frequency: 1, monetary: 100, tenure: 320 };
const D: Group = { recency: 60, frequency: 6, monetary: 900, tenure: 200 };

function build(groups: Group[], each: number, offset = 0): CustomerBehaviour {
  const n = groups.length * each;
  const b = {
    recencyDays: new Float64Array(n),
    frequency: new Float64Array(n),
    monetary: new Float64Array(n),
    tenureDays: new Float64Array(n),
  };
  groups.forEach((g, gi) => {
    for (let r = 0; r < each; r++) {
      const i = gi * each + r;
      const jitter = 1 + 0.02 * (((r + offset) % 5) - 2);
      b.recencyDays[i] = g.recency * jitter;
      b.frequency[i] = g.frequency === 1 ? 1 : Math.round(g.frequency * jitter);
      b.monetary[i] = g.monetary * jitter;
      b.tenureDays[i] = g.tenure * jitter;
    }
  });
  return b;
}

describe('cluster model', () => {
  const behaviour = build([A, B, C], 100);
  const first = fitClusterModel(behaviour, { k: 3 });

  it('names clusters from their centroids and numbers ids by spend', () => {
    const { model, labels } = first;
    expect(model.ids).toEqual(['seg-1', 'seg-2', 'seg-3']);
    // Spend: A 5000 > C 100 > B 50.
    expect(model.names).toEqual(['High-value loyal', 'Lost one-timers', 'New low spenders']);
    expect(labels[0]).toBe(0);
    expect(labels[100]).toBe(2);
    expect(labels[200]).toBe(1);
    expect(model.sizes).toEqual([100, 100, 100]);
    expect(model.profiles[0].monetary).toBeGreaterThan(4500);
    expect(model.profiles[0].monetary).toBeLessThan(5500);
    expect(model.nextId).toBe(4);
  });

  it('keeps ids and names when refitted on reordered data with another seed', () => {
    const reordered = build([C, A, B], 100, 3);
    const refit = fitClusterModel(reordered, { k: 3, seed: 7 }, first.model);
    expect(refit.labels[0]).toBe(refit.model.ids.indexOf('seg-2')); // C
    expect(refit.model.ids[refit.labels[100]]).toBe('seg-1'); // A
    expect(refit.model.ids[refit.labels[200]]).toBe('seg-3'); // B
    expect(refit.model.names).toEqual(first.model.names);
    expect(refit.matchedFrom).toEqual(['seg-1', 'seg-2', 'seg-3']);
  });

  it('adds a fresh id when k grows and retires one when k shrinks', () => {
    const grown = fitClusterModel(build([A, B, C, D], 100), { k: 4 }, first.model);
    expect(grown.model.ids).toEqual(['seg-1', 'seg-2', 'seg-3', 'seg-4']);
    expect(grown.model.ids[grown.labels[300]]).toBe('seg-4'); // D is the new one
    expect(grown.model.ids[grown.labels[0]]).toBe('seg-1');
    expect(grown.model.nextId).toBe(5);
    expect(new Set(grown.model.names).size).toBe(4);

    const shrunk = fitClusterModel(build([A, C], 150), { k: 2 }, first.model);
    expect(shrunk.model.ids).toEqual(['seg-1', 'seg-2']);
    expect(shrunk.model.nextId).toBe(4); // seg-3 is never reused
  });

  it('renames a matched cluster only when its rule-derived name changed and it moved beyond renameDistance', () => {
    const edited = {
      ...first.model,
      names: ['Custom name', ...first.model.names.slice(1)],
      baseNames: ['Something else', ...first.model.baseNames.slice(1)],
    };
    // Same data: the centre did not move, so the (changed) rule name does not replace the kept one.
    expect(fitClusterModel(behaviour, { k: 3 }, edited).model.names[0]).toBe('Custom name');
    // Forced rename: the rule name wins.
    expect(fitClusterModel(behaviour, { k: 3, renameDistance: -1 }, edited).model.names[0]).toBe(
      'High-value loyal',
    );
    // The rule name did not change: the kept name stays whatever the distance.
    const sameBase = { ...edited, baseNames: first.model.baseNames };
    expect(fitClusterModel(behaviour, { k: 3, renameDistance: -1 }, sameBase).model.names[0]).toBe(
      'Custom name',
    );
  });

  it('gives fresh ids when the matched centres are too far apart', () => {
    // Different jitter moves every centre a little; a zero-ish tolerance refuses all matches.
    const refit = fitClusterModel(build([A, B, C], 99, 1), { k: 3, maxMatchDistance: 1e-9 }, first.model);
    expect(refit.model.ids).toEqual(['seg-4', 'seg-5', 'seg-6']);
    expect(refit.matchedFrom).toEqual([null, null, null]);
    // Fresh ids follow spend too: A, then C, then B.
    expect(refit.model.ids[refit.labels[0]]).toBe('seg-4');
    expect(refit.model.ids[refit.labels[99]]).toBe('seg-6');
  });

  it('assigns new customers to the nearest centroid under the stored transform', () => {
    const fresh = build([B, A], 3);
    const { ids, names } = assignClusters(first.model, fresh);
    expect(ids).toEqual(['seg-3', 'seg-3', 'seg-3', 'seg-1', 'seg-1', 'seg-1']);
    expect(names[3]).toBe('High-value loyal');
    // The model survives a JSON round trip (it is stored between runs).
    const stored = JSON.parse(JSON.stringify(first.model));
    expect(assignClusters(stored, fresh).ids).toEqual(ids);
  });

  it('offers a coarser level from the hierarchical clustering of the centroids', () => {
    const four = fitClusterModel(build([A, B, C, D], 100), { k: 4 });
    // 2 or 3 families, fewer than the 4 segments.
    expect(four.model.coarse.length).toBeGreaterThanOrEqual(2);
    expect(four.model.coarse.length).toBeLessThan(4);
    const members = four.model.coarse.flatMap((g) => g.members).sort();
    expect(members).toEqual(['seg-1', 'seg-2', 'seg-3', 'seg-4']);
    expect(new Set(four.model.coarse.map((g) => g.name)).size).toBe(four.model.coarse.length);
    const two = fitClusterModel(build([A, B, C, D], 100), { k: 4, coarse: { groups: 2 } });
    expect(two.model.coarse).toHaveLength(2);
    // Asked for as many families as segments: one fewer.
    expect(
      fitClusterModel(build([A, B, C, D], 100), { k: 4, coarse: { groups: 4 } }).model.coarse,
    ).toHaveLength(3);
    // k = 2 has nothing coarser than its two segments.
    expect(fitClusterModel(build([A, C], 50), { k: 2 }).model.coarse).toHaveLength(2);
  });

  it('chooses k by silhouette within 4…8 when it is not configured', () => {
    const auto = fitClusterModel(build([A, B, C, D], 100));
    expect(auto.model.k).toBe(4);
    // 2 and 3 are fitted only to see whether the data have fewer natural groups.
    expect(auto.model.silhouette.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(auto.model.choice).toMatchObject({ method: 'silhouette', range: [4, 8], requested: 4 });
    expect(auto.warnings).toEqual([]);
  });
});
