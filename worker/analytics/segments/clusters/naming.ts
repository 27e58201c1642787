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
 * Names are unique within a model. Clusters sharing a name are told apart by their strongest differing feature:
 * among the model's columns (recency, frequency, monetary, tenure, order value, category shares, engagement), the
 * one whose centroid values (standardised units, the space k-means works in) spread the most across those
 * clusters. Sorted on it, the clusters are split at the largest gap: the side above gets e.g. "(higher spend)",
 * "(more recent)" or "(more Bags)", the side below "(lower spend)", "(less recent)", "(less Bags)". A side with
 * several clusters is split again on ITS strongest differing feature among those not used yet, and the
 * qualifiers add up: "Occasional (more recent)", "Occasional (less recent, longer tenure)", "Occasional (less
 * recent, shorter tenure)". Three or more clusters that only one feature tells apart are ranked on it ("spend
 * tier 1" …, tier 1 the highest), as is a side where only an already used feature still differs. A cluster whose rule name is kept from a previous model (cluster-model.ts) keeps it
 * as is; a newcomer with the same base name is qualified against it.
 */
import type { BehaviouralSegmentKind } from '../../../../domain/segment-kinds';
import type { ClusterProfile, FeatureColumn, Level, PopulationTerciles } from './types';

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

/** The rule table of the file comment; its names are domain's BEHAVIOURAL_SEGMENT_KINDS (the type checks it). */
export function clusterBaseName(profile: ClusterProfile): BehaviouralSegmentKind {
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

/** One feature the names can tell clusters apart by: its value per cluster and how to say "more" and "less". */
export type NameTrait = {
  /** For rank qualifiers: "spend tier 1". */
  noun: string;
  higher: string;
  lower: string;
  /** Per cluster, in comparable units (standardised for the model's columns). */
  values: ArrayLike<number>;
};

const PHRASES: Record<string, [noun: string, higher: string, lower: string]> = {
  // Recency is days since the last purchase: a higher value is LESS recent.
  recency: ['recency', 'less recent', 'more recent'],
  frequency: ['frequency', 'more frequent', 'less frequent'],
  monetary: ['spend', 'higher spend', 'lower spend'],
  tenure: ['tenure', 'longer tenure', 'shorter tenure'],
  aov: ['order value', 'larger orders', 'smaller orders'],
};

/** Qualifier phrases of a model column ("category:Bags" → "more Bags" / "less Bags"). */
export function columnPhrases(column: Pick<FeatureColumn, 'name' | 'kind'>): [string, string, string] {
  const fixed = PHRASES[column.kind];
  if (fixed) return fixed;
  const label = column.name.replace(/^(category|engagement):/, '');
  return column.kind === 'engagement'
    ? [label, `more ${label}`, `fewer ${label}`]
    : [`${label} share`, `more ${label}`, `less ${label}`];
}

/** Traits from k × d centroids (row-major, the model's space) and its columns. */
export function centroidTraits(
  columns: readonly Pick<FeatureColumn, 'name' | 'kind'>[],
  centroids: ArrayLike<number>,
  k: number,
): NameTrait[] {
  const d = columns.length;
  return columns.map((c, t) => {
    const [noun, higher, lower] = columnPhrases(c);
    return { noun, higher, lower, values: Array.from({ length: k }, (_, j) => centroids[j * d + t]) };
  });
}

/** Differences below this (standardised units) do not tell two clusters apart. */
const NEGLIGIBLE = 1e-9;

function spread(trait: NameTrait, members: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const j of members) {
    const v = trait.values[j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

/** The trait with the largest spread over `members` among `allowed` (−1 when none spreads). */
function strongest(
  traits: readonly NameTrait[],
  members: readonly number[],
  allowed: (t: number) => boolean,
) {
  let best = -1;
  let bestSpread = NEGLIGIBLE;
  traits.forEach((trait, t) => {
    if (!allowed(t)) return;
    const s = spread(trait, members);
    if (s > bestSpread) {
      bestSpread = s;
      best = t;
    }
  });
  return best;
}

/** Qualifier phrases per member (same order), by recursive splits on the strongest differing trait. */
function qualify(
  traits: readonly NameTrait[],
  members: readonly number[],
  used: ReadonlySet<number>,
): string[][] {
  if (members.length < 2) return members.map(() => []);
  let t = strongest(traits, members, (x) => !used.has(x));
  const byValue = (tr: number) =>
    [...members].sort((a, b) => traits[tr].values[b] - traits[tr].values[a] || a - b);
  if (t < 0) {
    // Only features already used still differ (or none): rank on the strongest of them.
    t = strongest(traits, members, () => true);
    if (t < 0) return members.map(() => []); // identical centroids: the caller's numeric suffix settles it
    const ranked = byValue(t);
    return members.map((j) => [`${traits[t].noun} tier ${ranked.indexOf(j) + 1}`]);
  }
  const sorted = byValue(t);
  if (members.length > 2 && strongest(traits, members, (x) => x !== t && !used.has(x)) < 0) {
    // Nothing else tells them apart: a rank reads better than nested "higher"/"lower".
    return members.map((j) => [`${traits[t].noun} tier ${sorted.indexOf(j) + 1}`]);
  }
  let cut = 1;
  let gap = -Infinity;
  for (let r = 1; r < sorted.length; r++) {
    const g = traits[t].values[sorted[r - 1]] - traits[t].values[sorted[r]];
    if (g > gap) {
      gap = g;
      cut = r;
    }
  }
  const out = new Map<number, string[]>();
  const nextUsed = new Set(used).add(t);
  const sides: [number[], string][] = [
    [sorted.slice(0, cut), traits[t].higher],
    [sorted.slice(cut), traits[t].lower],
  ];
  for (const [side, phrase] of sides) {
    const inner = qualify(traits, side, nextUsed);
    side.forEach((j, r) => out.set(j, [phrase, ...inner[r]]));
  }
  return members.map((j) => out.get(j)!);
}

/**
 * Distinct names (the file comment's rule): `fixed[i]` (a name kept from a previous model) is used as is; the
 * others get their base name, qualified when it is shared with another cluster or taken by a kept name. A
 * numeric suffix settles whatever still collides (identical centroids).
 */
export function distinctNames(
  baseNames: readonly string[],
  traits: readonly NameTrait[],
  fixed: readonly (string | null)[] = [],
): string[] {
  const names: (string | null)[] = baseNames.map((_, i) => fixed[i] ?? null);
  const groups = new Map<string, number[]>();
  baseNames.forEach((base, i) => {
    if (names[i] !== null) return;
    groups.set(base, [...(groups.get(base) ?? []), i]);
  });
  for (const [base, members] of groups) {
    // Kept names equal to this base take part in the comparison but keep their name.
    const anchors = baseNames.flatMap((_, i) => (names[i] === base && !members.includes(i) ? [i] : []));
    if (members.length === 1 && anchors.length === 0) {
      names[members[0]] = base;
      continue;
    }
    const all = [...members, ...anchors];
    const phrases = qualify(traits, all, new Set());
    members.forEach((j, r) => {
      names[j] = phrases[r].length ? `${base} (${phrases[r].join(', ')})` : base;
    });
  }
  const taken = new Set<string>();
  return names.map((name) => {
    let out = name!;
    for (let c = 2; taken.has(out); c++) out = `${name} ${c}`;
    taken.add(out);
    return out;
  });
}

/** distinctNames with spend as the only trait. */
export function uniqueNames(
  baseNames: readonly string[],
  monetary: readonly number[],
  fixed: readonly (string | null)[] = [],
): string[] {
  return distinctNames(
    baseNames,
    [{ noun: 'spend', higher: 'higher spend', lower: 'lower spend', values: monetary }],
    fixed,
  );
}
