/**
 * What a CRM knows of customers beyond their orders, for the engine: demographics (age band, gender,
 * region), engagement counters and service cases. CSV imports have none of it; a synced tenant has it, and
 * then it feeds the demographic profiles and the churn model's support and engagement features.
 */
import type { Customer, ServiceCase } from '../../domain/records';

export type CrmCustomerAttributes = {
  birthDate?: string;
  age?: number;
  gender?: string;
  region?: string;
  engagement?: { emailOpens: number; emailClicks: number; pageViews: number; socialClicks: number };
};

export type CrmServiceCase = { customerId: string; openedAtMs: number; priority?: number };

export type CrmAttributes = {
  customers: ReadonlyMap<string, CrmCustomerAttributes>;
  serviceCases: readonly CrmServiceCase[];
};

/**
 * Ticket priority as a rank, higher = more urgent (HubSpot's hs_ticket_priority options LOW, MEDIUM, HIGH,
 * URGENT; Salesforce Case Priority Low, Medium, High). Unknown words have no rank.
 */
const PRIORITY_RANK: Readonly<Record<string, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  urgent: 4,
  critical: 4,
};

export function priorityRank(priority: string | undefined): number | undefined {
  return priority === undefined ? undefined : PRIORITY_RANK[priority.trim().toLowerCase()];
}

export function crmAttributesFromRecords(
  customers: readonly Customer[],
  serviceCases: readonly ServiceCase[],
): CrmAttributes {
  const byId = new Map<string, CrmCustomerAttributes>();
  for (const c of customers) {
    byId.set(c.id, {
      birthDate: c.birthDate,
      age: c.age,
      gender: c.gender,
      region: c.region,
      engagement: c.engagement && {
        emailOpens: c.engagement.emailOpens,
        emailClicks: c.engagement.emailClicks,
        pageViews: c.engagement.pageViews,
        socialClicks: c.engagement.socialClicks,
      },
    });
  }
  const cases: CrmServiceCase[] = [];
  for (const s of serviceCases) {
    const openedAtMs = Date.parse(s.openedAt);
    if (Number.isFinite(openedAtMs))
      cases.push({ customerId: s.customerId, openedAtMs, priority: priorityRank(s.priority) });
  }
  return { customers: byId, serviceCases: cases };
}
