import type { OrderLine } from '../../../domain/records';

/** Ids that a float64 holds exactly and that print back the same: up to 15 digits, no leading zero. */
const NUMERIC_ID = /^[1-9]\d{0,14}$/;
const INITIAL_CAPACITY = 1024;

/**
 * Line items by id, mapped, for the deals read after them: the order line, or null for a line item that was
 * rejected (already reported). A full sync holds every line item of the portal here while it reads the
 * deals, so the lines are packed into typed arrays (~28 bytes a line) instead of a Map of OrderLine objects
 * (~140 bytes a line with its id string and Map entry: 233k line items were ~30 MiB of live heap, and V8
 * lets the heap grow to a multiple of what is live before it collects).
 *
 * HubSpot lists objects in ascending id order (the `after` cursor is the next id), so ids are appended in
 * order and found by binary search. An id that is not numeric, or comes out of order (a line item read by
 * id later, one listed again), goes to a small Map that is looked up first, so the last `set` wins as in a
 * Map.
 */
export class LineIndex {
  private ids = new Float64Array(INITIAL_CAPACITY);
  /** Index into `productIds`, or -1 for a rejected line item. */
  private products = new Int32Array(INITIAL_CAPACITY);
  private quantities = new Float64Array(INITIAL_CAPACITY);
  private unitPrices = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  /** A portal has a few hundred products and hundreds of thousands of lines: each product id is kept once. */
  private productIds: string[] = [];
  private productSlots = new Map<string, number>();
  private others = new Map<string, OrderLine | null>();

  get size(): number {
    return this.count + this.others.size;
  }

  set(id: string, line: OrderLine | null): void {
    const numeric = NUMERIC_ID.test(id) ? Number(id) : undefined;
    if (numeric === undefined || (this.count > 0 && numeric <= this.ids[this.count - 1])) {
      this.others.set(id, line);
      return;
    }
    if (this.count === this.ids.length) this.grow();
    const at = this.count++;
    this.ids[at] = numeric;
    this.products[at] = line === null ? -1 : this.productSlot(line.productId);
    this.quantities[at] = line?.quantity ?? 0;
    this.unitPrices[at] = line?.unitPrice ?? 0;
  }

  /** The line (a new object each call), null for a rejected line item, undefined for one never set. */
  get(id: string): OrderLine | null | undefined {
    const other = this.others.get(id);
    if (other !== undefined || this.others.has(id)) return other;
    const at = this.position(id);
    if (at < 0) return undefined;
    const product = this.products[at];
    if (product < 0) return null;
    return {
      productId: this.productIds[product],
      quantity: this.quantities[at],
      unitPrice: this.unitPrices[at],
    };
  }

  has(id: string): boolean {
    return this.others.has(id) || this.position(id) >= 0;
  }

  /** Lets the arrays go (a full sync clears the index once the deals are written). */
  clear(): void {
    this.ids = new Float64Array(0);
    this.products = new Int32Array(0);
    this.quantities = new Float64Array(0);
    this.unitPrices = new Float64Array(0);
    this.count = 0;
    this.productIds = [];
    this.productSlots = new Map();
    this.others = new Map();
  }

  private position(id: string): number {
    if (!NUMERIC_ID.test(id)) return -1;
    const wanted = Number(id);
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.ids[middle];
      if (value === wanted) return middle;
      if (value < wanted) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private productSlot(productId: string): number {
    let slot = this.productSlots.get(productId);
    if (slot === undefined) {
      slot = this.productIds.push(productId) - 1;
      this.productSlots.set(productId, slot);
    }
    return slot;
  }

  private grow(): void {
    const capacity = Math.max(INITIAL_CAPACITY, this.ids.length * 2);
    const grown = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.ids = grown(this.ids, new Float64Array(capacity));
    this.products = grown(this.products, new Int32Array(capacity));
    this.quantities = grown(this.quantities, new Float64Array(capacity));
    this.unitPrices = grown(this.unitPrices, new Float64Array(capacity));
  }
}
