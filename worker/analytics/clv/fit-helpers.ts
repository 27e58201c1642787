/**
 * Data preparation shared by the transaction-model fits (BG/NBD, MBG/NBD, Pareto/NBD):
 *
 *   validatePurchaseHistory(data, model)  throws ModelFitError EMPTY_DATA / INVALID_DATA / NO_REPEAT_BUYERS
 *   preparePurchaseHistory(data)          rows with duplicate weights and a distinct-frequency index
 *   subsamplePreparedHistory(h, maxRows)  every k-th row, for a warm start (null when h is small already)
 *
 * Why the distinct-frequency index: every likelihood term that depends on x alone (ln Γ(r+x), ln B(a, b+x), …)
 * is computed once per distinct x and weighted by how many customers have that x, so the per-customer loop
 * keeps only the terms that involve the ages.
 *
 * Why collapse duplicates: real histories have day-resolution ages, so many customers share (x, t_x, T)
 * exactly (every customer without repeat purchases who joined on the same day). Each distinct triple is then
 * evaluated once, with a weight.
 */

import type { PurchaseHistory } from './types';
import { ModelFitError } from './types';

export type PreparedHistory = {
  /** Number of rows (distinct customers after collapsing duplicates). */
  rows: number;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Customers each row stands for; null when every row is one customer. */
  weight: Float64Array | null;
  /** Number of customers (sum of the weights). */
  count: number;
  /** Row → index into distinctFrequencies. */
  frequencyIndex: Int32Array;
  /** The distinct frequencies, ascending. */
  distinctFrequencies: Float64Array;
  /** Customers (weighted) per distinct frequency. */
  frequencyWeights: Float64Array;
};

/**
 * Checks a summary for the transaction models and returns the number of customers. Codes: EMPTY_DATA (no
 * customers), INVALID_DATA (columns of different lengths; a value that is negative, not finite or, for
 * frequency, not a whole number; recency > T; recency > 0 with frequency 0; the first bad row is named),
 * NO_REPEAT_BUYERS (nobody bought twice: the purchase rate and dropout cannot be told apart; skipped with
 * requireRepeatBuyers: false, for evaluating rather than fitting).
 */
export function validatePurchaseHistory(
  data: PurchaseHistory,
  model: string,
  options: { requireRepeatBuyers?: boolean } = {},
): number {
  const { frequency, recency, T } = data;
  const n = frequency.length;
  if (recency.length !== n || T.length !== n) {
    throw new ModelFitError(
      'INVALID_DATA',
      `frequency, recency and T must have one value per customer; got lengths ${n}, ${recency.length}, ${T.length}`,
    );
  }
  if (n === 0) {
    throw new ModelFitError(
      'EMPTY_DATA',
      `no customers to fit ${model} on; pass at least one purchase history`,
    );
  }
  // One tight numeric pass (NaN fails every comparison); the message is built only for the first bad row.
  let repeatBuyers = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const tx = recency[i];
    const age = T[i];
    if (!(
      x >= 0 &&
      x < 1e15 &&
      Math.floor(x) === x &&
      tx >= 0 &&
      tx <= age &&
      age < Infinity &&
      (x > 0 || tx === 0)
    )) {
      throw new ModelFitError(
        'INVALID_DATA',
        `customer at index ${i}: ${describeBadRow(x, tx, age)}. Fix the summary and retry.`,
      );
    }
    if (x > 0) repeatBuyers++;
  }
  if (repeatBuyers === 0 && options.requireRepeatBuyers !== false) {
    throw new ModelFitError(
      'NO_REPEAT_BUYERS',
      `no customer has a repeat purchase (frequency > 0), so ${model} cannot be fitted; ` +
        'use a longer observation window or more customers',
    );
  }
  return n;
}

function describeBadRow(x: number, tx: number, age: number): string {
  if (!(x >= 0 && Number.isFinite(x) && Number.isInteger(x)))
    return `frequency is ${x}; it must be a whole number >= 0`;
  if (!(tx >= 0 && Number.isFinite(tx))) return `recency is ${tx}; it must be a finite number >= 0`;
  if (!(age >= 0 && Number.isFinite(age))) return `T is ${age}; it must be a finite number >= 0`;
  if (tx > age)
    return `recency ${tx} is after T ${age}; the last purchase cannot be after the end of observation`;
  return `recency is ${tx} with frequency 0; customers without repeat purchases have recency 0`;
}

/** Share of distinct rows in a sample below which collapsing duplicates pays for its hashing pass. */
const COLLAPSE_WHEN_UNIQUE_SHARE_BELOW = 0.85;
const COLLAPSE_SAMPLE = 8192;

/** Rows ready for a likelihood loop; `data` must have passed validatePurchaseHistory. */
export function preparePurchaseHistory(data: PurchaseHistory): PreparedHistory {
  const n = data.frequency.length;
  let frequency = data.frequency;
  let recency = data.recency;
  let T = data.T;
  let weight: Float64Array | null = null;
  if (n > 1000) {
    const share = sampleUniqueShare(data);
    if (share < COLLAPSE_WHEN_UNIQUE_SHARE_BELOW) {
      // A sample's share of distinct rows overstates the full data's, so this sizing is generous; the hash
      // table stays small enough to live in cache, which is most of the cost of this pass.
      const collapsed = collapseDuplicates(data, Math.ceil(share * n) + 1024);
      if (collapsed && collapsed.rows < n) {
        ({ frequency, recency, T, weight } = collapsed);
      }
    }
  }
  return withFrequencyIndex(frequency, recency, T, weight, n);
}

/**
 * Every k-th row (k = ⌈rows / maxRows⌉), a deterministic sample for a warm start; null when the data have
 * no more than maxRows rows or the sample has no repeat buyer.
 */
export function subsamplePreparedHistory(h: PreparedHistory, maxRows: number): PreparedHistory | null {
  if (h.rows <= maxRows) return null;
  const step = Math.ceil(h.rows / maxRows);
  const m = Math.ceil(h.rows / step);
  const frequency = new Float64Array(m);
  const recency = new Float64Array(m);
  const T = new Float64Array(m);
  const weight = h.weight ? new Float64Array(m) : null;
  let count = 0;
  let repeat = false;
  for (let j = 0, i = 0; j < m; j++, i += step) {
    frequency[j] = h.frequency[i];
    recency[j] = h.recency[i];
    T[j] = h.T[i];
    const w = h.weight ? h.weight[i] : 1;
    if (weight) weight[j] = w;
    count += w;
    if (frequency[j] > 0) repeat = true;
  }
  return repeat ? withFrequencyIndex(frequency, recency, T, weight, count) : null;
}

function withFrequencyIndex(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
  weight: Float64Array | null,
  count: number,
): PreparedHistory {
  const rows = frequency.length;
  let maxX = 0;
  for (let i = 0; i < rows; i++) if (frequency[i] > maxX) maxX = frequency[i];
  const frequencyIndex = new Int32Array(rows);
  let distinct: number[];
  if (maxX <= 1 << 20) {
    // Whole numbers up to a million: a direct lookup table beats a Map by an order of magnitude.
    const seen = new Int32Array(maxX + 1).fill(-1);
    distinct = [];
    for (let i = 0; i < rows; i++) if (seen[frequency[i]] < 0) seen[frequency[i]] = 0;
    for (let x = 0; x <= maxX; x++) if (seen[x] === 0) seen[x] = distinct.push(x) - 1;
    for (let i = 0; i < rows; i++) frequencyIndex[i] = seen[frequency[i]];
  } else {
    distinct = Array.from(new Set(frequency)).sort((p, q) => p - q);
    const index = new Map(distinct.map((x, k) => [x, k]));
    for (let i = 0; i < rows; i++) frequencyIndex[i] = index.get(frequency[i]) as number;
  }
  const frequencyWeights = new Float64Array(distinct.length);
  for (let i = 0; i < rows; i++) frequencyWeights[frequencyIndex[i]] += weight ? weight[i] : 1;
  return {
    rows,
    frequency,
    recency,
    T,
    weight,
    count,
    frequencyIndex,
    distinctFrequencies: Float64Array.from(distinct),
    frequencyWeights,
  };
}

function sampleUniqueShare(data: PurchaseHistory): number {
  const n = data.frequency.length;
  const step = Math.max(1, Math.floor(n / COLLAPSE_SAMPLE));
  const idx: number[] = [];
  for (let i = 0; i < n; i += step) idx.push(i);
  const sample: PurchaseHistory = {
    frequency: Float64Array.from(idx, (i) => data.frequency[i]),
    recency: Float64Array.from(idx, (i) => data.recency[i]),
    T: Float64Array.from(idx, (i) => data.T[i]),
  };
  const collapsed = collapseDuplicates(sample, idx.length);
  return collapsed ? collapsed.rows / idx.length : 1;
}

/**
 * Exact-duplicate (x, t_x, T) rows merged with weights, by open addressing on the bits of the three doubles;
 * null when there turn out to be more than `expectedRows` distinct rows (then collapsing does not pay).
 */
function collapseDuplicates(
  data: PurchaseHistory,
  expectedRows: number,
): {
  rows: number;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  weight: Float64Array;
} | null {
  const n = data.frequency.length;
  const maxRows = Math.min(n, expectedRows);
  let capacity = 1;
  while (capacity < 2 * maxRows) capacity <<= 1;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const frequency = new Float64Array(maxRows);
  const recency = new Float64Array(maxRows);
  const T = new Float64Array(maxRows);
  const weight = new Float64Array(maxRows);
  const scratch = new Float64Array(2);
  const bits = new Int32Array(scratch.buffer);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    // + 0 turns −0 into 0 so that equal values hash alike.
    scratch[0] = data.recency[i] + 0;
    scratch[1] = data.T[i] + 0;
    let h = Math.imul(x | 0, 0x9e3779b1);
    h = Math.imul(h ^ bits[0], 0x85ebca6b) ^ bits[1];
    h = Math.imul(h ^ bits[2], 0xc2b2ae35) ^ bits[3];
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let s = h & mask;
    while (true) {
      const u = slots[s];
      if (u < 0) {
        if (rows === maxRows && rows < n) return null;
        slots[s] = rows;
        frequency[rows] = x;
        recency[rows] = scratch[0];
        T[rows] = scratch[1];
        weight[rows] = 1;
        rows++;
        break;
      }
      if (frequency[u] === x && recency[u] === scratch[0] && T[u] === scratch[1]) {
        weight[u]++;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return {
    rows,
    frequency: frequency.subarray(0, rows),
    recency: recency.subarray(0, rows),
    T: T.subarray(0, rows),
    weight: weight.subarray(0, rows),
  };
}
