/** Seeded synthetic data for the segment-count, small-segment and family tests. */
import { createRandom } from '../../../../worker/analytics/math/random';
import type { MatrixInput } from '../../../../worker/analytics/segments/clusters/kmeans-typed';
import type { CustomerBehaviour } from '../../../../worker/analytics/segments/clusters/types';

/**
 * `k` Gaussian blobs (sd 1) in `d` dimensions, equal sizes, centred at `spacing` along distinct axes (blob c at
 * +spacing on axis c mod d, negated for c ≥ d), so every pair of centres is at least spacing · √2 apart:
 * well separated for spacing ≥ 6. `outliers` of the rows (default 0) sit in a far corner instead.
 */
export function blobMatrix(
  n: number,
  d: number,
  k: number,
  seed: number,
  options: { spacing?: number; outliers?: number } = {},
): MatrixInput & { group: Int32Array } {
  const random = createRandom(seed);
  const spacing = options.spacing ?? 8;
  const values = new Float64Array(n * d);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const outlier = random.uniform() < (options.outliers ?? 0);
    const c = i % k;
    group[i] = outlier ? -1 : c;
    for (let t = 0; t < d; t++) {
      const centre = outlier ? 5 * spacing : t === c % d ? (c < d ? spacing : -spacing) : 0;
      values[i * d + t] = centre + random.normal();
    }
  }
  return { n, d, values, group };
}

export type Profile = { recency: number; frequency: number; monetary: number; tenure: number };

/** Five behaviourally distinct customer groups. */
export const FIVE_GROUPS: Profile[] = [
  { recency: 5, frequency: 20, monetary: 5000, tenure: 600 }, // loyal, high value
  { recency: 15, frequency: 1, monetary: 40, tenure: 15 }, // new, small first order
  { recency: 400, frequency: 1, monetary: 60, tenure: 420 }, // lost one-timers
  { recency: 90, frequency: 6, monetary: 800, tenure: 300 }, // cooling regulars
  { recency: 20, frequency: 3, monetary: 3000, tenure: 60 }, // new big spenders
];

/**
 * `each` customers per profile, each value jittered by a log-normal factor (sd 0.12 on the log scale); with
 * `outliers` extra customers that buy like wholesalers (hundreds of orders, huge spend, long tenure).
 */
export function behaviourOf(
  profiles: Profile[],
  each: number,
  seed: number,
  outliers = 0,
): CustomerBehaviour & { group: Int32Array } {
  const random = createRandom(seed);
  const n = profiles.length * each + outliers;
  const b = {
    recencyDays: new Float64Array(n),
    frequency: new Float64Array(n),
    monetary: new Float64Array(n),
    tenureDays: new Float64Array(n),
    group: new Int32Array(n),
  };
  const jitter = () => Math.exp(random.normal(0, 0.12));
  for (let i = 0; i < n; i++) {
    const g = i < profiles.length * each ? i % profiles.length : -1;
    const p: Profile =
      g >= 0 ? profiles[g] : { recency: 2, frequency: 400, monetary: 2_000_000, tenure: 700 };
    b.group[i] = g;
    b.recencyDays[i] = p.recency * jitter();
    b.frequency[i] = p.frequency === 1 ? 1 : Math.max(1, Math.round(p.frequency * jitter()));
    b.monetary[i] = p.monetary * jitter();
    b.tenureDays[i] = Math.max(b.recencyDays[i], p.tenure * jitter());
  }
  return b;
}
