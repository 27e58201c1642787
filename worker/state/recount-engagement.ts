/**
 * The store's side of an `activities` change (connectors/crm-adapter.ts): the changed activities are stored
 * or dropped, and every customer they concern — their owner before the change (an activity moved to another
 * contact, or deleted) and after it, and the customers the adapter stored again this run — gets engagement
 * counters recounted from all of their stored activities (domain/engagement.ts). Recounting from what is
 * stored, never adding to the stored counters, is what keeps a re-read or deleted activity from being counted
 * twice or forever.
 */
import type { RecordChange, RemovedCounts } from '../../connectors/crm-adapter';
import { EngagementTallies } from '../../domain/engagement';
import type { Customer, Engagement } from '../../domain/records';
import type { SinkStore } from './record-store';

type ActivitiesChange = Extract<RecordChange, { kind: 'activities' }>;

export async function applyActivities(
  store: SinkStore,
  tenant: string,
  change: ActivitiesChange,
): Promise<RemovedCounts> {
  const remove = new Set(change.remove);
  const touched = new Set(change.recount);
  if (change.upsert.length === 0 && remove.size === 0 && touched.size === 0) return {};

  const activities = new Map((await store.readRecords(tenant, 'activity')).map((a) => [a.id, a]));
  for (const activity of change.upsert) {
    const before = activities.get(activity.id);
    if (before !== undefined) touched.add(before.customerId);
    touched.add(activity.customerId);
    activities.set(activity.id, activity);
  }
  for (const id of remove) {
    const before = activities.get(id);
    if (before === undefined) continue;
    touched.add(before.customerId);
    activities.delete(id);
  }
  await store.putRecords(tenant, 'activity', change.upsert);
  const removed = await store.deleteRecords(tenant, 'activity', remove);
  if (touched.size === 0) return { activity: removed };

  const tallies = new EngagementTallies();
  for (const activity of activities.values()) if (touched.has(activity.customerId)) tallies.add(activity);
  const recounted: Customer[] = [];
  for (const customer of await store.readRecords(tenant, 'customer')) {
    if (!touched.has(customer.id)) continue;
    const engagement = tallies.of(customer.id);
    if (sameEngagement(customer.engagement, engagement)) continue;
    const { engagement: _old, ...rest } = customer;
    recounted.push(engagement === undefined ? rest : { ...rest, engagement });
  }
  await store.putRecords(tenant, 'customer', recounted);
  return { activity: removed };
}

function sameEngagement(a: Engagement | undefined, b: Engagement | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.pageViews === b.pageViews &&
    a.visits === b.visits &&
    a.emailOpens === b.emailOpens &&
    a.emailClicks === b.emailClicks &&
    a.socialClicks === b.socialClicks &&
    a.lastEngagedAt === b.lastEngagedAt
  );
}
