/**
 * Whose purchase an opportunity is: Salesforce ties opportunities to accounts, and contacts to opportunities
 * through OpportunityContactRole (NOTES §4). The primary role wins ("each Opportunity has only one primary
 * contact"); without one, the earliest role (CreatedDate, then Id), so the choice is stable between runs.
 */
import type { SalesforceRecord } from './query-pages';
import { readBoolean, text } from './record-values';

type Role = { contactId: string; primary: boolean; createdAt: string; id: string };

function better(a: Role, b: Role): boolean {
  if (a.primary !== b.primary) return a.primary;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.id < b.id;
}

export class ContactRoleIndex {
  private readonly best = new Map<string, Role>();

  /** Adds a role row; rows without an opportunity or contact are ignored (nothing to attribute). */
  add(row: SalesforceRecord): void {
    const opportunityId = text(row, 'OpportunityId');
    const contactId = text(row, 'ContactId');
    if (opportunityId === undefined || contactId === undefined) return;
    const primary = readBoolean(row, 'IsPrimary');
    const role: Role = {
      contactId,
      primary: primary.ok && primary.value === true,
      createdAt: text(row, 'CreatedDate') ?? '',
      id: text(row, 'Id') ?? '',
    };
    const current = this.best.get(opportunityId);
    if (current === undefined || better(role, current)) this.best.set(opportunityId, role);
  }

  /** The contact an opportunity is attributed to; undefined when it has no contact role. */
  contactOf(opportunityId: string): string | undefined {
    return this.best.get(opportunityId)?.contactId;
  }
}
