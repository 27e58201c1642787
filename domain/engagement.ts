/**
 * A customer's engagement counters (Customer.engagement) recounted from their logged activities, the one rule
 * the connectors (a full read, counting as it goes) and the store (an incremental read, recounting the
 * customers whose activities changed) share, so both give the same counters for the same activities:
 *
 * | activity kind | counts as |
 * |---|---|
 * | email   | an email open: an email exchanged with the customer and logged on their record |
 * | call    | a visit: a conversation, the CRM's counterpart of a visit to the shop or site |
 * | meeting | a visit |
 *
 * lastEngagedAt is the latest activity's time. Page views, email clicks and social clicks are counted by no
 * activity (a CRM's activities do not record them): 0. A customer without activities has no engagement
 * (undefined), as a CRM that records none.
 *
 * @example
 * engagementFromActivities([{ id: 't1', customerId: 'c1', kind: 'email', occurredAt: '2026-01-02T00:00:00.000Z' }])
 *   // → { pageViews: 0, visits: 0, emailOpens: 1, emailClicks: 0, socialClicks: 0, lastEngagedAt: '2026-01-02T00:00:00.000Z' }
 */
import type { Activity, Engagement } from './records';

export class EngagementTally {
  private emailOpens = 0;
  private visits = 0;
  private last: string | undefined;

  add(activity: Pick<Activity, 'kind' | 'occurredAt'>): void {
    if (activity.kind === 'email') this.emailOpens++;
    else this.visits++;
    // ISO-8601 UTC strings of one format compare in time order.
    if (this.last === undefined || activity.occurredAt > this.last) this.last = activity.occurredAt;
  }

  /** The counters so far; undefined before the first activity. */
  engagement(): Engagement | undefined {
    if (this.last === undefined) return undefined;
    return {
      pageViews: 0,
      visits: this.visits,
      emailOpens: this.emailOpens,
      emailClicks: 0,
      socialClicks: 0,
      lastEngagedAt: this.last,
    };
  }
}

export function engagementFromActivities(
  activities: Iterable<Pick<Activity, 'kind' | 'occurredAt'>>,
): Engagement | undefined {
  const tally = new EngagementTally();
  for (const activity of activities) tally.add(activity);
  return tally.engagement();
}

/** Tallies per customer id, for counting a stream of activities of many customers. */
export class EngagementTallies {
  private readonly byCustomer = new Map<string, EngagementTally>();

  add(activity: Pick<Activity, 'customerId' | 'kind' | 'occurredAt'>): void {
    let tally = this.byCustomer.get(activity.customerId);
    if (tally === undefined) this.byCustomer.set(activity.customerId, (tally = new EngagementTally()));
    tally.add(activity);
  }

  /** The customer's engagement; undefined when none of their activities was added. */
  of(customerId: string): Engagement | undefined {
    return this.byCustomer.get(customerId)?.engagement();
  }
}
