/** HubSpot campaigns into canonical records, on hand-made PublicCampaign rows (property values are strings). */
import { campaignJoinTime, mapCampaign, mapCampaignMember } from '../../../connectors/hubspot/map-campaign';

const GUID = '7f3c2a10-0000-4000-8000-00000000abcd';

describe('mapCampaign', () => {
  it('maps a completed campaign: spend is the cost, dates and currency as given', () => {
    const outcome = mapCampaign({
      id: GUID,
      createdAt: '2025-01-02T09:00:00.000Z',
      updatedAt: '2025-04-01T09:00:00.000Z',
      properties: {
        hs_name: 'Spring sale',
        hs_start_date: '2025-03-01',
        hs_end_date: '2025-03-31',
        hs_campaign_status: 'completed',
        hs_currency_code: 'eur',
        hs_budget_items_sum_amount: '5000',
        hs_spend_items_sum_amount: '4250.5',
      },
    });
    expect(outcome).toEqual({
      kind: 'record',
      record: {
        id: GUID,
        name: 'Spring sale',
        startDate: '2025-03-01',
        endDate: '2025-03-31',
        cost: 4250.5,
        currency: 'EUR',
        status: 'completed',
      },
      warnings: [],
    });
  });

  it('takes the budget while nothing is spent, and has no channel (HubSpot campaigns have no type)', () => {
    const outcome = mapCampaign({
      id: GUID,
      properties: { hs_name: 'Autumn', hs_budget_items_sum_amount: '1200' },
    });
    expect(outcome.kind === 'record' && outcome.record).toEqual({ id: GUID, name: 'Autumn', cost: 1200 });
  });

  it('drops an unreadable date or amount with a warning naming the property, and keeps the campaign', () => {
    const outcome = mapCampaign({
      id: GUID,
      properties: {
        hs_name: 'Odd',
        hs_start_date: 'soon',
        hs_spend_items_sum_amount: 'n/a',
        hs_budget_items_sum_amount: '300',
      },
    });
    expect(outcome.kind).toBe('record');
    if (outcome.kind !== 'record') return;
    expect(outcome.record).toEqual({ id: GUID, name: 'Odd', cost: 300 });
    expect(outcome.warnings).toEqual([
      "hs_spend_items_sum_amount: expected a number, got 'n/a'; value dropped",
      "hs_start_date: expected a date YYYY-MM-DD, got 'soon'; value dropped",
    ]);
  });

  it('rejects a campaign without an id, or without a name, or with a negative cost, naming the field', () => {
    expect(mapCampaign({ properties: { hs_name: 'x' } })).toEqual({
      kind: 'rejected',
      rejection: { type: 'campaign', id: '(no id)', reason: 'id: is required but was not provided' },
    });
    const unnamed = mapCampaign({ id: GUID, properties: {} });
    expect(unnamed.kind === 'rejected' && unnamed.rejection.reason).toMatch(/^name: /);
    const negative = mapCampaign({ id: GUID, properties: { hs_name: 'x', hs_spend_items_sum_amount: '-5' } });
    expect(negative.kind === 'rejected' && negative.rejection.reason).toMatch(/^cost: /);
  });
});

describe('campaign members', () => {
  it('join on the start date at midnight UTC, else when the campaign was created', () => {
    expect(
      campaignJoinTime({ properties: { hs_start_date: '2025-03-01' }, createdAt: '2024-12-01T08:00:00Z' }),
    ).toBe('2025-03-01T00:00:00.000Z');
    expect(campaignJoinTime({ properties: {}, createdAt: '2024-12-01T08:00:00Z' })).toBe(
      '2024-12-01T08:00:00.000Z',
    );
    expect(campaignJoinTime({ properties: {} })).toBeUndefined();
  });

  it('are one per campaign and contact, responded when they joined (an influenced contact interacted)', () => {
    expect(mapCampaignMember(GUID, '101', '2025-03-01T00:00:00.000Z')).toEqual({
      kind: 'record',
      record: {
        id: `${GUID}:101`,
        campaignId: GUID,
        customerId: '101',
        status: 'influenced',
        respondedAt: '2025-03-01T00:00:00.000Z',
        joinedAt: '2025-03-01T00:00:00.000Z',
      },
      warnings: [],
    });
  });

  it('rejects a report row without a contact id', () => {
    expect(mapCampaignMember(GUID, '  ', '2025-03-01T00:00:00.000Z')).toEqual({
      kind: 'rejected',
      rejection: {
        type: 'campaignMember',
        id: `${GUID}:(no id)`,
        reason: 'id: the report listed a contact without an id',
      },
    });
  });
});
