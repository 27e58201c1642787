/** Shapes shared by the recommendation modules: sets of products in compressed sparse rows (CSR). */

/** Purchase lines as CleanResult.lines provides them (quantity is not needed). */
export type LinesInput = {
  /** Index into the orders. */
  order: Int32Array;
  /** Index into the products, −1 when the line has no product. */
  product: Int32Array;
  /** Line amount in base currency. */
  amount: Float64Array;
};

/** Orders as CleanResult.orders provides them. */
export type OrdersInput = {
  /** Index into the customers. */
  customer: Int32Array;
  /** Epoch ms UTC. */
  time: Float64Array;
};

/**
 * One basket per order that has at least one product line: its distinct products (in first-line order) are
 * items[offsets[b] … offsets[b+1]), with the order's amount per product in `amounts`.
 */
export type Baskets = {
  customer: Int32Array;
  time: Float64Array;
  /** Index of the basket's order. */
  order: Int32Array;
  offsets: Int32Array;
  items: Int32Array;
  amounts: Float64Array;
  productsCount: number;
  customersCount: number;
};

/**
 * Per customer, the distinct products bought in the included baskets (in first-purchase order):
 * items[offsets[c] … offsets[c+1]), with the revenue and the time of the latest basket containing each.
 */
export type CustomerItems = {
  offsets: Int32Array;
  items: Int32Array;
  revenue: Float64Array;
  lastTime: Float64Array;
  /** Included baskets per customer. */
  baskets: Int32Array;
  productsCount: number;
};

/**
 * Top-K neighbours per product, by decreasing similarity: neighbour[offsets[p] … offsets[p+1]), with the
 * similarity and the co-occurrence count (support) of each pair.
 */
export type ItemNeighbours = {
  offsets: Int32Array;
  neighbour: Int32Array;
  similarity: Float64Array;
  support: Int32Array;
  /** Transactions (baskets or customers) containing each product. */
  occurrences: Int32Array;
};

/**
 * 'basket' (default): two products co-occur when bought in the same order. 'customer': when the same
 * customer bought both, at any time (the customer's whole history is one transaction). On Online Retail the
 * two recommend about equally well (hit rate@5 of the held-out last basket 21.7% vs 21.3% with the defaults,
 * 21.0% vs 20.0% with 30 neighbours), and the basket level is cheaper: Σ|basket|² < Σ|history|², and a
 * wholesaler's history of 1,000+ products links everything to everything.
 */
export type CooccurrenceLevel = 'basket' | 'customer';

/** Why a product is recommended: co-purchase with one of the customer's products, or a best seller. */
export type ReasonKind = 'often-bought-with' | 'segment-best-seller' | 'best-seller';

/** Product indices ranked best first for one population (a segment or everyone). */
export type BestSellerList = Int32Array;
