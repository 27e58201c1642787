import { orderLineSchema, type OrderLine } from '../../domain/records';
import type { SalesforceRecord } from './query-pages';
import { readNumber, text } from './record-values';

export type LineOutcome =
  { kind: 'line'; opportunityId: string; line: OrderLine } | { kind: 'rejected'; id: string; reason: string };

/**
 * OpportunityLineItem → order line of its opportunity. The unit price is TotalPrice / Quantity when both are
 * known, so a line discount counts as what was charged (TotalPrice = Quantity × UnitPrice less discount);
 * otherwise UnitPrice. Quantity defaults to 1.
 */
export function mapLineItem(item: SalesforceRecord): LineOutcome {
  const id = text(item, 'Id') ?? '(no id)';
  const opportunityId = text(item, 'OpportunityId');
  if (opportunityId === undefined)
    return { kind: 'rejected', id, reason: 'OpportunityId: is required but was not provided' };
  const productId = text(item, 'Product2Id');
  if (productId === undefined)
    return { kind: 'rejected', id, reason: 'Product2Id: the line item is not linked to a product' };
  const quantity = readNumber(item, 'Quantity');
  if (!quantity.ok) return { kind: 'rejected', id, reason: quantity.problem };
  const unitPrice = readNumber(item, 'UnitPrice');
  if (!unitPrice.ok) return { kind: 'rejected', id, reason: unitPrice.problem };
  const total = readNumber(item, 'TotalPrice');
  if (!total.ok) return { kind: 'rejected', id, reason: total.problem };
  const qty = quantity.value ?? 1;
  const price =
    total.value !== undefined && quantity.value !== undefined && quantity.value !== 0
      ? total.value / quantity.value
      : unitPrice.value;
  if (price === undefined)
    return { kind: 'rejected', id, reason: 'UnitPrice: is required but was not provided' };
  const parsed = orderLineSchema.safeParse({ productId, quantity: qty, unitPrice: price });
  if (!parsed.success)
    return { kind: 'rejected', id, reason: parsed.error.issues[0]?.message ?? 'invalid line' };
  return { kind: 'line', opportunityId, line: parsed.data };
}
