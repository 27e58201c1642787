/**
 * Opportunities into orders: each won one with its line items' lines and the contact its roles attribute it to
 * (ContactRoleIndex). Line items and roles are indexed first (whole tables in a full read, only the affected
 * opportunities' rows in an incremental one), then opportunities are mapped a page at a time.
 */
import type { OrderLine } from '../../../domain/records';
import { ContactRoleIndex } from '../contact-roles';
import { mapLineItem } from '../map-line-item';
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

/** Won opportunities become orders; the others are counted and remembered as not orders. */
export async function storeOpportunities(
  ctx: RunContext,
  rows: readonly SalesforceRecord[],
  relations: Relations,
): Promise<void> {
  const outcomes = rows.map((row) => {
    const id = text(row, 'Id') ?? '';
    const outcome = opportunityOutcome(row);
    if (outcome !== undefined) ctx.report.opportunities[outcome]++;
    const mapped = mapOpportunity(row, {
      contactId: relations.roles.contactOf(id),
      lines: relations.lines.get(id),
      defaultCurrency: ctx.options.defaultCurrency,
    });
    if (mapped.kind !== 'record' && id !== '') ctx.notOrders.add(id);
    return mapped;
  });
  await storeOutcomes(ctx, 'Opportunity', 'order', outcomes);
}
