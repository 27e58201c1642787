/**
 * RFM scores (1–5 per dimension, by quintile of rank) and the eleven standard RFM segments from the R × FM map.
 *
 * Quintile rule (ties are deterministic: equal values always get the same score):
 *   rank each customer by value, ascending, 1…n; tied values share the average of their ranks r̄;
 *   score = min(5, floor(5 · (r̄ − ½) / n) + 1), i.e. the quintile of the mid-rank percentile (r̄ − ½) / n.
 * With n distinct values this puts exactly n/5 customers in each score when 5 divides n; a tie group lands
 * wholly in the quintile of its mid-rank (so scores need not be equally filled: Online Retail's one-order
 * customers are ~35% of the base and all get F = 1); when every value is equal all get 3.
 * Recency is scored on its negation, so the most recent customers get R = 5.
 * FM = round half up of (F + M) / 2 (so 4 and 5 give 5, 1 and 2 give 2): the usual way the two spend
 * dimensions are folded into one axis of the segment map.
 */
import { RFM_SEGMENTS, type RfmSegment } from '../../../domain/rfm-segments';
import type { RfmSummary } from '../rfm/types';

/**
 * The R × FM map. The widely used table (Putler, "RFM Analysis for Successful Customer Segmentation",
 * putler.com/rfm-analysis; reproduced e.g. in churned.io's RFM model docs) gives each segment ranges:
 *
 *   segment              R      FM          segment              R      FM
 *   Champions            4–5    4–5         Need Attention       2–3    2–3
 *   Loyal Customers      2–5    3–5         About to Sleep       2–3    1–2
 *   Potential Loyalists  3–5    1–3         At Risk              1–2    2–5
 *   New Customers        4–5    1           Can't Lose Them      1      4–5
 *   Promising            3–4    1           Hibernating          1–2    1–2
 *                                           Lost                 1–2    1–2
 *
 * The ranges overlap, so each cell is resolved here to one segment (each choice lies inside that segment's
 * ranges; more specific segments win over the broad Loyal / Potential Loyalists / At Risk ones):
 *
 *   R \ FM        1               2                    3                  4                 5
 *   5        New Customers   Potential Loyalists  Loyal Customers    Champions         Champions
 *   4        Promising       Potential Loyalists  Loyal Customers    Champions         Champions
 *   3        About to Sleep  Need Attention       Need Attention     Loyal Customers   Loyal Customers
 *   2        Hibernating     Hibernating          At Risk            At Risk           At Risk
 *   1        Lost            Lost                 At Risk            Can't Lose Them   Can't Lose Them
 */
const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  // R = 1
  ['Lost', 'Lost', 'At Risk', "Can't Lose Them", "Can't Lose Them"],
  // R = 2
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'At Risk'],
  // R = 3
  ['About to Sleep', 'Need Attention', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
  // R = 4
  ['Promising', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
  // R = 5
  ['New Customers', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
];

export class RfmScoreError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'RfmScoreError';
  }
}

/** Per customer, aligned arrays. */
export type RfmValues = {
  /** Days since the last purchase at the observation end (lower is better). */
  recencyDays: ArrayLike<number>;
  /** Orders or purchase days. */
  frequency: ArrayLike<number>;
  /** Total revenue. */
  monetary: ArrayLike<number>;
};

export type RfmScores = {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** round half up of (f + m) / 2. */
  fm: Uint8Array;
  /** "545": R, F, M digits. */
  rfmScore: string[];
  /** Index into RFM_SEGMENTS. */
  segment: Uint8Array;
  segmentName: RfmSegment[];
};

/**
 * Quintile scores 1–5 of `values` by mid-rank percentile (see the file comment); higher values score higher.
 * Example: quintileScores([10, 20, 20, 30, 40]) → [1, 3, 3, 4, 5] (ranks 1, 2.5, 2.5, 4, 5).
 */
export function quintileScores(values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  const bounds = quintileUpperBounds(values);
  // A score only grows with the value, so a customer's score is 1 + the quintiles whose values all lie below
  // theirs: four comparisons each, where a search of the sorted values took ~1 s a million customers.
  for (let i = 0; i < n; i++) {
    const x = values[i];
    let score = 1;
    for (let k = 0; k < 4; k++) if (bounds[k] === undefined || x > bounds[k]!) score++;
    scores[i] = score;
  }
  return scores;
}

/**
 * For k = 1…4, the largest of `values` that quintileScores scores k or lower; undefined when none scores that
 * low (every value scores above k).
 */
export function quintileUpperBounds(values: ArrayLike<number>): (number | undefined)[] {
  const n = values.length;
  const sorted = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    if (sorted[i] !== sorted[i])
      throw new RfmScoreError(`value ${i} is NaN; every customer needs a number to be scored.`);
  }
  // Sorted natively (no comparator call per pair); a tie group is a run of equal values (−0 and 0 compare
  // equal, so they are one group though the sort puts −0 first).
  sorted.sort();
  const bounds: (number | undefined)[] = [undefined, undefined, undefined, undefined];
  for (let first = 0; first < n;) {
    let end = first + 1;
    while (end < n && sorted[end] === sorted[first]) end++;
    // 1-based ranks first+1 … end, average (first + end + 1) / 2; mid-rank percentile (r̄ − ½) / n.
    const score = Math.min(5, Math.floor((5 * (first + end)) / 2 / n) + 1);
    for (let k = score; k <= 4; k++) bounds[k - 1] = sorted[end - 1];
    first = end;
  }
  return bounds;
}

/** "111" … "555": the text of each R, F, M code, indexed (r − 1)·25 + (f − 1)·5 + (m − 1). */
const RFM_SCORE_TEXTS: readonly string[] = Array.from(
  { length: 125 },
  (_, k) => `${Math.floor(k / 25) + 1}${(Math.floor(k / 5) % 5) + 1}${(k % 5) + 1}`,
);

/** Segment of one (R, FM) cell, both 1–5. */
export function rfmSegmentOf(r: number, fm: number): RfmSegment {
  const row = SEGMENT_GRID[r - 1];
  const segment = row?.[fm - 1];
  if (segment === undefined)
    throw new RfmScoreError(`R and FM scores must be integers 1–5, got ${r} and ${fm}.`);
  return segment;
}

/** FM axis of the map: round half up of (F + M) / 2. */
export function fmScore(f: number, m: number): number {
  return (f + m + 1) >> 1;
}

/**
 * RFM scores and segments per customer.
 * Example: scoreRfm({ recencyDays: [3, 200], frequency: [9, 1], monetary: [900, 20] }).segmentName
 *   → ['Champions', 'Hibernating'] (mid-rank percentiles 0.75 and 0.25: scores 4 and 2 on every axis)
 */
export function scoreRfm(values: RfmValues): RfmScores {
  const n = values.recencyDays.length;
  if (values.frequency.length !== n || values.monetary.length !== n) {
    throw new RfmScoreError(
      `recencyDays, frequency and monetary must have one entry per customer (got ${n}, ${values.frequency.length}, ${values.monetary.length}).`,
    );
  }
  const negRecency = new Float64Array(n);
  for (let i = 0; i < n; i++) negRecency[i] = -values.recencyDays[i];
  const r = quintileScores(negRecency);
  const f = quintileScores(values.frequency);
  const m = quintileScores(values.monetary);
  const fm = new Uint8Array(n);
  const segment = new Uint8Array(n);
  const rfmScore = new Array<string>(n);
  const segmentName = new Array<RfmSegment>(n);
  const index = new Map<RfmSegment, number>(RFM_SEGMENTS.map((s, k) => [s, k]));
  for (let i = 0; i < n; i++) {
    fm[i] = fmScore(f[i], m[i]);
    const name = SEGMENT_GRID[r[i] - 1][fm[i] - 1];
    segmentName[i] = name;
    segment[i] = index.get(name)!;
    // One string per code, not per customer: millions of "545"s were a large part of the heap.
    rfmScore[i] = RFM_SCORE_TEXTS[(r[i] - 1) * 25 + (f[i] - 1) * 5 + (m[i] - 1)];
  }
  return { r, f, m, fm, rfmScore, segment, segmentName };
}

/**
 * RFM inputs from the P1 summary: recency = days from the last purchase day to the observation end day,
 * frequency = purchase days (the summary's repeat days + the first), monetary = total revenue.
 * Use the summary at the observation end (no calibrationEnd): with one, T stops at the calibration end while
 * totalRevenue runs on to the observation end.
 */
export function rfmValuesFromSummary(summary: RfmSummary): RfmValues {
  const n = summary.frequency.length;
  const unit = summary.period === 'week' ? 7 : 1;
  const recencyDays = new Float64Array(n);
  const frequency = new Float64Array(n);
  const { round } = Math;
  for (let i = 0; i < n; i++) {
    // T − recency is (end day − last day) in period units; rounding removes the /7 residue of weeks.
    recencyDays[i] = round((summary.T[i] - summary.recency[i]) * unit);
    frequency[i] = summary.frequency[i] + 1;
  }
  return { recencyDays, frequency, monetary: summary.totalRevenue };
}
