import type { SalesforceRecord } from '../query-pages';
import { mapCampaign, mapCampaignMember } from '../map-campaign';
import { mapCase } from '../map-case';
import { mapProduct } from '../map-product';
import { mapUser } from '../map-user';
import { text } from '../record-values';
import { SYNCED_OBJECTS, type SyncedObject } from '../salesforce-objects';
import { chunk, IN_LIST_SIZE } from '../soql';
import { ActivityChanges, mapActivities } from './activities';
import { storeContacts } from './contacts';
import { relationsOf, storeOpportunities } from './opportunities';
import { readDeleted, readObject, readWhereIn } from './read-objects';
import { cursorName, type RunContext } from './run-context';
import { decodeCursor, type StoredCursor } from './sync-cursor';
import { removeRecords, storeOutcomes } from './store-records';

function ids(rows: readonly SalesforceRecord[], field = 'Id'): string[] {
  return rows.map((row) => text(row, field)).filter((id): id is string => id !== undefined);
}

/**
 * An incremental read (NOTES §5.3): each object queried `WHERE SystemModstamp >= cursor` (minus the rows the
 * cursor saw at its instant; whole when it has no cursor yet), its deletions since the cursor through
 * queryAll. What other objects derive from is re-read with them:
 * - an opportunity, when one of its line items or contact roles changed or was deleted; every changed
 *   opportunity is mapped with its current lines and roles, and one no longer won loses its stored order;
 * - a contact, when its Account changed (the billing address it may fall back to), and a contact without
 *   LeadSource when its memberships changed or a campaign it is a member of did (its acquisition channel);
 * - the engagement of every contact whose activities changed, were deleted or moved, and of every contact
 *   stored again: recounted by the store from the stored activities (one `activities` change at the end).
 */
export async function incrementalSync(ctx: RunContext): Promise<void> {
  const { sink } = ctx.options;
  const cursors: Partial<Record<SyncedObject, StoredCursor>> = {};
  for (const object of SYNCED_OBJECTS) {
    const cursor = decodeCursor(await sink.cursor(cursorName(object)));
    cursors[object] = cursor;
    // A row at the stored instant that this run sees for the first time joins the ids already there.
    if (cursor !== undefined) ctx.newest[object] = { since: cursor.since, ids: new Set(cursor.idsAtSince) };
  }

  await readObject(ctx, 'User', cursors.User, (rows) => storeOutcomes(ctx, 'User', 'rep', rows.map(mapUser)));
  await readObject(ctx, 'Product2', cursors.Product2, (rows) =>
    storeOutcomes(ctx, 'Product2', 'product', rows.map(mapProduct)),
  );
  await readObject(ctx, 'Case', cursors.Case, (rows) =>
    storeOutcomes(ctx, 'Case', 'serviceCase', rows.map(mapCase)),
  );

  const changedCampaigns = new Set<string>();
  const membersOf = new Set<string>();
  if (ctx.features.campaigns) {
    await readObject(ctx, 'Campaign', cursors.Campaign, async (rows) => {
      for (const id of ids(rows)) changedCampaigns.add(id);
      await storeOutcomes(ctx, 'Campaign', 'campaign', rows.map(mapCampaign));
    });
    await readObject(ctx, 'CampaignMember', cursors.CampaignMember, async (rows) => {
      for (const id of ids(rows, 'ContactId')) membersOf.add(id);
      await removeRecords(
        ctx,
        'campaignMember',
        await storeOutcomes(ctx, 'CampaignMember', 'campaignMember', rows.map(mapCampaignMember)),
      );
    });
  }
  const activities = new ActivityChanges();
  for (const object of ['Task', 'Event'] as const)
    await readObject(ctx, object, cursors[object], (rows) =>
      activities.add(mapActivities(ctx, object, rows)),
    );
  const changedAccounts: string[] = [];
  await readObject(ctx, 'Account', cursors.Account, (rows) => void changedAccounts.push(...ids(rows)));
  const storedContacts = new Set<string>();
  const readContacts = new Set<string>();
  await readObject(ctx, 'Contact', cursors.Contact, async (rows) => {
    for (const id of ids(rows)) readContacts.add(id);
    for (const id of await storeContacts(ctx, rows, {})) storedContacts.add(id);
  });

  const reread = new Set<string>();
  for (const object of ['OpportunityLineItem', 'OpportunityContactRole'] as const)
    await readObject(ctx, object, cursors[object], (rows) => {
      for (const id of ids(rows, 'OpportunityId')) reread.add(id);
    });
  const opportunities: SalesforceRecord[] = [];
  await readObject(ctx, 'Opportunity', cursors.Opportunity, (rows) => void opportunities.push(...rows));

  // Deletions since each cursor (an object without one was read whole: nothing stored can be stale).
  const goneContacts = new Set<string>();
  if (cursors.Contact !== undefined) {
    for (const id of ids(await readDeleted(ctx, 'Contact', cursors.Contact))) goneContacts.add(id);
    await removeRecords(ctx, 'customer', [...goneContacts], true);
  }
  if (cursors.Product2 !== undefined)
    await removeRecords(ctx, 'product', ids(await readDeleted(ctx, 'Product2', cursors.Product2)));
  if (cursors.Case !== undefined)
    await removeRecords(ctx, 'serviceCase', ids(await readDeleted(ctx, 'Case', cursors.Case)));
  if (ctx.features.campaigns && cursors.Campaign !== undefined)
    await removeRecords(ctx, 'campaign', ids(await readDeleted(ctx, 'Campaign', cursors.Campaign)), true);
  if (ctx.features.campaigns && cursors.CampaignMember !== undefined) {
    const gone = await readDeleted(ctx, 'CampaignMember', cursors.CampaignMember, ['ContactId']);
    for (const id of ids(gone, 'ContactId')) membersOf.add(id);
    await removeRecords(ctx, 'campaignMember', ids(gone));
  }
  for (const object of ['Task', 'Event'] as const) {
    const cursor = cursors[object];
    if (cursor !== undefined) activities.remove(ids(await readDeleted(ctx, object, cursor)));
  }
  const deletedOpportunities = new Set<string>();
  if (cursors.Opportunity !== undefined) {
    for (const id of ids(await readDeleted(ctx, 'Opportunity', cursors.Opportunity)))
      deletedOpportunities.add(id);
    await removeRecords(ctx, 'order', [...deletedOpportunities]);
    await removeRecords(ctx, 'deal', [...deletedOpportunities]);
  }
  for (const object of ['OpportunityLineItem', 'OpportunityContactRole'] as const) {
    const cursor = cursors[object];
    if (cursor === undefined) continue;
    for (const id of ids(await readDeleted(ctx, object, cursor, ['OpportunityId']), 'OpportunityId'))
      reread.add(id);
  }

  const changed = new Set(ids(opportunities));
  const missing = [...reread].filter((id) => !changed.has(id) && !deletedOpportunities.has(id));
  const extra = await readWhereIn(ctx, 'Opportunity', 'Id', missing);
  ctx.report.read.Opportunity += extra.length;
  opportunities.push(...extra);
  for (const part of chunk(opportunities, IN_LIST_SIZE))
    await storeOpportunities(ctx, part, await relationsOf(ctx, ids(part)));
  await removeRecords(ctx, 'order', [...ctx.notOrders]);

  for (const id of await storeContacts(
    ctx,
    await contactsToRemap(ctx, changedAccounts, changedCampaigns, membersOf, readContacts, goneContacts),
    {},
  ))
    storedContacts.add(id);
  await activities.apply(ctx, storedContacts, goneContacts);
}

/**
 * Contacts not read this run whose derived values may have changed: those of a changed Account (location
 * fallback), and those without LeadSource whose memberships changed or who are members of a changed campaign
 * (acquisition channel). Counted as Contact reads.
 */
async function contactsToRemap(
  ctx: RunContext,
  changedAccounts: readonly string[],
  changedCampaigns: ReadonlySet<string>,
  membersOf: Set<string>,
  read: ReadonlySet<string>,
  gone: ReadonlySet<string>,
): Promise<SalesforceRecord[]> {
  const rows = new Map<string, SalesforceRecord>();
  const keep = (list: readonly SalesforceRecord[]) => {
    for (const row of list) {
      const id = text(row, 'Id');
      if (id !== undefined && !read.has(id) && !gone.has(id)) rows.set(id, row);
    }
  };
  keep(await readWhereIn(ctx, 'Contact', 'AccountId', changedAccounts));
  if (changedCampaigns.size > 0)
    for (const id of ids(
      await readWhereIn(ctx, 'CampaignMember', 'CampaignId', changedCampaigns, {
        fields: ['Id', 'ContactId'],
      }),
      'ContactId',
    ))
      membersOf.add(id);
  const candidates = [...membersOf].filter((id) => !read.has(id) && !gone.has(id) && !rows.has(id));
  keep(await readWhereIn(ctx, 'Contact', 'Id', candidates, { and: 'LeadSource = null' }));
  ctx.report.read.Contact += rows.size;
  return [...rows.values()];
}
