/**
 * A coarser level for managers: the k segments grouped into 2–3 families by hierarchical clustering of their
 * centroids (Euclidean, in the model's feature space).
 *
 * Linkage: Ward's by default, weighted by the segments' sizes, so a merge costs what it would add to the
 * customers' within-group sum of squares: |A||B| / (|A| + |B|) · ‖c_A − c_B‖² (Ward 1963, "Hierarchical grouping
 * to optimize an objective function", JASA 58). The families are then what Ward's clustering of the customers
 * themselves would give starting from the k-means segments, and a small segment joins a family early instead of
 * standing alone as one. 'average' is the size-weighted average distance (UPGMA).
 *
 * How many families (`groups` overrides, never as many as the segments when k ≥ 3):
 * - k ≥ 4: 2 or 3, whichever stops before the larger relative jump in fusion levels, i.e. 3 when
 *   h(3→2) / h(4→3) > h(2→1) / h(3→2), else 2 (h(g→g−1) is the cost of the merge that leaves g − 1 families;
 *   the dendrogram "elbow", a stopping rule of the kind Mojena 1977, "Hierarchical grouping methods and stopping
 *   rules: an evaluation", Computer Journal 20, evaluates). So with k ≥ 4 the families are strictly fewer than
 *   the segments and at least one holds two segments or more.
 * - k = 3: 2 families. k ≤ 2: one family per segment (nothing coarser is left but "everyone").
 *
 * A family of one segment carries that segment's name; a larger one is named from its members' size-weighted
 * profile in original units, by recency and value (frequency or monetary level):
 *
 * | recency      | value high (F or M high) | otherwise          |
 * |--------------|--------------------------|--------------------|
 * | low (recent) | Core customers           | Active customers   |
 * | mid          | Cooling valuable         | Cooling customers  |
 * | high         | At-risk valuable         | Lapsed customers   |
 *
 * Families sharing a name are told apart as segments are (naming.ts), by their size-weighted centroids. Family
 * ids ('group-1' …) follow the weighted monetary level, highest first; they are not matched across retrains (the
 * stable ids are the segments').
 */
import { centroidTraits, distinctNames, profileOf, uniqueNames } from './naming';
import type { ClusterProfile, CoarseGroup, FeatureColumn, PopulationTerciles } from './types';

export type CoarseOptions = { groups?: number; linkage?: 'ward' | 'average' };

export function coarseGroupName(profile: ClusterProfile): string {
  const { recency, frequency, monetary } = profile.levels;
  const valuable = frequency === 'high' || monetary === 'high';
  if (recency === 'low') return valuable ? 'Core customers' : 'Active customers';
  if (recency === 'mid') return valuable ? 'Cooling valuable' : 'Cooling customers';
  return valuable ? 'At-risk valuable' : 'Lapsed customers';
}

/**
 * Agglomerative clustering of k weighted points down to one group. partitions[g] lists the groups (member index
 * lists) when g remain; fusion[g] is the cost of the merge that goes from g groups to g − 1.
 */
export function agglomerate(
  centroids: readonly number[],
  d: number,
  sizes: readonly number[],
  linkage: 'ward' | 'average' = 'ward',
): { partitions: number[][][]; fusion: number[] } {
  const k = sizes.length;
  let groups = Array.from({ length: k }, (_, j) => ({
    members: [j],
    weight: Math.max(sizes[j], 1e-9),
    centre: centroids.slice(j * d, j * d + d),
  }));
  const squared = (a: readonly number[], b: readonly number[]) =>
    a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0);
  // Average linkage needs the group-to-group distances (Lance–Williams update); Ward's cost follows from the
  // weighted centres.
  let average = groups.map((a) => groups.map((b) => Math.sqrt(squared(a.centre, b.centre))));
  const partitions: number[][][] = [];
  const fusion: number[] = [];
  partitions[k] = groups.map((g) => [...g.members]);
  while (groups.length > 1) {
    let best = { a: 0, b: 1, cost: Infinity };
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        const ga = groups[a];
        const gb = groups[b];
        const cost =
          linkage === 'ward'
            ? ((ga.weight * gb.weight) / (ga.weight + gb.weight)) * squared(ga.centre, gb.centre)
            : average[a][b];
        if (cost < best.cost) best = { a, b, cost };
      }
    }
    const { a, b } = best;
    fusion[groups.length] = best.cost;
    const ga = groups[a];
    const gb = groups[b];
    const weight = ga.weight + gb.weight;
    const merged = {
      members: [...ga.members, ...gb.members].sort((x, y) => x - y),
      weight,
      centre: ga.centre.map((v, t) => (ga.weight * v + gb.weight * gb.centre[t]) / weight),
    };
    const mergedRow = groups.map((_, c) => (ga.weight * average[a][c] + gb.weight * average[b][c]) / weight);
    const keep = groups.map((_, c) => c).filter((c) => c !== a && c !== b);
    average = [
      ...keep.map((r) => [...keep.map((c) => average[r][c]), mergedRow[r]]),
      [...keep.map((c) => mergedRow[c]), 0],
    ];
    groups = [...keep.map((c) => groups[c]), merged];
    partitions[groups.length] = groups.map((g) => [...g.members]);
  }
  return { partitions, fusion };
}

/** The number of families for k segments (see the file comment). */
export function familyCount(k: number, fusion: readonly number[], requested?: number): number {
  if (k <= 2) return Math.max(1, k);
  if (requested !== undefined) return Math.max(1, Math.min(Math.round(requested), k - 1));
  if (k === 3) return 2;
  const ratio = (g: number) => (fusion[g] > 0 ? fusion[g - 1] / fusion[g] : Infinity);
  return ratio(4) > ratio(3) ? 3 : 2;
}

export function coarseGroups(
  centroids: readonly number[],
  d: number,
  clusters: {
    ids: readonly string[];
    names: readonly string[];
    profiles: readonly ClusterProfile[];
    sizes: readonly number[];
  },
  terciles: PopulationTerciles,
  options: CoarseOptions = {},
  /** The model's columns, for telling families with the same name apart; by spend only when absent. */
  columns?: readonly Pick<FeatureColumn, 'name' | 'kind'>[],
): CoarseGroup[] {
  const k = clusters.ids.length;
  const { partitions, fusion } = agglomerate(centroids, d, clusters.sizes, options.linkage ?? 'ward');
  const memberSets = partitions[familyCount(k, fusion, options.groups)];
  const summaries = memberSets.map((members) => {
    let weight = 0;
    const centre = { recencyDays: 0, frequency: 0, monetary: 0, tenureDays: 0 };
    const inModel = new Array<number>(d).fill(0);
    for (const j of members) {
      const w = Math.max(clusters.sizes[j], 1e-9);
      weight += w;
      centre.recencyDays += w * clusters.profiles[j].recencyDays;
      centre.frequency += w * clusters.profiles[j].frequency;
      centre.monetary += w * clusters.profiles[j].monetary;
      centre.tenureDays += w * clusters.profiles[j].tenureDays;
      for (let t = 0; t < d; t++) inModel[t] += w * centroids[j * d + t];
    }
    centre.recencyDays /= weight;
    centre.frequency /= weight;
    centre.monetary /= weight;
    centre.tenureDays /= weight;
    const profile = profileOf(centre, terciles);
    const base = members.length === 1 ? clusters.names[members[0]] : coarseGroupName(profile);
    return { members, profile, base, centroid: inModel.map((v) => v / weight) };
  });
  summaries.sort((a, b) => b.profile.monetary - a.profile.monetary || a.members[0] - b.members[0]);
  const bases = summaries.map((s) => s.base);
  const names =
    columns && columns.length === d
      ? distinctNames(
          bases,
          centroidTraits(
            columns,
            summaries.flatMap((s) => s.centroid),
            summaries.length,
          ),
        )
      : uniqueNames(
          bases,
          summaries.map((s) => s.profile.monetary),
        );
  return summaries.map((s, g) => ({
    id: `group-${g + 1}`,
    name: names[g],
    members: s.members.map((j) => clusters.ids[j]),
  }));
}
