/**
 * The demo org, built from the very portal the HubSpot sandbox seeds (seedPortal of connectors/hubspot/sandbox,
 * which draws from demo-data/): for the same seed and contact count both sandboxes hold the same customers,
 * orders, amounts and dates, so one analytics run gives the same results from either CRM. Mapping:
 * owners → Users; contact → Contact + its own (household) Account; deal → Opportunity (+ primary
 * OpportunityContactRole, ContactId set on create); line item → OpportunityLineItem (Product2 + standard
 * PricebookEntry); ticket → Case; email clicks and visits → Tasks and Events (activity signals); sources and
 * email counters → Campaigns and CampaignMembers (seed-campaigns.ts).
 * HubSpot's `refunded` stage becomes the closed, not-won StageName 'Refunded' (sobject-schema.ts). Every
 * fourth contact (by portal id) has no mailing address, as contacts entered from an account often have none:
 * its Account's billing address holds where it lives.
 */

import { associationsOf } from '../../hubspot/sandbox/sandbox-store';
import { DEFAULT_OBSERVATION_END, seedPortal } from '../../hubspot/sandbox/seed-portal';
import type { SandboxObject } from '../../hubspot/sandbox/types';
import { createOrgStore, insertRecord, type OrgStore, type SfRecord } from './org-store';
import {
  seedCampaigns,
  seedMemberships,
  signsUpThroughCampaign,
  type CampaignCalendar,
} from './seed-campaigns';
import { OPPORTUNITY_STAGES } from './sobject-schema';

export type SeedOrgOptions = { orgId: string; seed: number; contacts: number; observationEnd?: string };

const LEAD_SOURCE: Record<string, string> = {
  ORGANIC_SEARCH: 'Organic Search',
  PAID_SEARCH: 'Paid Search',
  EMAIL_MARKETING: 'Email',
  SOCIAL_MEDIA: 'Social Media',
  REFERRALS: 'Partner Referral',
  DIRECT_TRAFFIC: 'Web',
  OFFLINE: 'Other',
};
const GENDER: Record<string, string> = { female: 'Female', male: 'Male', non_binary: 'Nonbinary' };
/** HubSpot's open stages in order → the standard Sales Process's open stages in order. */
const OPEN_STAGES: Record<string, string> = {
  appointmentscheduled: 'Prospecting',
  qualifiedtobuy: 'Qualification',
  presentationscheduled: 'Needs Analysis',
  decisionmakerboughtin: 'Proposal/Price Quote',
  contractsent: 'Negotiation/Review',
};
const STAGE: Record<string, string> = {
  ...OPEN_STAGES,
  closedwon: 'Closed Won',
  closedlost: 'Closed Lost',
  refunded: 'Refunded',
};
const CASE_STATUS: Record<string, string> = { '1': 'New', '2': 'Working', '3': 'Escalated', '4': 'Closed' };
const CASE_PRIORITY: Record<string, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', URGENT: 'High' };
const CASE_ORIGINS = ['Email', 'Phone', 'Web'];
const sfTime = (iso: string) => iso.replace('Z', '+0000');

/** Inserts with the seeded timestamps (insertRecord stamps one instant; a seeded record has two). */
function seeded(
  store: OrgStore,
  type: string,
  values: Record<string, unknown>,
  created: string,
  modified: string,
  by: string,
): SfRecord {
  const record = insertRecord(store, type, values, sfTime(created), by);
  record.LastModifiedDate = sfTime(modified);
  record.SystemModstamp = sfTime(modified);
  return record;
}

export function seedOrg(options: SeedOrgOptions): OrgStore {
  const portal = seedPortal({
    portalId: options.orgId,
    seed: options.seed,
    contacts: options.contacts,
    observationEnd: options.observationEnd,
  });
  const store = createOrgStore(options.orgId);
  const setupAt = portal.owners[0]?.createdAt ?? new Date(0).toISOString();
  const api = insertRecord(
    store,
    'User',
    {
      Username: 'integration@sandbox.example.com',
      FirstName: 'Integration',
      LastName: 'User',
      Email: 'integration@sandbox.example.com',
      IsActive: true,
    },
    sfTime(setupAt),
    '',
  );
  store.apiUserId = api.Id;
  const by = api.Id;
  const userOf = new Map<string, string>();
  for (const owner of portal.owners) {
    const user = seeded(
      store,
      'User',
      {
        Username: owner.email,
        FirstName: owner.firstName,
        LastName: owner.lastName,
        Email: owner.email,
        IsActive: true,
      },
      setupAt,
      setupAt,
      by,
    );
    userOf.set(owner.id, user.Id);
  }

  const pricebook = seeded(
    store,
    'Pricebook2',
    { Name: 'Standard Price Book', IsActive: true },
    setupAt,
    setupAt,
    by,
  );
  pricebook.IsStandard = true;
  const productOf = new Map<string, { product: string; entry: string }>();
  for (const id of portal.objects.products.ids) {
    const p = portal.objects.products.byId.get(id)!.properties;
    const product = seeded(
      store,
      'Product2',
      { Name: p.name, ProductCode: p.hs_sku, Family: p.category, IsActive: true },
      setupAt,
      setupAt,
      by,
    );
    const entry = seeded(
      store,
      'PricebookEntry',
      {
        Pricebook2Id: pricebook.Id,
        Product2Id: product.Id,
        UnitPrice: Number(p.price),
        IsActive: true,
        UseStandardPrice: false,
      },
      setupAt,
      setupAt,
      by,
    );
    entry.Name = p.name;
    entry.ProductCode = p.hs_sku;
    productOf.set(id, { product: product.Id, entry: entry.Id });
  }

  const campaigns = seedCampaigns(store, {
    fromMs: Date.parse(setupAt),
    toMs: Date.parse(options.observationEnd ?? DEFAULT_OBSERVATION_END),
    setupMs: Date.parse(setupAt),
    ownerId: userOf.get(portal.owners[0]?.id ?? '') ?? by,
    by,
  });
  for (const contactId of portal.objects.contacts.ids) {
    const c = portal.objects.contacts.byId.get(contactId)!;
    seedCustomer(store, portal, c, { userOf, productOf, pricebook: pricebook.Id, by, campaigns });
  }
  return store;
}

type Refs = {
  userOf: Map<string, string>;
  productOf: Map<string, { product: string; entry: string }>;
  pricebook: string;
  by: string;
  campaigns: CampaignCalendar;
};

function seedCustomer(
  store: OrgStore,
  portal: ReturnType<typeof seedPortal>,
  c: SandboxObject,
  refs: Refs,
): void {
  const p = c.properties;
  const owner = refs.userOf.get(p.hubspot_owner_id) ?? refs.by;
  const account = seeded(
    store,
    'Account',
    {
      Name: `${p.firstname} ${p.lastname} Household`,
      Type:
        Number(p.hs_analytics_num_visits) > 0 && p.lifecyclestage === 'customer'
          ? 'Customer - Direct'
          : 'Prospect',
      BillingCity: p.city,
      BillingCountry: p.country,
      OwnerId: owner,
    },
    c.createdAt,
    c.updatedAt,
    refs.by,
  );
  const mailing = Number(c.id) % 4 !== 0;
  const contact = seeded(
    store,
    'Contact',
    {
      AccountId: account.Id,
      FirstName: p.firstname,
      LastName: p.lastname,
      Email: p.email,
      MailingCity: mailing ? p.city : null,
      MailingCountry: mailing ? p.country : null,
      Birthdate: p.date_of_birth ?? null,
      GenderIdentity: p.gender ? GENDER[p.gender] : null,
      LeadSource: signsUpThroughCampaign(p.hs_analytics_source)
        ? null
        : (LEAD_SOURCE[p.hs_analytics_source] ?? null),
      OwnerId: owner,
    },
    c.createdAt,
    c.updatedAt,
    refs.by,
  );
  const memberships = seedMemberships(
    store,
    refs.campaigns,
    {
      id: contact.Id,
      createdMs: Date.parse(c.createdAt),
      lastActivityMs: Date.parse(c.updatedAt),
      source: p.hs_analytics_source,
      opens: Number(p.hs_email_open ?? 0),
      clicks: Number(p.hs_email_click ?? 0),
    },
    refs.by,
  );

  let wonBefore = false;
  for (const edge of associationsOf(portal, 'contacts', 'deals', c.id)) {
    const deal = portal.objects.deals.byId.get(edge.toId)!;
    const d = deal.properties;
    const stage = STAGE[d.dealstage];
    const won = OPPORTUNITY_STAGES.find((s) => s.name === stage)?.won ?? false;
    const opportunity = seeded(
      store,
      'Opportunity',
      {
        AccountId: account.Id,
        ContactId: contact.Id,
        Name: d.dealname,
        StageName: stage,
        Amount: Number(d.amount),
        CloseDate: d.closedate.slice(0, 10),
        Type: wonBefore ? 'Existing Customer - Upgrade' : 'New Customer',
        LeadSource: LEAD_SOURCE[d.hs_analytics_source] ?? null,
        CurrencyIsoCode: d.deal_currency_code,
        Pricebook2Id: refs.pricebook,
        CampaignId: memberships.campaignAt(Date.parse(deal.createdAt)),
        OwnerId: refs.userOf.get(d.hubspot_owner_id) ?? owner,
      },
      deal.createdAt,
      deal.updatedAt,
      refs.by,
    );
    wonBefore ||= won;
    seeded(
      store,
      'OpportunityContactRole',
      {
        OpportunityId: opportunity.Id,
        ContactId: contact.Id,
        Role: 'Decision Maker',
        IsPrimary: true,
      },
      deal.createdAt,
      deal.createdAt,
      refs.by,
    );
    for (const lineEdge of associationsOf(portal, 'deals', 'line_items', deal.id)) {
      const line = portal.objects.line_items.byId.get(lineEdge.toId)!;
      const l = line.properties;
      const product = refs.productOf.get(l.hs_product_id)!;
      const item = seeded(
        store,
        'OpportunityLineItem',
        {
          OpportunityId: opportunity.Id,
          PricebookEntryId: product.entry,
          Product2Id: product.product,
          Quantity: Number(l.quantity),
          UnitPrice: Number(l.price),
          ServiceDate: d.closedate.slice(0, 10),
        },
        line.createdAt,
        line.updatedAt,
        refs.by,
      );
      item.Name = `${d.dealname} ${l.name}`;
      item.ListPrice = Number(l.price);
    }
  }

  for (const edge of associationsOf(portal, 'contacts', 'tickets', c.id)) {
    const ticket = portal.objects.tickets.byId.get(edge.toId)!;
    const t = ticket.properties;
    const status = CASE_STATUS[t.hs_pipeline_stage] ?? 'New';
    const record = seeded(
      store,
      'Case',
      {
        ContactId: contact.Id,
        AccountId: account.Id,
        Subject: t.subject,
        Status: status,
        Priority: CASE_PRIORITY[t.hs_ticket_priority] ?? 'Medium',
        Origin: CASE_ORIGINS[Number(ticket.id) % CASE_ORIGINS.length],
        OwnerId: owner,
      },
      ticket.createdAt,
      ticket.updatedAt,
      refs.by,
    );
    record.ClosedDate = t.closed_date ? sfTime(t.closed_date) : null;
  }

  // Activity signals, spread evenly over the contact's life: one completed email Task per email click
  // (at most 3) and one Event per visit beyond the first (at most 2).
  const startMs = Date.parse(c.createdAt);
  const spanMs = Math.max(0, Date.parse(c.updatedAt) - startMs);
  const at = (k: number, n: number) => new Date(startMs + (spanMs * (k + 1)) / (n + 1)).toISOString();
  const clicks = Math.min(3, Number(p.hs_email_click ?? 0));
  for (let k = 0; k < clicks; k++) {
    const when = at(k, clicks);
    const task = seeded(
      store,
      'Task',
      {
        WhoId: contact.Id,
        Subject: 'Email: clicked a campaign link',
        Status: 'Completed',
        Priority: 'Normal',
        TaskSubtype: 'Email',
        ActivityDate: when.slice(0, 10),
        OwnerId: owner,
      },
      when,
      when,
      refs.by,
    );
    task.CompletedDateTime = sfTime(when);
  }
  const visits = Math.min(2, Math.max(0, Number(p.hs_analytics_num_visits ?? 0) - 1));
  for (let k = 0; k < visits; k++) {
    const when = at(k, visits);
    seeded(
      store,
      'Event',
      {
        WhoId: contact.Id,
        Subject: 'Store visit',
        ActivityDateTime: sfTime(when),
        ActivityDate: when.slice(0, 10),
        DurationInMinutes: 30,
        OwnerId: owner,
      },
      when,
      when,
      refs.by,
    );
  }
}
