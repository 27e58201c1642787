/**
 * A tenant's orders oldest first, ties by id: the order a file export would list them in, and the engine's
 * input order (so a run is reproducible row for row).
 *
 * The rule is a comparison of the ISO `placedAt` texts, then of the ids. Comparing texts in the sort's
 * comparator costs ~n log n string compares (10% of a rescore's fit at 100k customers); instead each order's
 * time is parsed once (Date.parse) and the sort compares numbers, the id only on equal times. For the texts
 * the store writes (toISOString: one text per instant, fixed width) the two rules agree; texts that are
 * valid ISO but not of that form (other offsets, no milliseconds, a 31 February that Date.parse rolls over)
 * could disagree, so the result is checked against the text rule in one pass (n - 1 compares) and sorted by
 * the text rule after all when any neighbours are out of its order. Either way the order is the text rule's:
 * ids are unique, so it is a strict total order with one sorted result.
 */
import type { Order } from '../../domain/records';

export function chronologicalOrders(orders: readonly Order[]): Order[] {
  const n = orders.length;
  const time = new Float64Array(n);
  const index: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = Date.parse(orders[i].placedAt);
    // Unparseable texts sort first here; the check below then hands them to the text rule.
    time[i] = t === t ? t : -Infinity;
    index[i] = i;
  }
  index.sort((a, b) => {
    const d = time[a] - time[b];
    if (d !== 0 && d === d) return d;
    return orders[a].id < orders[b].id ? -1 : 1;
  });
  const sorted = index.map((i) => orders[i]);
  for (let i = 1; i < n; i++)
    if (byTextThenId(sorted[i - 1], sorted[i]) > 0) return [...orders].sort(byTextThenId);
  return sorted;
}

/** The rule itself: placedAt texts compared, ties by id. */
function byTextThenId(a: Order, b: Order): number {
  return a.placedAt === b.placedAt ? (a.id < b.id ? -1 : 1) : a.placedAt < b.placedAt ? -1 : 1;
}
