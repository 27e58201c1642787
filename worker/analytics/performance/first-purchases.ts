/**
 * When and by whom each customer was won: their first won deal, or their first won order where no deal
 * says (a CSV tenant has orders only). The rep who closed it acquired the customer.
 */
import type { Deal, Order } from '../../../domain/records';

export type FirstPurchase = { customerId: string; at: string; ownerId?: string };

export function firstPurchases(deals: readonly Deal[], orders: readonly Order[]): Map<string, FirstPurchase> {
  const first = new Map<string, FirstPurchase & { ms: number }>();
  const consider = (customerId: string, at: string, ownerId: string | undefined) => {
    const ms = Date.parse(at);
    const known = first.get(customerId);
    if (known === undefined || ms < known.ms)
      first.set(customerId, { customerId, at, ms, ...(ownerId !== undefined ? { ownerId } : {}) });
  };
  for (const d of deals)
    if (d.status === 'won' && d.customerId !== undefined)
      consider(d.customerId, d.closedAt ?? d.createdAt, d.ownerId);
  const byDeal = new Set(first.keys());
  for (const o of orders)
    if (o.status === 'won' && !byDeal.has(o.customerId)) consider(o.customerId, o.placedAt, o.ownerId);
  const out = new Map<string, FirstPurchase>();
  for (const [id, { ms: _ms, ...purchase }] of first) out.set(id, purchase);
  return out;
}
