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
  const from = order(previous.values());
  const to = order(current.values());
  let newcomers = false;
  let departed = false;
  for (const c of current.keys()) if (!previous.has(c)) newcomers = true;
  for (const c of previous.keys()) if (!current.has(c)) departed = true;
  if (newcomers) from.push(NONE);
  if (departed) to.push(NONE);
  const row = new Map(from.map((id, i) => [id, i]));
  const col = new Map(to.map((id, i) => [id, i]));
  const counts = from.map(() => to.map(() => 0));
  let both = 0;
  let stayed = 0;
  for (const [customer, before] of previous) {
    const after = current.get(customer);
    counts[row.get(before)!][col.get(after ?? NONE)!]++;
    if (after !== undefined) {
      both++;
      if (after === before) stayed++;
    }
  }
  for (const [customer, after] of current) {
    if (!previous.has(customer)) counts[row.get(NONE)!][col.get(after)!]++;
  }
  const rowShares = counts.map((r) => {
    const total = r.reduce((a, b) => a + b, 0);
    return r.map((c) => (total > 0 ? c / total : 0));
  });
  return { from, to, counts, rowShares, stayedShare: both > 0 ? stayed / both : NaN };
}
