/**
 * The mappers behind P7's sync coverage, on hand-made rows in the REST shapes of NOTES §4 (dateTimes
 * `…+0000`, dates `YYYY-MM-DD`, parent lookups nested): Opportunity → Deal, Campaign and CampaignMember,
 * Task and Event → activities, a contact's location and acquisition fallbacks, and the engagement counted
 * from activities (domain/engagement.ts's table, worked by hand).
 */
import { FirstCampaignIndex } from '../../../../connectors/salesforce/first-campaigns';
import { mapEvent, mapTask } from '../../../../connectors/salesforce/map-activity';
import { mapCampaign, mapCampaignMember } from '../../../../connectors/salesforce/map-campaign';
import { mapContact } from '../../../../connectors/salesforce/map-contact';
import { mapDeal } from '../../../../connectors/salesforce/map-deal';
import { engagementFromActivities } from '../../../../domain/engagement';

const tenant = 'salesforce-00D000000000001AAA';
const opportunity = {
  Id: '006A',
  Amount: 250.5,
  CloseDate: '2024-03-15',
  IsWon: true,
  IsClosed: true,
  StageName: 'Closed Won',
  LeadSource: 'Partner Referral',
  OwnerId: '005A',
  CreatedDate: '2024-02-01T09:15:00.000+0000',
  CampaignId: '701A',
};

describe('Opportunity → Deal', () => {
  it('maps every outcome: won, lost (a refund stage too) and open without a close time', () => {
    expect(mapDeal(opportunity, { contactId: '003A', defaultCurrency: 'eur' })).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '006A',
        customerId: '003A',
        ownerId: '005A',
        amount: 250.5,
        currency: 'EUR',
        createdAt: '2024-02-01T09:15:00.000Z',
        closedAt: '2024-03-15T00:00:00.000Z',
        stage: 'Closed Won',
        status: 'won',
        source: 'Partner Referral',
        campaignId: '701A',
      },
    });
    const refunded = { ...opportunity, IsWon: false, StageName: 'Refunded', CurrencyIsoCode: 'GBP' };
    expect(mapDeal(refunded, { contactId: undefined })).toMatchObject({
      kind: 'record',
      record: { status: 'lost', stage: 'Refunded', currency: 'GBP', closedAt: '2024-03-15T00:00:00.000Z' },
    });
    const open = mapDeal(
      { ...opportunity, IsWon: false, IsClosed: false, StageName: 'Prospecting', Amount: null },
      { contactId: undefined, defaultCurrency: 'USD' },
    );
    expect(open).toEqual({
      kind: 'record',
      warnings: ['Amount: not set; the deal counts as 0'],
      record: expect.objectContaining({ status: 'open', amount: 0, stage: 'Prospecting' }),
    });
    if (open.kind === 'record') {
      expect(open.record).not.toHaveProperty('closedAt');
      expect(open.record).not.toHaveProperty('customerId');
    }
  });

  it('rejects a deal whose amount, owner, creation time, close date or currency is unusable, naming the field', () => {
    const reason = (row: Record<string, unknown>, currency?: string) => {
      const outcome = mapDeal(row, { contactId: '003A', defaultCurrency: currency });
      return outcome.kind === 'rejected' ? outcome.rejection.reason : outcome.kind;
    };
    expect(reason({ ...opportunity, Amount: 'lots' }, 'EUR')).toBe("Amount: expected a number, got 'lots'");
    expect(reason({ ...opportunity, OwnerId: null }, 'EUR')).toBe(
      'OwnerId: is required but was not provided',
    );
    expect(reason({ ...opportunity, StageName: '' }, 'EUR')).toBe(
      'StageName: is required but was not provided',
    );
    expect(reason({ ...opportunity, CreatedDate: null }, 'EUR')).toBe(
      'CreatedDate: is required but was not provided',
    );
    expect(reason({ ...opportunity, CreatedDate: 'monday' }, 'EUR')).toBe(
      "CreatedDate: expected a dateTime such as 2024-01-05T10:00:00.000+0000, got 'monday'",
    );
    expect(reason({ ...opportunity, CloseDate: null }, 'EUR')).toBe(
      'CloseDate: is required for a closed opportunity but was not provided',
    );
    expect(reason(opportunity)).toMatch(/^CurrencyIsoCode: the org is single-currency/);
  });
});

describe('Campaign and CampaignMember', () => {
  it('takes ActualCost as the cost, else BudgetedCost, and Type as the channel', () => {
    const campaign = {
      Id: '701A',
      Name: 'Newsletter 2026 Q3',
      Type: 'Email',
      Status: 'Completed',
      StartDate: '2026-07-01',
      EndDate: '2026-09-30',
      ActualCost: 1750,
      BudgetedCost: 2000,
    };
    expect(mapCampaign(campaign)).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '701A',
        name: 'Newsletter 2026 Q3',
        startDate: '2026-07-01',
        endDate: '2026-09-30',
        cost: 1750,
        channel: 'Email',
        status: 'Completed',
      },
    });
    expect(mapCampaign({ ...campaign, ActualCost: null, Status: 'In Progress' })).toMatchObject({
      record: { cost: 2000, status: 'In Progress' },
    });
    expect(mapCampaign({ ...campaign, ActualCost: 0 })).toMatchObject({ record: { cost: 0 } });
    expect(mapCampaign({ ...campaign, EndDate: '30.09.2026' })).toMatchObject({
      kind: 'record',
      warnings: ["EndDate: expected a date YYYY-MM-DD, got '30.09.2026'; value dropped"],
    });
  });

  it('maps a member of a contact with its response, and rejects one without a contact', () => {
    const member = {
      Id: '00vA',
      CampaignId: '701A',
      ContactId: '003A',
      Status: 'Responded',
      HasResponded: true,
      FirstRespondedDate: '2026-08-02',
      CreatedDate: '2026-07-30T12:00:00.000+0000',
    };
    expect(mapCampaignMember(member)).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '00vA',
        campaignId: '701A',
        customerId: '003A',
        status: 'Responded',
        respondedAt: '2026-08-02T00:00:00.000Z',
        joinedAt: '2026-07-30T12:00:00.000Z',
      },
    });
    const sent = mapCampaignMember({
      ...member,
      Status: 'Sent',
      HasResponded: false,
      FirstRespondedDate: null,
    });
    expect(sent.kind === 'record' && sent.record).not.toHaveProperty('respondedAt');
    expect(mapCampaignMember({ ...member, ContactId: null })).toEqual({
      kind: 'rejected',
      rejection: {
        type: 'campaignMember',
        id: '00vA',
        reason: 'ContactId: the member is not a contact (a lead, or nobody), so it belongs to no customer',
      },
    });
  });
});

describe('Task and Event → activities', () => {
  const task = {
    Id: '00TA',
    WhoId: '003A',
    TaskSubtype: 'Email',
    IsClosed: true,
    ActivityDate: '2026-05-04',
    CompletedDateTime: '2026-05-03T16:20:00.000+0000',
    CreatedDate: '2026-05-01T08:00:00.000+0000',
  };

  it('counts closed emails and calls and every meeting of a contact, at when they happened', () => {
    expect(mapTask(task)).toEqual({
      kind: 'record',
      warnings: [],
      record: { id: '00TA', customerId: '003A', kind: 'email', occurredAt: '2026-05-03T16:20:00.000Z' },
    });
    expect(mapTask({ ...task, TaskSubtype: 'List Email', CompletedDateTime: null })).toMatchObject({
      record: { kind: 'email', occurredAt: '2026-05-04T00:00:00.000Z' },
    });
    expect(
      mapTask({ ...task, TaskSubtype: 'Call', CompletedDateTime: null, ActivityDate: null }),
    ).toMatchObject({
      record: { kind: 'call', occurredAt: '2026-05-01T08:00:00.000Z' },
    });
    expect(
      mapEvent({
        Id: '00UA',
        WhoId: '003A',
        ActivityDateTime: '2026-06-01T14:00:00.000+0000',
        CreatedDate: task.CreatedDate,
      }),
    ).toMatchObject({ record: { kind: 'meeting', occurredAt: '2026-06-01T14:00:00.000Z' } });
    expect(
      mapEvent({ Id: '00UB', WhoId: '003A', ActivityDateTime: null, ActivityDate: '2026-06-02' }),
    ).toMatchObject({
      record: { kind: 'meeting', occurredAt: '2026-06-02T00:00:00.000Z' },
    });
  });

  it('skips what is no signal: open tasks, to-dos, and activities of leads or of nobody', () => {
    const skipped = (outcome: ReturnType<typeof mapTask>) =>
      outcome.kind === 'skipped' ? outcome.reason : outcome.kind;
    expect(skipped(mapTask({ ...task, TaskSubtype: 'Call', IsClosed: false }))).toBe(
      'the task is still open',
    );
    expect(skipped(mapTask({ ...task, TaskSubtype: 'Task' }))).toBe('a Task task is no activity signal');
    expect(skipped(mapTask({ ...task, TaskSubtype: null }))).toBe('a plain task is no activity signal');
    expect(skipped(mapTask({ ...task, WhoId: '00QA' }))).toBe('the task is not a contact’s (WhoId)');
    expect(skipped(mapEvent({ Id: '00UA', WhoId: null }))).toBe('the event is not a contact’s (WhoId)');
    expect(mapTask({ ...task, CompletedDateTime: 'yesterday' })).toEqual({
      kind: 'rejected',
      rejection: {
        type: 'activity',
        id: '00TA',
        reason:
          "CompletedDateTime: expected a dateTime such as 2024-01-05T10:00:00.000+0000, got 'yesterday'",
      },
    });
  });

  it('counts emails as opens and calls and meetings as visits, with the latest as last engaged', () => {
    expect(
      engagementFromActivities([
        { kind: 'email', occurredAt: '2026-05-03T16:20:00.000Z' },
        { kind: 'call', occurredAt: '2026-06-10T09:00:00.000Z' },
        { kind: 'meeting', occurredAt: '2026-06-01T14:00:00.000Z' },
        { kind: 'email', occurredAt: '2026-04-01T00:00:00.000Z' },
      ]),
    ).toEqual({
      pageViews: 0,
      visits: 2,
      emailOpens: 2,
      emailClicks: 0,
      socialClicks: 0,
      lastEngagedAt: '2026-06-10T09:00:00.000Z',
    });
    expect(engagementFromActivities([])).toBeUndefined();
  });
});

describe('a contact’s fallbacks', () => {
  const contact = { Id: '003A', CreatedDate: '2024-01-05T10:00:00.000+0000', LeadSource: null };
  const account = {
    attributes: { type: 'Account' },
    BillingCountry: 'France',
    BillingState: null,
    BillingCity: 'Lyon',
  };

  it('lives at its Account’s billing address when it has no mailing address, never half of each', () => {
    expect(mapContact({ ...contact, Account: account }, { tenant })).toMatchObject({
      record: { country: 'France', city: 'Lyon' },
    });
    const mailing = mapContact({ ...contact, MailingCity: 'Paris', Account: account }, { tenant });
    expect(mailing).toMatchObject({ record: { city: 'Paris' } });
    expect(mailing.kind === 'record' && mailing.record).not.toHaveProperty('country');
    expect(mapContact({ ...contact, Account: null }, { tenant })).toMatchObject({ kind: 'record' });
  });

  it('names the first campaign it joined as its acquisition channel when it has no LeadSource', () => {
    const index = new FirstCampaignIndex();
    index.addCampaign({ Id: '701B', Type: null, Name: 'Spring fair' });
    index.addMember({
      Id: '00v2',
      ContactId: '003A',
      CampaignId: '701A',
      CreatedDate: '2026-03-02T00:00:00.000+0000',
      Campaign: { Type: 'Webinar', Name: 'Demo day' },
    });
    index.addMember({
      Id: '00v1',
      ContactId: '003A',
      CampaignId: '701B',
      CreatedDate: '2026-03-01T00:00:00.000+0000',
    });
    expect(index.channelOf('003A')).toBe('Spring fair');
    expect(index.channelOf('003Z')).toBeUndefined();
    expect(mapContact(contact, { tenant, firstCampaignChannel: index.channelOf('003A') })).toMatchObject({
      record: { acquisitionChannel: 'Spring fair' },
    });
    expect(
      mapContact({ ...contact, LeadSource: 'Web' }, { tenant, firstCampaignChannel: 'Webinar' }),
    ).toMatchObject({ record: { acquisitionChannel: 'Web' } });
  });
});
