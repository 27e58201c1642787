/**
 * Marketing campaigns and the contacts attributed to them (issue P8), read by every run, full or incremental:
 * the campaigns API has no modified-since filter and a portal has few campaigns, so the whole list is read each
 * time, then each campaign's influencedContacts report, and whatever the store holds beyond them is dropped.
 * A portal whose token lacks marketing.campaigns.read (403) or that has no Marketing Hub Professional (404 on
 * the list) gets one warning and keeps what is stored; the rest of the sync goes on. Contract: the API notes in
 * sandbox/campaign-routes.ts.
 */
import type { Campaign, CampaignMember } from '../../../domain/records';
import { getJson } from '../campaigns/get-json';
import { HubSpotRequestError } from '../errors';
import {
  CAMPAIGN_PROPERTIES,
  campaignJoinTime,
  mapCampaign,
  mapCampaignMember,
  type HubSpotCampaign,
} from '../map-campaign';
import { call, progress } from './hubspot-reads';
import type { RunContext } from './run-context';

const CAMPAIGNS_PATH = '/marketing/v3/campaigns';
/** The list's largest page (1–100) and the contacts report's default page. */
const PAGE_LIMIT = 100;

type Page<T> = { results: T[]; paging?: { next?: { after?: string } } };

export async function syncCampaigns(ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  let listed: HubSpotCampaign[];
  try {
    listed = await listCampaigns(ctx);
  } catch (error) {
    if (!(error instanceof HubSpotRequestError) || (error.status !== 403 && error.status !== 404))
      throw error;
    summary.warnings.push({
      type: 'campaigns',
      id: '(all)',
      warning:
        error.status === 403
          ? 'campaigns not read: the app lacks the marketing.campaigns.read scope; add it and reinstall to ' +
            'report campaigns (stored campaigns are kept)'
          : 'campaigns not read: the portal has no marketing campaigns (Marketing Hub Professional or higher); ' +
            'stored campaigns are kept',
    });
    return;
  }
  summary.read.campaigns = listed.length;

  const campaigns: Campaign[] = [];
  const joinTimes = new Map<string, string>();
  for (const raw of listed) {
    const outcome = mapCampaign(raw);
    if (outcome.kind === 'record') {
      campaigns.push(outcome.record);
      for (const warning of outcome.warnings)
        summary.warnings.push({ type: 'campaigns', id: outcome.record.id, warning });
      const joinedAt = campaignJoinTime(raw);
      if (joinedAt !== undefined) joinTimes.set(outcome.record.id, joinedAt);
      else
        summary.skipped.campaign_members.push({
          id: `${outcome.record.id}:*`,
          reason: 'the campaign has neither hs_start_date nor createdAt, so its members cannot be dated',
        });
    } else if (outcome.kind === 'rejected')
      summary.skipped.campaigns.push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
  }
  await ctx.options.sink.apply({ kind: 'upsert', type: 'campaign', records: campaigns });
  summary.written.campaigns = campaigns.length;

  const memberIds = new Set<string>();
  for (const campaign of campaigns) {
    const joinedAt = joinTimes.get(campaign.id);
    if (joinedAt === undefined) continue;
    const members: CampaignMember[] = [];
    let after: string | undefined;
    do {
      const qs: Record<string, string> = { limit: String(PAGE_LIMIT) };
      if (after !== undefined) qs.after = after;
      const page = await call(ctx.reads, () =>
        getJson<Page<{ id?: string }>>(
          ctx.reads.connection.client,
          `${CAMPAIGNS_PATH}/${encodeURIComponent(campaign.id)}/reports/contacts/influencedContacts`,
          qs,
        ),
      );
      for (const contact of page.results ?? []) {
        const outcome = mapCampaignMember(campaign.id, contact.id, joinedAt);
        if (outcome.kind === 'record') members.push(outcome.record);
        else if (outcome.kind === 'rejected')
          summary.skipped.campaign_members.push({
            id: outcome.rejection.id,
            reason: outcome.rejection.reason,
          });
      }
      after = page.paging?.next?.after;
    } while (after !== undefined);
    summary.read.campaign_members += members.length;
    progress(ctx.reads, 'campaign_members', summary.read.campaign_members);
    await ctx.options.sink.apply({ kind: 'upsert', type: 'campaignMember', records: members });
    for (const m of members) memberIds.add(m.id);
    summary.written.campaign_members += members.length;
  }

  // Every campaign and member was read: what else is stored is gone from HubSpot.
  const removedCampaigns = await ctx.options.sink.apply({
    kind: 'retain-only',
    type: 'campaign',
    keep: new Set(campaigns.map((c) => c.id)),
  });
  summary.removed.campaigns += removedCampaigns.campaign ?? 0;
  const removedMembers = await ctx.options.sink.apply({
    kind: 'retain-only',
    type: 'campaignMember',
    keep: memberIds,
  });
  summary.removed.campaign_members +=
    (removedMembers.campaignMember ?? 0) + (removedCampaigns.campaignMember ?? 0);
}

/** Every campaign, paged with `after`, with the properties the mapper reads. */
async function listCampaigns(ctx: RunContext): Promise<HubSpotCampaign[]> {
  const all: HubSpotCampaign[] = [];
  let after: string | undefined;
  do {
    const qs: Record<string, string> = {
      limit: String(PAGE_LIMIT),
      properties: CAMPAIGN_PROPERTIES.join(','),
    };
    if (after !== undefined) qs.after = after;
    const page = await call(ctx.reads, () =>
      getJson<Page<HubSpotCampaign>>(ctx.reads.connection.client, CAMPAIGNS_PATH, qs),
    );
    all.push(...(page.results ?? []));
    after = page.paging?.next?.after;
    progress(ctx.reads, 'campaigns', all.length);
  } while (after !== undefined);
  return all;
}
