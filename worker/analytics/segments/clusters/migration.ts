/**
 * Segment migration between two runs: for every customer in either run, (previous segment → current segment),
 * counted in a matrix. A customer absent from one run counts under NONE on that side (new customers are row
 * NONE, departed ones column NONE). Row shares divide each row by its total (where each previous segment went).
 */
export const NONE = '(none)';

export type MigrationMatrix = {
  /** Previous segment ids (rows), natural order ('seg-2' before 'seg-10'), NONE last when present. */
  from: string[];
  /** Current segment ids (columns), same ordering. */
  to: string[];
  /** counts[r][c]: customers that were in from[r] and are in to[c]. */
  counts: number[][];
  /** counts[r][c] / Σ_c counts[r][c] (0 for an empty row). */
  rowShares: number[][];
  /** Customers in the same segment in both runs / customers present in both runs (NaN when none). */
  stayedShare: number;
};

const collator = new Intl.Collator('en', { numeric: true });

function order(ids: Iterable<string>): string[] {
  const list = [...new Set(ids)].filter((x) => x !== NONE).sort(collator.compare);
  return list;
}

/** `previous` and `current` map customer id → segment id. */
export function migrationMatrix(
  previous: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
): MigrationMatrix {
  return migrationMatrixOfRows(previous, [...current.keys()], [...current.values()]);
}

/**
 * migrationMatrix with the current run as rows: customer `ids[i]` is in segment `segmentIds[i]` (ids distinct).
 * One lookup per current customer: a run of a million customers builds no second map of them.
 */
export function migrationMatrixOfRows(
  previous: ReadonlyMap<string, string>,
  ids: readonly string[],
  segmentIds: readonly string[],
): MigrationMatrix {
  const from = order(previous.values());
  const to = order(segmentIds);
  const col = new Map(to.map((id, i) => [id, i]));
  const row = new Map(from.map((id, i) => [id, i]));
  // Customers of each previous segment, and of those, how many are found in this run, by current segment.
  const before = from.map(() => 0);
  for (const segment of previous.values()) before[row.get(segment)!]++;
  const counts = from.map(() => to.map(() => 0));
  const newcomers = to.map(() => 0);
  let both = 0;
  let stayed = 0;
  for (let i = 0; i < ids.length; i++) {
    const after = col.get(segmentIds[i])!;
    const was = previous.get(ids[i]);
    if (was === undefined) {
      newcomers[after]++;
      continue;
    }
    counts[row.get(was)!][after]++;
    both++;
    if (was === segmentIds[i]) stayed++;
  }
  const departed = counts.map((r, i) => before[i] - r.reduce((a, b) => a + b, 0));
  if (departed.some((d) => d > 0)) {
    to.push(NONE);
    counts.forEach((r, i) => r.push(departed[i]));
    newcomers.push(0);
  }
  if (newcomers.some((n) => n > 0)) {
    from.push(NONE);
    counts.push(newcomers);
  }
  const rowShares = counts.map((r) => {
    const total = r.reduce((a, b) => a + b, 0);
    return r.map((c) => (total > 0 ? c / total : 0));
  });
  return { from, to, counts, rowShares, stayedShare: both > 0 ? stayed / both : NaN };
}
