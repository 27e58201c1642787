/**
 * What the canonical records must hold, worked out from the sandbox org's own rows (read straight from its
 * in-memory store, not through the connector) by the documented rules: domain/engagement.ts and
 * connectors/salesforce/map-activity.ts for engagement, map-contact.ts for the location and acquisition
 * channel fallbacks. Written out here independently of the connector's code.
 */
import type { OrgStore, SfRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import type { Engagement } from '../../../../domain/records';

const iso = (sf: unknown): string =>
  new Date(String(sf).replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
const live = (store: OrgStore, type: string): SfRecord[] =>
  [...store.records.get(type)!.values()].filter((r) => r.IsDeleted !== true);

/** Engagement of every contact that has any counted activity, by contact id. */
export function expectedEngagement(store: OrgStore): Map<string, Engagement> {
  const acc = new Map<string, { emailOpens: number; visits: number; last: string }>();
  const count = (who: unknown, field: 'emailOpens' | 'visits', at: string) => {
    if (typeof who !== 'string' || !who.startsWith('003')) return;
    const e = acc.get(who) ?? { emailOpens: 0, visits: 0, last: at };
    e[field]++;
    if (at > e.last) e.last = at;
    acc.set(who, e);
  };
  for (const task of live(store, 'Task')) {
    if (task.IsClosed !== true) continue;
    const at = task.CompletedDateTime
      ? iso(task.CompletedDateTime)
      : task.ActivityDate
        ? `${String(task.ActivityDate)}T00:00:00.000Z`
        : iso(task.CreatedDate);
    if (task.TaskSubtype === 'Email' || task.TaskSubtype === 'List Email')
      count(task.WhoId, 'emailOpens', at);
    if (task.TaskSubtype === 'Call') count(task.WhoId, 'visits', at);
  }
  for (const event of live(store, 'Event'))
    count(
      event.WhoId,
      'visits',
      event.ActivityDateTime
        ? iso(event.ActivityDateTime)
        : event.ActivityDate
          ? `${String(event.ActivityDate)}T00:00:00.000Z`
          : iso(event.CreatedDate),
    );
  return new Map(
    [...acc].map(([id, e]) => [
      id,
      {
        pageViews: 0,
        visits: e.visits,
        emailOpens: e.emailOpens,
        emailClicks: 0,
        socialClicks: 0,
        lastEngagedAt: e.last,
      },
    ]),
  );
}

/** LeadSource, else the Type (else Name) of the campaign of the contact's earliest membership (then lowest Id). */
export function expectedAcquisition(store: OrgStore): Map<string, string | undefined> {
  const members = live(store, 'CampaignMember').sort(
    // Earliest first; on a tie the lower Id (compared by code unit, as ids are ordered).
    (a, b) =>
      iso(a.CreatedDate) < iso(b.CreatedDate)
        ? -1
        : iso(a.CreatedDate) > iso(b.CreatedDate)
          ? 1
          : a.Id < b.Id
            ? -1
            : 1,
  );
  const out = new Map<string, string | undefined>();
  for (const contact of live(store, 'Contact')) {
    if (contact.LeadSource) {
      out.set(contact.Id, String(contact.LeadSource));
      continue;
    }
    const first = members.find((m) => m.ContactId === contact.Id);
    const campaign = first && store.records.get('Campaign')!.get(String(first.CampaignId));
    out.set(contact.Id, campaign ? String(campaign.Type ?? campaign.Name) : undefined);
  }
  return out;
}

/** [country, city] of every contact: the mailing address, else its Account's billing address. */
export function expectedLocation(store: OrgStore): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  for (const contact of live(store, 'Contact')) {
    const account = store.records.get('Account')!.get(String(contact.AccountId));
    const mailing = contact.MailingCountry || contact.MailingState || contact.MailingCity;
    out.set(
      contact.Id,
      mailing
        ? [contact.MailingCountry ?? undefined, contact.MailingCity ?? undefined]
        : [account?.BillingCountry ?? undefined, account?.BillingCity ?? undefined],
    );
  }
  return out;
}
