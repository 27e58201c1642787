/**
 * A coarser level for managers: the k centroids clustered hierarchically (ml-hclust agnes, Ward linkage by
 * default, Euclidean distances in the model's feature space) and cut into `groups` groups (default 3, never
 * more than k). A group of one cluster carries that cluster's name; a larger group is named from its members'
 * size-weighted profile in original units, by recency and value (frequency or monetary level):
 *
 * | recency      | value high (F or M high) | otherwise          |
 * |--------------|--------------------------|--------------------|
 * | low (recent) | Core customers           | Active customers   |
 * | mid          | Cooling valuable         | Cooling customers  |
 * | high         | At-risk valuable         | Lapsed customers   |
 *
 * Group ids ('group-1' …) follow the weighted monetary level, highest first; they are not matched across
 * retrains (the stable ids are the clusters').
 */
import { agnes, type AgglomerationMethod } from 'ml-hclust';
import { profileOf, uniqueNames } from './naming';
import type { ClusterProfile, CoarseGroup, PopulationTerciles } from './types';

export type CoarseOptions = { groups?: number; linkage?: Extract<AgglomerationMethod, 'ward' | 'average'> };

export function coarseGroupName(profile: ClusterProfile): string {
  const { recency, frequency, monetary } = profile.levels;
  const valuable = frequency === 'high' || monetary === 'high';
  if (recency === 'low') return valuable ? 'Core customers' : 'Active customers';
  if (recency === 'mid') return valuable ? 'Cooling valuable' : 'Cooling customers';
  return valuable ? 'At-risk valuable' : 'Lapsed customers';
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
): CoarseGroup[] {
  const k = clusters.ids.length;
  const groups = Math.max(1, Math.min(options.groups ?? 3, k));
  let memberSets: number[][];
  if (k === 1) memberSets = [[0]];
  else {
    const rows = Array.from({ length: k }, (_, j) => centroids.slice(j * d, j * d + d));
    const tree = agnes(rows, { method: options.linkage ?? 'ward' });
    memberSets = tree.group(groups).children.map((c) => c.indices().sort((a, b) => a - b));
  }
  const summaries = memberSets.map((members) => {
    let weight = 0;
    const centre = { recencyDays: 0, frequency: 0, monetary: 0, tenureDays: 0 };
    for (const j of members) {
      const w = Math.max(clusters.sizes[j], 1e-9);
      weight += w;
      centre.recencyDays += w * clusters.profiles[j].recencyDays;
      centre.frequency += w * clusters.profiles[j].frequency;
      centre.monetary += w * clusters.profiles[j].monetary;
      centre.tenureDays += w * clusters.profiles[j].tenureDays;
    }
    centre.recencyDays /= weight;
    centre.frequency /= weight;
    centre.monetary /= weight;
    centre.tenureDays /= weight;
    const profile = profileOf(centre, terciles);
    const base = members.length === 1 ? clusters.names[members[0]] : coarseGroupName(profile);
    return { members, profile, base };
  });
  summaries.sort((a, b) => b.profile.monetary - a.profile.monetary || a.members[0] - b.members[0]);
  const names = uniqueNames(
    summaries.map((s) => s.base),
    summaries.map((s) => s.profile.monetary),
  );
  return summaries.map((s, g) => ({
    id: `group-${g + 1}`,
    name: names[g],
    members: s.members.map((j) => clusters.ids[j]),
  }));
}
