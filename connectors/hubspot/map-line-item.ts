import type { OrderLine } from '../../domain/records';
import { orderLineSchema } from '../../domain/records';
import type { HubSpotObject } from './hubspot-object';
import { LINE_ITEM_PROPERTIES as P } from './read-properties';
import { readNumber, text } from './property-values';

export type LineOutcome =
  { kind: 'line'; line: OrderLine } | { kind: 'rejected'; id: string; reason: string };

/**
 * HubSpot line item → order line. A line item without hs_product_id is a one-off line typed into the deal;
 * it has no product to recommend, so it is rejected (reported) while the deal's amount still counts.
 * Quantity defaults to 1, as HubSpot does for a line item created without one.
 */
export function mapLineItem(item: HubSpotObject): LineOutcome {
  const props = item.properties ?? {};
  const id = String(item.id ?? '(no id)');
  const productId = text(props, P.productId);
  if (productId === undefined)
    return { kind: 'rejected', id, reason: `${P.productId}: the line item is not linked to a product` };
  const quantity = readNumber(props, P.quantity);
  if (!quantity.ok) return { kind: 'rejected', id, reason: quantity.problem };
  const unitPrice = readNumber(props, P.unitPrice);
  if (!unitPrice.ok) return { kind: 'rejected', id, reason: unitPrice.problem };
  if (unitPrice.value === undefined)
    return { kind: 'rejected', id, reason: `${P.unitPrice}: is required but was not provided` };
  const parsed = orderLineSchema.safeParse({
    productId,
    quantity: quantity.value ?? 1,
    unitPrice: unitPrice.value,
  });
  if (!parsed.success)
    return { kind: 'rejected', id, reason: parsed.error.issues[0]?.message ?? 'invalid line' };
  return { kind: 'line', line: parsed.data };
}
