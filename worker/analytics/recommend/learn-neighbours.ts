/** Which transactions co-occurrence is counted over, and the neighbour table learnt from them. */
import { itemNeighbours, type SimilarityOptions } from './item-similarity';
import type { Baskets, CooccurrenceLevel, CustomerItems, ItemNeighbours } from './types';

export function learnNeighbours(
  level: CooccurrenceLevel,
  baskets: Baskets,
  items: CustomerItems,
  similarity: Omit<SimilarityOptions, 'include'> = {},
  includeBaskets?: Uint8Array,
): ItemNeighbours {
  return level === 'basket'
    ? itemNeighbours(baskets, baskets.productsCount, { ...similarity, include: includeBaskets })
    : itemNeighbours(items, items.productsCount, similarity);
}

/** A table without neighbours: recommendations fall back to best sellers (the popularity baseline). */
export function noNeighbours(productsCount: number): ItemNeighbours {
  return {
    offsets: new Int32Array(productsCount + 1),
    neighbour: new Int32Array(0),
    similarity: new Float64Array(0),
    support: new Int32Array(0),
    occurrences: new Int32Array(productsCount),
  };
}
