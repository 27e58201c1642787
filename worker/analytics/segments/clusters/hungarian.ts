/**
 * Minimum-cost assignment (Hungarian algorithm, Kuhn 1955 / Munkres 1957) in the O(n²m) shortest augmenting
 * path form with row and column potentials (as in Jonker & Volgenant 1987's dense formulation). Rectangular
 * matrices are allowed: with more rows than columns the transpose is solved, so every row gets a column when
 * rows ≤ columns and every column gets a row otherwise; the rest stay unassigned (−1).
 */
import { ClusterError } from './errors';

export type Assignment = {
  /** Column per row, −1 when the row is unassigned. */
  rowToColumn: Int32Array;
  /** Row per column, −1 when the column is unassigned. */
  columnToRow: Int32Array;
  /** Σ cost of the assigned pairs. */
  cost: number;
};

/** `cost` is rows × columns, row-major. */
export function hungarian(cost: ArrayLike<number>, rows: number, columns: number): Assignment {
  if (cost.length !== rows * columns) {
    throw new ClusterError(
      'INVALID_CLUSTER_INPUT',
      `The cost matrix has ${cost.length} entries, expected ${rows * columns}.`,
    );
  }
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) {
      throw new ClusterError(
        'INVALID_CLUSTER_INPUT',
        `Cost entry ${i} is ${cost[i]}: every cost must be finite.`,
      );
    }
  }
  if (rows > columns) {
    const t = new Float64Array(rows * columns);
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) t[j * rows + i] = cost[i * columns + j];
    const r = hungarian(t, columns, rows);
    return { rowToColumn: r.columnToRow, columnToRow: r.rowToColumn, cost: r.cost };
  }
  const n = rows;
  const m = columns;
  // 1-based with a virtual column 0, the classic layout of the potential-based algorithm.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // row matched to column j (0: none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    // Flip the augmenting path.
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToColumn = new Int32Array(n).fill(-1);
  const columnToRow = new Int32Array(m).fill(-1);
  let total = 0;
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    rowToColumn[p[j] - 1] = j - 1;
    columnToRow[j - 1] = p[j] - 1;
    total += cost[(p[j] - 1) * m + (j - 1)];
  }
  return { rowToColumn, columnToRow, cost: total };
}
