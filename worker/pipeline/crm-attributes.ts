/**
 * What a CRM knows of customers beyond their orders, for the engine: demographics (age band, gender,
 * region), engagement counters and service cases. CSV imports have none of it; a synced tenant has it, and
 * then it feeds the demographic profiles and the churn model's support and engagement features.
 */
import type { Customer, ServiceCase } from '../../domain/records';

export type CrmCustomerAttributes = {
  /** For the next best actions' texts ("Call Ada this week"). */
  firstName?: string;
  birthDate?: string;
  age?: number;
  gender?: string;
  region?: string;
  engagement?: { emailOpens: number; emailClicks: number; pageViews: number; socialClicks: number };
};

export type CrmServiceCase = {
  customerId: string;
  openedAtMs: number;
  /** When it was closed; absent while open (or when the CRM closed it without a date: see `closed`). */
  closedAtMs?: number;
  /** True when the CRM says the case is closed, with or without a close date. */
  closed: boolean;
  priority?: number;
};

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

/**
 * A status that says the case is over (HubSpot's default ticket pipeline stage "Closed", Salesforce's Case
 * Status "Closed"; "Resolved" in many custom pipelines), for cases a CRM closed without a close date.
 */
const CLOSED_STATUS = /\b(closed|resolved|done|solved)\b/i;

/**
 * Service cases open at the end of `endDay` (UTC day number): opened on or before it and not closed by then.
 * A case closed without a date counts as closed: the CRM says it is over, and no date says when.
 */
export function openCasesAt(cases: readonly CrmServiceCase[], endDay: number): Map<string, number> {
  const endMs = (endDay + 1) * 86_400_000;
  const open = new Map<string, number>();
  for (const c of cases) {
    if (c.openedAtMs >= endMs) continue;
    if (c.closed && (c.closedAtMs === undefined || c.closedAtMs < endMs)) continue;
    open.set(c.customerId, (open.get(c.customerId) ?? 0) + 1);
  }
  return open;
}

export function crmAttributesFromRecords(
  customers: readonly Customer[],
  serviceCases: readonly ServiceCase[],
): CrmAttributes {
  const byId = new Map<string, CrmCustomerAttributes>();
  for (const c of customers) {
    byId.set(c.id, {
      firstName: c.firstName?.trim() || undefined,
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
    if (!Number.isFinite(openedAtMs)) continue;
    const closedAtMs = s.closedAt === undefined ? NaN : Date.parse(s.closedAt);
    const closed = Number.isFinite(closedAtMs) || CLOSED_STATUS.test(s.status ?? '');
    cases.push({
      customerId: s.customerId,
      openedAtMs,
      ...(Number.isFinite(closedAtMs) ? { closedAtMs } : {}),
      closed,
      priority: priorityRank(s.priority),
    });
  }
  return { customers: byId, serviceCases: cases };
}
