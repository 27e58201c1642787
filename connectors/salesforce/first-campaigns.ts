/**
 * The first campaign each contact joined (earliest CampaignMember.CreatedDate, then Id, so the choice is
 * stable between runs), with that campaign's channel: Type, else its name. What a contact without LeadSource
 * names as its acquisition channel (map-contact.ts).
 */
import type { SalesforceRecord } from './query-pages';
import { parentRecord, text, toIsoDateTime } from './record-values';

type First = { joinedAt: string; memberId: string; campaignId: string };

export class FirstCampaignIndex {
  private readonly first = new Map<string, First>();
  private readonly channels = new Map<string, string>();

  /** Notes a campaign's channel (a Campaign row: Type, else Name). */
  addCampaign(row: SalesforceRecord): void {
    const id = text(row, 'Id');
    const channel = text(row, 'Type') ?? text(row, 'Name');
    if (id !== undefined && channel !== undefined) this.channels.set(id, channel);
  }

  /**
   * Adds a CampaignMember row (ContactId, CampaignId, CreatedDate); when it carries its campaign as
   * `Campaign.Type` / `Campaign.Name` relationship fields, that campaign's channel is noted too.
   */
  addMember(row: SalesforceRecord): void {
    const contactId = text(row, 'ContactId');
    const campaignId = text(row, 'CampaignId');
    const raw = text(row, 'CreatedDate');
    const joinedAt = raw === undefined ? undefined : toIsoDateTime(raw);
    if (contactId === undefined || campaignId === undefined || joinedAt === undefined) return;
    const campaign = parentRecord(row, 'Campaign');
    if (campaign !== undefined) this.addCampaign({ ...campaign, Id: campaignId });
    const member: First = { joinedAt, memberId: text(row, 'Id') ?? '', campaignId };
    const current = this.first.get(contactId);
    if (
      current === undefined ||
      member.joinedAt < current.joinedAt ||
      (member.joinedAt === current.joinedAt && member.memberId < current.memberId)
    )
      this.first.set(contactId, member);
  }

  /** The channel of the first campaign the contact joined; undefined when none (or it has no Type or name). */
  channelOf(contactId: string): string | undefined {
    const first = this.first.get(contactId);
    return first === undefined ? undefined : this.channels.get(first.campaignId);
  }
}
