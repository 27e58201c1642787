/**
 * The demo org's campaigns, which the generator (demo-data/, via the HubSpot portal) has no notion of: built
 * from the portal's dates and counters alone, never from its random stream, so the HubSpot sandbox stays
 * seeded exactly as before. Every calendar quarter of the seeded history has an email newsletter (Type Email)
 * and a paid-search campaign (Type Advertisement); a quarter that has ended is Completed with its actual cost,
 * the current one In Progress with only a budget. Memberships (seedMemberships):
 * - a contact whose analytics source is EMAIL_MARKETING or PAID_SEARCH signed up through the newsletter or the
 *   search campaign of its sign-up quarter: a member from its CreatedDate, responded that day, and without a
 *   LeadSource (the campaign is how it was acquired);
 * - a contact with email opens is a member of the newsletter of the quarter of its last activity (if that is
 *   not its sign-up campaign), from the quarter's start or its sign-up, whichever is later: `Responded` on
 *   its last activity day when it has email clicks, else `Sent`.
 * An opportunity's CampaignId (primary campaign source) is the campaign its contact last responded to before
 * the opportunity was created.
 */
import { calendarQuarterOf, type CalendarQuarter } from '../../../demo-data/calendar-quarter';
import { insertRecord, type OrgStore, type SfRecord } from './org-store';

const DAY_MS = 86_400_000;
const sfTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export type CampaignChannel = 'newsletter' | 'search';

const SIGN_UP_CHANNEL: Readonly<Record<string, CampaignChannel>> = {
  EMAIL_MARKETING: 'newsletter',
  PAID_SEARCH: 'search',
};

export type CampaignCalendar = {
  /** The campaign of `channel` running at `ms`, and its quarter. */
  at(channel: CampaignChannel, ms: number): { id: string; quarter: CalendarQuarter };
};

/** Inserts every quarter's two campaigns, created at `setupMs`, and returns the calendar. */
export function seedCampaigns(
  store: OrgStore,
  options: { fromMs: number; toMs: number; setupMs: number; ownerId: string; by: string },
): CampaignCalendar {
  const byQuarter = new Map<string, Record<CampaignChannel, string>>();
  let i = 0;
  for (
    let ms = calendarQuarterOf(options.fromMs).startMs;
    ms <= options.toMs;
    ms = calendarQuarterOf(ms).endMs + 1, i++
  ) {
    const quarter = calendarQuarterOf(ms);
    const completed = quarter.endMs < options.toMs;
    const modifiedMs = completed ? Math.min(quarter.endMs + DAY_MS, options.toMs - 1) : options.setupMs;
    const insert = (name: string, type: string, budget: number, actual: number): string => {
      const record: SfRecord = insertRecord(
        store,
        'Campaign',
        {
          Name: `${name} ${quarter.label}`,
          Type: type,
          Status: completed ? 'Completed' : 'In Progress',
          StartDate: day(quarter.startMs),
          EndDate: day(quarter.endMs),
          BudgetedCost: budget,
          ActualCost: completed ? actual : null,
          CurrencyIsoCode: 'USD',
          IsActive: !completed,
          OwnerId: options.ownerId,
        },
        sfTime(options.setupMs),
        options.by,
      );
      record.LastModifiedDate = record.SystemModstamp = sfTime(modifiedMs);
      return record.Id;
    };
    byQuarter.set(quarter.label, {
      newsletter: insert('Newsletter', 'Email', 2000, 1800 + (i % 4) * 100),
      search: insert('Paid search', 'Advertisement', 12_000, 11_000 + (i % 3) * 500),
    });
  }
  return {
    at(channel, ms) {
      const quarter = calendarQuarterOf(ms);
      const ids = byQuarter.get(quarter.label);
      if (ids === undefined) throw new RangeError(`no campaign seeded for ${quarter.label}`);
      return { id: ids[channel], quarter };
    },
  };
}

/** Whether a contact of this analytics source signed up through a campaign (and so has no LeadSource). */
export function signsUpThroughCampaign(source: string): boolean {
  return SIGN_UP_CHANNEL[source] !== undefined;
}

export type SeededMemberships = {
  /** The primary campaign source of an opportunity created at `ms`, or null. */
  campaignAt(ms: number): string | null;
};

/** A contact's memberships, as the module comment says. */
export function seedMemberships(
  store: OrgStore,
  calendar: CampaignCalendar,
  contact: {
    id: string;
    createdMs: number;
    lastActivityMs: number;
    source: string;
    opens: number;
    clicks: number;
  },
  by: string,
): SeededMemberships {
  const responses: { ms: number; campaignId: string }[] = [];
  const member = (campaignId: string, joinedMs: number, respondedMs: number | null) => {
    const record = insertRecord(
      store,
      'CampaignMember',
      {
        CampaignId: campaignId,
        ContactId: contact.id,
        Status: respondedMs === null ? 'Sent' : 'Responded',
        FirstRespondedDate: respondedMs === null ? null : day(respondedMs),
      },
      sfTime(joinedMs),
      by,
    );
    record.LastModifiedDate = record.SystemModstamp = sfTime(respondedMs ?? joinedMs);
    if (respondedMs !== null) responses.push({ ms: respondedMs, campaignId });
  };
  const signUpChannel = SIGN_UP_CHANNEL[contact.source];
  const signUp = signUpChannel === undefined ? undefined : calendar.at(signUpChannel, contact.createdMs);
  if (signUp !== undefined) member(signUp.id, contact.createdMs, contact.createdMs);
  if (contact.opens > 0) {
    const newsletter = calendar.at('newsletter', contact.lastActivityMs);
    if (newsletter.id !== signUp?.id)
      member(
        newsletter.id,
        Math.max(contact.createdMs, newsletter.quarter.startMs),
        contact.clicks > 0 ? contact.lastActivityMs : null,
      );
  }
  return {
    campaignAt(ms) {
      let latest: { ms: number; campaignId: string } | undefined;
      for (const r of responses) if (r.ms <= ms && (latest === undefined || r.ms >= latest.ms)) latest = r;
      return latest?.campaignId ?? null;
    },
  };
}
