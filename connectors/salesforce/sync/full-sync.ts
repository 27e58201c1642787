import { EngagementTallies } from '../../../domain/engagement';
import { FirstCampaignIndex } from '../first-campaigns';
import { mapCampaign, mapCampaignMember } from '../map-campaign';
import { mapCase } from '../map-case';
import { mapProduct } from '../map-product';
import { mapUser } from '../map-user';
import { mapActivities, type ActivityObject } from './activities';
import { storeContacts } from './contacts';
import { emptyRelations, indexLines, storeOpportunities } from './opportunities';
import { noteNewestStamp, readObject } from './read-objects';
import type { RunContext } from './run-context';
import { countRemoved, storeOutcomes, storeRecords } from './store-records';

/**
 * A full read: every row of every object, stored page by page. Campaigns, their members and the activities
 * come before the contacts, which carry what is counted from them (the first campaign's channel, the
 * engagement tallies); line items and contact roles are indexed before the opportunities that need them.
 * Accounts are not read (contacts read their billing address through the relationship): their cursor is
 * set to the newest change, before the contacts are read, so an incremental read sees later ones. Then
 * every stored record the read did not return is dropped (`retain-only` per type): it was deleted in
 * Salesforce.
 */
export async function fullSync(ctx: RunContext): Promise<void> {
  await readObject(ctx, 'User', undefined, (rows) => storeOutcomes(ctx, 'User', 'rep', rows.map(mapUser)));
  await readObject(ctx, 'Product2', undefined, (rows) =>
    storeOutcomes(ctx, 'Product2', 'product', rows.map(mapProduct)),
  );

  const firstCampaigns = new FirstCampaignIndex();
  if (ctx.features.campaigns) {
    await readObject(ctx, 'Campaign', undefined, async (rows) => {
      for (const row of rows) firstCampaigns.addCampaign(row);
      await storeOutcomes(ctx, 'Campaign', 'campaign', rows.map(mapCampaign));
    });
    await readObject(ctx, 'CampaignMember', undefined, async (rows) => {
      for (const row of rows) firstCampaigns.addMember(row);
      await storeOutcomes(ctx, 'CampaignMember', 'campaignMember', rows.map(mapCampaignMember));
    });
  }

  const tallies = new EngagementTallies();
  for (const object of ['Task', 'Event'] as const satisfies readonly ActivityObject[])
    await readObject(ctx, object, undefined, async (rows) => {
      const { records } = mapActivities(ctx, object, rows);
      for (const activity of records) tallies.add(activity);
      await storeRecords(ctx, 'activity', records);
    });

  await noteNewestStamp(ctx, 'Account');
  await readObject(ctx, 'Contact', undefined, async (rows) => {
    await storeContacts(ctx, rows, { firstCampaigns, tallies });
  });

  const relations = emptyRelations();
  await readObject(ctx, 'OpportunityLineItem', undefined, (rows) => indexLines(ctx, relations, rows));
  await readObject(ctx, 'OpportunityContactRole', undefined, (rows) => {
    for (const row of rows) relations.roles.add(row);
  });
  await readObject(ctx, 'Opportunity', undefined, (rows) => storeOpportunities(ctx, rows, relations));
  await readObject(ctx, 'Case', undefined, (rows) =>
    storeOutcomes(ctx, 'Case', 'serviceCase', rows.map(mapCase)),
  );

  for (const [type, keep] of Object.entries(ctx.storedIds) as [keyof typeof ctx.storedIds, Set<string>][])
    countRemoved(ctx, await ctx.options.sink.apply({ kind: 'retain-only', type, keep }));
}
