/**
 * The demo portal's marketing campaigns, which the generator (demo-data/) has no notion of: built from the
 * seeded contacts' dates and counters alone, never from the random stream, so every other object stays seeded
 * exactly as before. Every calendar quarter from the portal's setup to the observation end has an email
 * newsletter and a paid-search campaign; a quarter that has ended is `completed` with spend items, the current
 * one `in_progress` with only a budget. Attribution (what the contacts reports list):
 * - a contact whose analytics source is EMAIL_MARKETING or PAID_SEARCH was created through the newsletter or
 *   the search campaign of its creation quarter: that campaign's first touch, last touch and influenced contact;
 * - a contact with email clicks interacted with the newsletter of the quarter of its last activity: an
 *   influenced contact of it (an email click is an interaction; an open alone is not counted).
 * The rule is the one the Salesforce sandbox uses for its CampaignMembers (salesforce/sandbox/seed-campaigns),
 * with clicks as the interaction, so both demo tenants report comparable campaigns.
 */
import { calendarQuarterOf } from '../../../demo-data/calendar-quarter';
import type { SandboxStore } from './sandbox-store';

const DAY_MS = 86_400_000;

export const CONTACT_TYPES = ['contactFirstTouch', 'contactLastTouch', 'influencedContacts'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export type SandboxCampaign = {
  /** campaignGuid: a UUID, as HubSpot's. */
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Property values as strings (what `properties=` selects from). */
  properties: Record<string, string>;
  /** Contact ids per report type, ascending. */
  contacts: Record<ContactType, string[]>;
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A deterministic version-4-shaped UUID for the n-th campaign. */
export function campaignGuid(n: number): string {
  return `c0ffee00-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const SIGN_UP: Readonly<Record<string, 'newsletter' | 'search'>> = {
  EMAIL_MARKETING: 'newsletter',
  PAID_SEARCH: 'search',
};

/** Every quarter's two campaigns with their attributed contacts, as the module comment says. */
export function seedCampaigns(store: SandboxStore, options: { observationEndMs: number }): SandboxCampaign[] {
  const setupMs = Date.parse(store.owners[0]?.createdAt ?? new Date(0).toISOString());
  const toMs = options.observationEndMs;
  const campaigns: SandboxCampaign[] = [];
  const byQuarter = new Map<string, { newsletter: SandboxCampaign; search: SandboxCampaign }>();
  let i = 0;
  for (let ms = calendarQuarterOf(setupMs).startMs; ms <= toMs; ms = calendarQuarterOf(ms).endMs + 1, i++) {
    const quarter = calendarQuarterOf(ms);
    const completed = quarter.endMs < toMs;
    const updatedMs = completed ? Math.min(quarter.endMs + DAY_MS, toMs - 1) : setupMs;
    const make = (name: string, budget: number, spend: number): SandboxCampaign => {
      const properties: Record<string, string> = {
        hs_name: `${name} ${quarter.label}`,
        hs_start_date: day(quarter.startMs),
        hs_end_date: day(quarter.endMs),
        hs_campaign_status: completed ? 'completed' : 'in_progress',
        hs_currency_code: 'USD',
        hs_budget_items_sum_amount: String(budget),
      };
      if (completed) properties.hs_spend_items_sum_amount = String(spend);
      const campaign: SandboxCampaign = {
        id: campaignGuid(campaigns.length + 1),
        createdAt: new Date(setupMs).toISOString(),
        updatedAt: new Date(updatedMs).toISOString(),
        properties,
        contacts: { contactFirstTouch: [], contactLastTouch: [], influencedContacts: [] },
      };
      campaigns.push(campaign);
      return campaign;
    };
    byQuarter.set(quarter.label, {
      newsletter: make('Newsletter', 2000, 1800 + (i % 4) * 100),
      search: make('Paid search', 12_000, 11_000 + (i % 3) * 500),
    });
  }
  const at = (channel: 'newsletter' | 'search', ms: number): SandboxCampaign => {
    const label = calendarQuarterOf(ms).label;
    const pair = byQuarter.get(label);
    if (pair === undefined) throw new RangeError(`no campaign seeded for ${label}`);
    return pair[channel];
  };

  const table = store.objects.contacts;
  for (const id of table.ids) {
    const contact = table.byId.get(id)!;
    const p = contact.properties;
    const channel = SIGN_UP[p.hs_analytics_source ?? ''];
    const signUp = channel === undefined ? undefined : at(channel, Date.parse(contact.createdAt));
    if (signUp !== undefined) {
      signUp.contacts.contactFirstTouch.push(id);
      signUp.contacts.contactLastTouch.push(id);
      signUp.contacts.influencedContacts.push(id);
    }
    if (Number(p.hs_email_click ?? 0) > 0) {
      const newsletter = at('newsletter', Date.parse(contact.updatedAt));
      if (newsletter !== signUp) newsletter.contacts.influencedContacts.push(id);
    }
  }
  // Contact ids are numeric strings seeded in ascending order; the reports page through them in that order.
  return campaigns;
}
