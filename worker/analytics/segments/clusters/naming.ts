/**
 * Readable cluster names from centroids in original units. Each of recency (days since last purchase),
 * frequency, monetary and tenure is put on a level against the population's terciles (1/3 and 2/3 quantiles):
 * value ≤ q⅓ → low, value > q⅔ → high, otherwise mid (up to rounding). A centroid is brought back to original
 * units by inverting the feature transform, so for the log1p'd features it is a "typical member"
 * (geometric-mean-like), not an outlier-driven arithmetic mean. Low recency means recent. The first rule that matches names the cluster:
 *
 * | recency      | condition                     | name                      |
 * |--------------|-------------------------------|---------------------------|
 * | low (recent) | F high and M high             | High-value loyal          |
 * | low          | F high                        | Loyal regulars            |
 * | low or mid   | tenure low and M high         | New big spenders          |
 * | low or mid   | tenure low and M low          | New low spenders          |
 * | low or mid   | tenure low                    | New customers             |
 * | low          | M high                        | Recent big spenders       |
 * | low          | —                             | Active occasional         |
 * | high (lapsed)| F high or M high              | Lapsing big spenders      |
 * | high         | F low                         | Lost one-timers           |
 * | high         | —                             | Lapsed occasional         |
 * | mid          | F high and M high             | Cooling high-value        |
 * | mid          | M high                        | Cooling big spenders      |
 * | mid          | F high                        | Cooling regulars          |
 * | mid          | F low and M low               | Occasional low spenders   |
 * | mid          | —                             | Occasional                |
 *
 * Names are unique within a model: clusters sharing a name get a qualifier by their monetary rank
 * ("(higher spend)", "(lower spend)"; with three or more "(spend tier 1)" …, tier 1 the highest).
 */
import type { ClusterProfile, Level, PopulationTerciles } from './types';

export const TERCILE_FEATURES = ['recencyDays', 'frequency', 'monetary', 'tenureDays'] as const;

/** Terciles of each raw feature (nearest-rank on the sorted values). */
export function populationTerciles(
  values: Record<(typeof TERCILE_FEATURES)[number], Float64Array>,
): PopulationTerciles {
  const out = {} as PopulationTerciles;
  for (const key of TERCILE_FEATURES) {
    const sorted = Float64Array.from(values[key]).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.floor(q * (sorted.length - 1))] : NaN);
    out[key] = [at(1 / 3), at(2 / 3)];
  }
  return out;
}

/** Compared up to rounding: a centroid of customers who all bought once comes back as 1.0000000000000002. */
export function levelOf(value: number, [lower, upper]: [number, number]): Level {
  const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  if (value <= lower + slack(lower)) return 'low';
  if (value > upper + slack(upper)) return 'high';
  return 'mid';
}

export function profileOf(
  centre: { recencyDays: number; frequency: number; monetary: number; tenureDays: number },
  terciles: PopulationTerciles,
): ClusterProfile {
  return {
    ...centre,
    levels: {
      recency: levelOf(centre.recencyDays, terciles.recencyDays),
      frequency: levelOf(centre.frequency, terciles.frequency),
      monetary: levelOf(centre.monetary, terciles.monetary),
      tenure: levelOf(centre.tenureDays, terciles.tenureDays),
    },
  };
}

/** The rule table of the file comment. */
export function clusterBaseName(profile: ClusterProfile): string {
  const { recency, frequency: f, monetary: m, tenure } = profile.levels;
  if (recency === 'high') {
    if (f === 'high' || m === 'high') return 'Lapsing big spenders';
    if (f === 'low') return 'Lost one-timers';
    return 'Lapsed occasional';
  }
  if (recency === 'low' && f === 'high') return m === 'high' ? 'High-value loyal' : 'Loyal regulars';
  if (recency === 'mid' && f === 'high' && m === 'high') return 'Cooling high-value';
  if (tenure === 'low') {
    if (m === 'high') return 'New big spenders';
    if (m === 'low') return 'New low spenders';
    return 'New customers';
  }
  if (recency === 'low') return m === 'high' ? 'Recent big spenders' : 'Active occasional';
  if (m === 'high') return 'Cooling big spenders';
  if (f === 'high') return 'Cooling regulars';
  if (f === 'low' && m === 'low') return 'Occasional low spenders';
  return 'Occasional';
}

function qualifiers(count: number): string[] {
  if (count === 2) return ['higher spend', 'lower spend'];
  return Array.from({ length: count }, (_, i) => `spend tier ${i + 1}`);
}

/**
 * Unique names: `fixed[i]` (a name kept from a previous model) is used as is; the others get their base name,
 * qualified by monetary rank when it is shared with another cluster or taken by a fixed name. A numeric suffix
 * settles whatever still collides.
 */
export function uniqueNames(
  baseNames: readonly string[],
  monetary: readonly number[],
  fixed: readonly (string | null)[] = [],
): string[] {
  const names: (string | null)[] = baseNames.map((_, i) => fixed[i] ?? null);
  const taken = new Set(names.filter((x): x is string => x !== null));
  const groups = new Map<string, number[]>();
  baseNames.forEach((base, i) => {
    if (names[i] !== null) return;
    groups.set(base, [...(groups.get(base) ?? []), i]);
  });
  for (const [base, members] of groups) {
    if (members.length === 1 && !taken.has(base)) {
      names[members[0]] = base;
      continue;
    }
    const ranked = [...members].sort((a, b) => monetary[b] - monetary[a] || a - b);
    const q = qualifiers(ranked.length === 1 ? 2 : ranked.length);
    // A lone cluster colliding with a kept name takes the qualifier the kept one does not have.
    ranked.forEach((idx, r) => {
      names[idx] = `${base} (${ranked.length === 1 ? q[1] : q[r]})`;
    });
  }
  const seen = new Map<string, number>();
  return names.map((name) => {
    let out = name!;
    const count = seen.get(out) ?? 0;
    seen.set(out, count + 1);
    if (count > 0) out = `${out} ${count + 1}`;
    return out;
  });
}
