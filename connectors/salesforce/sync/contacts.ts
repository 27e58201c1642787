/**
 * Contacts into customers, a page at a time: the acquisition channel of a contact without LeadSource comes
 * from the first campaign it joined (FirstCampaignIndex: the whole membership table in a full read, the
 * page's contacts' memberships read by id otherwise), the engagement from the activity tallies of a full read
 * (an incremental read has the store recount it, see activities.ts).
 */
import type { EngagementTallies } from '../../../domain/engagement';
import { FirstCampaignIndex } from '../first-campaigns';
import { mapContact } from '../map-contact';
import type { SalesforceRecord } from '../query-pages';
import { text } from '../record-values';
import { readWhereIn } from './read-objects';
import type { RunContext } from './run-context';
import { storeOutcomes } from './store-records';

/** What a membership lookup selects: the member and its campaign's channel, in one query. */
const MEMBERSHIP_FIELDS = ['Id', 'ContactId', 'CampaignId', 'CreatedDate', 'Campaign.Type', 'Campaign.Name'];

export type ContactSources = {
  /** Every membership of the org (a full read); absent: the page's memberships are read. */
  firstCampaigns?: FirstCampaignIndex;
  /** Engagement counted from every activity of the org (a full read). */
  tallies?: EngagementTallies;
};

/** Maps and stores a page of contact rows; returns the ids stored. */
export async function storeContacts(
  ctx: RunContext,
  rows: readonly SalesforceRecord[],
  sources: ContactSources,
): Promise<string[]> {
  const { tenant } = ctx.options;
  const firstCampaigns = sources.firstCampaigns ?? (await membershipsOf(ctx, rows));
  const outcomes = rows.map((row) => {
    const id = text(row, 'Id') ?? '';
    return mapContact(row, {
      tenant,
      engagement: sources.tallies?.of(id),
      firstCampaignChannel: firstCampaigns.channelOf(id),
    });
  });
  const stored = outcomes.flatMap((o) => (o.kind === 'record' ? [o.record.id] : []));
  await storeOutcomes(ctx, 'Contact', 'customer', outcomes);
  return stored;
}

/** The memberships of the contacts in `rows` that have no LeadSource (only they need one). */
async function membershipsOf(
  ctx: RunContext,
  rows: readonly SalesforceRecord[],
): Promise<FirstCampaignIndex> {
  const index = new FirstCampaignIndex();
  if (!ctx.features.campaigns) return index;
  const without = rows.filter((row) => text(row, 'LeadSource') === undefined).map((row) => text(row, 'Id'));
  const ids = without.filter((id): id is string => id !== undefined);
  if (ids.length === 0) return index;
  for (const member of await readWhereIn(ctx, 'CampaignMember', 'ContactId', ids, {
    fields: MEMBERSHIP_FIELDS,
  }))
    index.addMember(member);
  return index;
}
