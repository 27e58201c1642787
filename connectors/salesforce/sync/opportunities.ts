/**
 * Opportunities into deals and orders: every one a deal, each won one an order with its line items' lines,
 * both of the contact its roles attribute it to (ContactRoleIndex). Line items and roles are indexed first
 * (whole tables in a full read, only the affected opportunities' rows in an incremental one), then
 * opportunities are mapped a page at a time.
 */
import type { OrderLine } from '../../../domain/records';
import { ContactRoleIndex } from '../contact-roles';
import { mapLineItem } from '../map-line-item';
import type { MapOutcome } from '../../hubspot/map-outcome';
import { mapDeal } from '../map-deal';
import { mapOpportunity, opportunityOutcome } from '../map-opportunity';
import type { SalesforceRecord } from '../query-pages';
import { text } from '../record-values';
import type { RunContext } from './run-context';
import { readWhereIn } from './read-objects';
import { storeOutcomes } from './store-records';

export type Relations = { roles: ContactRoleIndex; lines: Map<string, OrderLine[]> };

export function emptyRelations(): Relations {
  return { roles: new ContactRoleIndex(), lines: new Map() };
}

/** Maps line item rows into `relations.lines`; rejected ones are reported. */
export function indexLines(ctx: RunContext, relations: Relations, rows: readonly SalesforceRecord[]): void {
  for (const row of rows) {
    const outcome = mapLineItem(row);
    if (outcome.kind === 'rejected') {
      ctx.report.skipped.OpportunityLineItem.push({ id: outcome.id, reason: outcome.reason });
      continue;
    }
    const lines = relations.lines.get(outcome.opportunityId);
    if (lines === undefined) relations.lines.set(outcome.opportunityId, [outcome.line]);
    else lines.push(outcome.line);
  }
}

/** Line items and contact roles of these opportunities, read by id lists (incremental reads). */
export async function relationsOf(ctx: RunContext, opportunityIds: readonly string[]): Promise<Relations> {
  const relations = emptyRelations();
  if (opportunityIds.length === 0) return relations;
  indexLines(ctx, relations, await readWhereIn(ctx, 'OpportunityLineItem', 'OpportunityId', opportunityIds));
  for (const row of await readWhereIn(ctx, 'OpportunityContactRole', 'OpportunityId', opportunityIds))
    relations.roles.add(row);
  return relations;
}

/**
 * Every opportunity becomes a deal of its contact-role contact; won and refunded ones also become orders. The
 * two are mapped apart (a deal's and an order's required fields differ), and an opportunity both refuse is
 * reported once, as a deal. Opportunities that are no order are counted and remembered.
 */
export async function storeOpportunities(
  ctx: RunContext,
  rows: readonly SalesforceRecord[],
  relations: Relations,
): Promise<void> {
  const deals: MapOutcome<'deal'>[] = [];
  const orders: MapOutcome<'order'>[] = [];
  for (const row of rows) {
    const id = text(row, 'Id') ?? '';
    const outcome = opportunityOutcome(row);
    if (outcome !== undefined) ctx.report.opportunities[outcome]++;
    const contactId = relations.roles.contactOf(id);
    const deal = mapDeal(row, { contactId, defaultCurrency: ctx.options.defaultCurrency });
    deals.push(deal);
    const order = mapOpportunity(row, {
      contactId,
      lines: relations.lines.get(id),
      defaultCurrency: ctx.options.defaultCurrency,
    });
    if (order.kind !== 'record' && id !== '') ctx.notOrders.add(id);
    if (order.kind !== 'rejected' || deal.kind !== 'rejected') orders.push(order);
  }
  await storeOutcomes(ctx, 'Opportunity', 'deal', deals);
  await storeOutcomes(ctx, 'Opportunity', 'order', orders);
}
