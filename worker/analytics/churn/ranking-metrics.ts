/**
 * Measures of a churn model on labelled customers (label 1 = churned, score = predicted probability or
 * any score increasing in it). Tied scores are handled the same way everywhere: as the expectation over a
 * random order within the tie (a tie group of k customers with j churners contributes j/k churners per
 * position). That gives the midrank AUC, scikit-learn's average precision, and tie-proof lift and
 * calibration tables. Sorting is two native typed-array sorts (churners, non-churners) and a merge, so a
 * million customers take well under a second.
 */
import { createRandom } from '../math/random';

/** Distinct scores ascending, with how many customers and churners have each. */
type ScoreGroups = {
  score: Float64Array;
  count: Float64Array;
  positives: Float64Array;
  totalPositives: number;
  n: number;
};

function groupScores(scores: ArrayLike<number>, labels: ArrayLike<number>): ScoreGroups {
  const n = scores.length;
  let totalPositives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) totalPositives++;
  const pos = new Float64Array(totalPositives);
  const neg = new Float64Array(n - totalPositives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const score = new Float64Array(n);
  const count = new Float64Array(n);
  const positives = new Float64Array(n);
  let g = -1;
  let a = 0;
  let b = 0;
  while (a < pos.length || b < neg.length) {
    const takePos = b >= neg.length || (a < pos.length && pos[a] <= neg[b]);
    const s = takePos ? pos[a++] : neg[b++];
    if (g < 0 || score[g] !== s) {
      g++;
      score[g] = s;
    }
    count[g]++;
    if (takePos) positives[g]++;
  }
  const k = g + 1;
  return {
    score: score.subarray(0, k),
    count: count.subarray(0, k),
    positives: positives.subarray(0, k),
    totalPositives,
    n,
  };
}

/**
 * ROC AUC as the Mann–Whitney statistic: P(score of a random churner > score of a random non-churner), ties
 * counting one half (Hanley & McNeil 1982). NaN when either class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return aucOf(groupScores(scores, labels));
}

function aucOf({ count, positives, totalPositives, n }: ScoreGroups): number {
  const negatives = n - totalPositives;
  if (totalPositives === 0 || negatives === 0) return NaN;
  let below = 0;
  let sum = 0;
  for (let g = 0; g < count.length; g++) {
    const neg = count[g] - positives[g];
    sum += positives[g] * (below + 0.5 * neg);
    below += neg;
  }
  return sum / (totalPositives * negatives);
}

/**
 * Average precision (area under the precision–recall curve as a step sum): Σ_k (R_k − R_{k−1}) · P_k over
 * the distinct score thresholds from the highest down, tied scores entering together (the definition of
 * scikit-learn's average_precision_score). NaN without churners.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return averagePrecisionOf(groupScores(scores, labels));
}

function averagePrecisionOf({ count, positives, totalPositives }: ScoreGroups): number {
  if (totalPositives === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let g = count.length - 1; g >= 0; g--) {
    tp += positives[g];
    seen += count[g];
    ap += (positives[g] / totalPositives) * (tp / seen);
  }
  return ap;
}

/** Mean squared difference between predicted probability and outcome (Brier 1950). */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = probabilities.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = probabilities[i] - (labels[i] ? 1 : 0);
    s += d * d;
  }
  return s / n;
}

export type CalibrationBin = { bin: number; count: number; meanPredicted: number; observedRate: number };

/**
 * Customers sorted by predicted probability and cut into `bins` groups of equal size (group k holds sorted
 * positions ⌊k·n/bins⌋ … ⌊(k+1)·n/bins⌋ − 1), lowest predictions first: mean prediction vs observed churn
 * rate per group (ties split across a boundary share their churners pro rata).
 */
export function calibrationTable(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  return calibrationTableOf(groupScores(probabilities, labels), bins);
}

function calibrationTableOf({ score, count, positives, n }: ScoreGroups, bins: number): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  let g = 0;
  let usedInGroup = 0;
  for (let k = 0; k < bins; k++) {
    const from = Math.floor((k * n) / bins);
    const to = Math.floor(((k + 1) * n) / bins);
    if (to <= from) continue;
    let need = to - from;
    let p = 0;
    let y = 0;
    while (need > 0) {
      const take = Math.min(need, count[g] - usedInGroup);
      p += take * score[g];
      y += (take * positives[g]) / count[g];
      need -= take;
      usedInGroup += take;
      if (usedInGroup === count[g]) {
        g++;
        usedInGroup = 0;
      }
    }
    out.push({ bin: k + 1, count: to - from, meanPredicted: p / (to - from), observedRate: y / (to - from) });
  }
  return out;
}

/**
 * Churn rate among the ⌈n/10⌉ highest-scored customers divided by the overall churn rate (a tie across the
 * edge counts pro rata). NaN without churners.
 */
export function liftAtTopDecile(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return liftOf(groupScores(scores, labels));
}

function liftOf({ count, positives, totalPositives, n }: ScoreGroups): number {
  const top = Math.ceil(n / 10);
  if (totalPositives === 0 || top === 0) return NaN;
  let need = top;
  let hits = 0;
  for (let g = count.length - 1; g >= 0 && need > 0; g--) {
    const take = Math.min(need, count[g]);
    hits += (take * positives[g]) / count[g];
    need -= take;
  }
  return hits / top / (totalPositives / n);
}

/** ROC AUC, PR AUC, Brier score, top-decile lift and the decile calibration table, sorting once. */
export function scoreMeasures(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): { rocAuc: number; prAuc: number; brier: number; liftTopDecile: number; calibration: CalibrationBin[] } {
  const groups = groupScores(probabilities, labels);
  return {
    rocAuc: aucOf(groups),
    prAuc: averagePrecisionOf(groups),
    brier: brierScore(probabilities, labels),
    liftTopDecile: liftOf(groups),
    calibration: calibrationTableOf(groups, 10),
  };
}

export type PermutationImportance = { feature: string; aucDrop: number };

/**
 * Breiman's permutation importance (Random Forests, 2001, §10) with ROC AUC as the score: the mean drop in
 * AUC when one feature column is shuffled across customers (seeded, `repeats` shuffles), largest first.
 * With `groups`, the columns of each group are shuffled together (one permutation of the rows), which is
 * the importance of a feature that spans several columns (a spline).
 */
export function permutationImportance(
  values: Float64Array,
  names: readonly string[],
  labels: ArrayLike<number>,
  score: (values: Float64Array) => Float64Array,
  options: { repeats?: number; seed?: number; groups?: readonly { name: string; columns: number[] }[] } = {},
): PermutationImportance[] {
  const p = names.length;
  const n = values.length / p;
  const repeats = options.repeats ?? 3;
  const random = createRandom(options.seed ?? 1);
  const groups = options.groups ?? names.map((name, j) => ({ name, columns: [j] }));
  const baseline = rocAuc(score(values), labels);
  const work = Float64Array.from(values);
  const order = new Int32Array(n);
  const out: PermutationImportance[] = [];
  for (const { name, columns } of groups) {
    let drop = 0;
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < n; i++) order[i] = i;
      // Fisher–Yates.
      for (let i = n - 1; i > 0; i--) {
        const k = random.integer(i + 1);
        const t = order[i];
        order[i] = order[k];
        order[k] = t;
      }
      for (const j of columns) for (let i = 0; i < n; i++) work[i * p + j] = values[order[i] * p + j];
      drop += baseline - rocAuc(score(work), labels);
    }
    for (const j of columns) for (let i = 0; i < n; i++) work[i * p + j] = values[i * p + j];
    out.push({ feature: name, aucDrop: drop / repeats });
  }
  return out.sort((a, b) => b.aucDrop - a.aucDrop);
}
