/** Orders → baskets of distinct products, and customers → the distinct products they bought. */
import { RecommendError } from './recommend-error';
import type { Baskets, CustomerItems, LinesInput, OrdersInput } from './types';

export type BasketOptions = {
  /** Keep only orders at or before this time (epoch ms). */
  until?: number;
  /** Per product index: 1 = a recommendable product (see isOnlineRetailProduct); absent = all. */
  productMask?: Uint8Array;
};

/** Builds a product mask from the caller's predicate, called once per product id. */
export function productMaskFrom(
  products: readonly string[],
  isProduct?: (id: string) => boolean,
): Uint8Array {
  const mask = new Uint8Array(products.length);
  for (let p = 0; p < products.length; p++) mask[p] = !isProduct || isProduct(products[p]) ? 1 : 0;
  return mask;
}

/**
 * Groups lines by order (counting sort, O(lines + orders)), drops non-products and repeated products within
 * an order (their amounts are summed), and keeps orders with at least one product, in order index order.
 * Products within a basket stay in first-line order: nothing downstream needs them sorted, and sorting 2.5M
 * small baskets costs more than the rest of the pass.
 */
export function buildBaskets(
  lines: LinesInput,
  orders: OrdersInput,
  productsCount: number,
  customersCount: number,
  options: BasketOptions = {},
): Baskets {
  const ordersCount = orders.customer.length;
  const until = options.until ?? Infinity;
  const mask = options.productMask;
  if (mask && mask.length !== productsCount) {
    throw new RecommendError(
      'INVALID_INPUT',
      `productMask has ${mask.length} entries for ${productsCount} products`,
    );
  }
  const start = new Int32Array(ordersCount + 1);
  const nLines = lines.order.length;
  for (let l = 0; l < nLines; l++) {
    const o = lines.order[l];
    const p = lines.product[l];
    if (o < 0 || o >= ordersCount || p >= productsCount) {
      throw new RecommendError('INVALID_INPUT', `line ${l} refers to order ${o} / product ${p} out of range`);
    }
    if (p >= 0 && (!mask || mask[p]) && orders.time[o] <= until) start[o + 1]++;
  }
  for (let o = 0; o < ordersCount; o++) start[o + 1] += start[o];
  const byOrder = new Int32Array(start[ordersCount]);
  const fill = start.slice(0, ordersCount);
  for (let l = 0; l < nLines; l++) {
    const o = lines.order[l];
    const p = lines.product[l];
    if (p >= 0 && (!mask || mask[p]) && orders.time[o] <= until) byOrder[fill[o]++] = l;
  }

  let basketsCount = 0;
  for (let o = 0; o < ordersCount; o++) if (start[o + 1] > start[o]) basketsCount++;
  const customer = new Int32Array(basketsCount);
  const time = new Float64Array(basketsCount);
  const order = new Int32Array(basketsCount);
  const offsets = new Int32Array(basketsCount + 1);
  const items = new Int32Array(byOrder.length);
  const amounts = new Float64Array(byOrder.length);
  // stamp[p] = basket + 1 while p is in the current basket; slot[p] its position there.
  const stamp = new Int32Array(productsCount);
  const slot = new Int32Array(productsCount);
  const lineAmount = lines.amount;
  let b = 0;
  let n = 0;
  for (let o = 0; o < ordersCount; o++) {
    if (start[o + 1] === start[o]) continue;
    const c = orders.customer[o];
    if (c < 0 || c >= customersCount) {
      throw new RecommendError('INVALID_INPUT', `order ${o} refers to customer ${c} out of range`);
    }
    customer[b] = c;
    time[b] = orders.time[o];
    order[b] = o;
    for (let k = start[o]; k < start[o + 1]; k++) {
      const l = byOrder[k];
      const p = lines.product[l];
      if (stamp[p] !== b + 1) {
        stamp[p] = b + 1;
        slot[p] = n;
        items[n] = p;
        amounts[n] = 0;
        n++;
      }
      amounts[slot[p]] += lineAmount[l];
    }
    offsets[++b] = n;
  }
  return {
    customer,
    time,
    order,
    offsets,
    items: items.slice(0, n),
    amounts: amounts.slice(0, n),
    productsCount,
    customersCount,
  };
}

/**
 * The distinct products of each customer over the included baskets (include[b] = 1; absent = all), with
 * revenue and the latest purchase time per product.
 */
export function customerItems(baskets: Baskets, include?: Uint8Array): CustomerItems {
  const { customersCount, productsCount } = baskets;
  const nBaskets = baskets.customer.length;
  const basketCount = new Int32Array(customersCount);
  let entries = 0;
  for (let b = 0; b < nBaskets; b++) {
    if (include && !include[b]) continue;
    basketCount[baskets.customer[b]]++;
    entries += baskets.offsets[b + 1] - baskets.offsets[b];
  }
  // Baskets grouped by customer (counting sort).
  const start = new Int32Array(customersCount + 1);
  for (let c = 0; c < customersCount; c++) start[c + 1] = start[c] + basketCount[c];
  const byCustomer = new Int32Array(start[customersCount]);
  const fill = start.slice(0, customersCount);
  for (let b = 0; b < nBaskets; b++) {
    if (include && !include[b]) continue;
    byCustomer[fill[baskets.customer[b]]++] = b;
  }
  const offsets = new Int32Array(customersCount + 1);
  const items = new Int32Array(entries);
  const revenue = new Float64Array(entries);
  const lastTime = new Float64Array(entries);
  const stamp = new Int32Array(productsCount);
  const slot = new Int32Array(productsCount);
  let n = 0;
  for (let c = 0; c < customersCount; c++) {
    for (let q = start[c]; q < start[c + 1]; q++) {
      const b = byCustomer[q];
      const t = baskets.time[b];
      for (let e = baskets.offsets[b]; e < baskets.offsets[b + 1]; e++) {
        const p = baskets.items[e];
        if (stamp[p] !== c + 1) {
          stamp[p] = c + 1;
          slot[p] = n;
          items[n] = p;
          revenue[n] = 0;
          lastTime[n] = t;
          n++;
        }
        const s = slot[p];
        revenue[s] += baskets.amounts[e];
        if (t > lastTime[s]) lastTime[s] = t;
      }
    }
    offsets[c + 1] = n;
  }
  return {
    offsets,
    items: items.slice(0, n),
    revenue: revenue.slice(0, n),
    lastTime: lastTime.slice(0, n),
    baskets: basketCount,
    productsCount,
  };
}
