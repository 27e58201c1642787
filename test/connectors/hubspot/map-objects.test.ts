import { indexStages, stageOutcome } from '../../../connectors/hubspot/deal-stages';
import type { HubSpotObject, HubSpotPipeline } from '../../../connectors/hubspot/hubspot-object';
import { mapContact } from '../../../connectors/hubspot/map-contact';
import { dealOutcome, mapDeal } from '../../../connectors/hubspot/map-deal';
import { mapDealRecord } from '../../../connectors/hubspot/map-deal-record';
import { mapLineItem } from '../../../connectors/hubspot/map-line-item';
import { mapOwner } from '../../../connectors/hubspot/map-owner';
import { mapProduct } from '../../../connectors/hubspot/map-product';
import { mapTicket } from '../../../connectors/hubspot/map-ticket';

function buildObject(id: string, properties: Record<string, string>): HubSpotObject {
  return {
    id,
    properties,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-06-01T10:00:00.000Z',
    archived: false,
  };
}

// Stage metadata exactly as NOTES §4.4 shows it (strings), plus a custom pipeline with numeric stage ids.
const PIPELINES: HubSpotPipeline[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    stages: [
      {
        id: 'appointmentscheduled',
        label: 'Appointment scheduled',
        metadata: { isClosed: 'false', probability: '0.2' },
      },
      { id: 'closedwon', label: 'Closed won', metadata: { isClosed: 'true', probability: '1.0' } },
      { id: 'closedlost', label: 'Closed lost', metadata: { isClosed: 'true', probability: '0.0' } },
    ],
  },
  {
    id: '777',
    label: 'Renewals',
    stages: [
      { id: '1001', label: 'Signed', metadata: { isClosed: 'true', probability: '1.0' } },
      { id: '1002', label: 'Churned', metadata: { isClosed: 'true', probability: '0.0' } },
    ],
  },
];
const stages = indexStages(PIPELINES);

describe('mapContact', () => {
  it('maps demographics and the engagement counters', () => {
    const outcome = mapContact(
      buildObject('101', {
        email: 'a@example.com',
        firstname: 'Ada',
        lastname: 'Lovelace',
        country: 'France',
        state: 'Île-de-France',
        city: 'Paris',
        date_of_birth: '1990-02-01',
        gender: 'female',
        lifecyclestage: 'customer',
        hubspot_owner_id: '41629779',
        hs_analytics_source: 'ORGANIC_SEARCH',
        hs_analytics_num_page_views: '12',
        hs_analytics_num_visits: '5.0',
        hs_email_open: '3',
        hs_email_click: '1',
        hs_social_num_broadcast_clicks: '0',
        hs_last_sales_activity_timestamp: '2024-05-20T08:00:00.000Z',
        hs_email_last_open_date: '1716800000000',
      }),
      { tenant: '1000' },
    );
    expect(outcome).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '101',
        tenant: '1000',
        source: 'hubspot',
        externalId: '101',
        createdAt: '2024-05-01T10:00:00.000Z',
        updatedAt: '2024-06-01T10:00:00.000Z',
        email: 'a@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        country: 'France',
        region: 'Île-de-France',
        city: 'Paris',
        birthDate: '1990-02-01',
        gender: 'female',
        lifecycleStage: 'customer',
        ownerId: '41629779',
        acquisitionChannel: 'ORGANIC_SEARCH',
        engagement: {
          pageViews: 12,
          visits: 5,
          emailOpens: 3,
          emailClicks: 1,
          socialClicks: 0,
          // 1716800000000 ms = 2024-05-27T08:53:20Z, later than the sales activity.
          lastEngagedAt: '2024-05-27T08:53:20.000Z',
        },
      },
    });
  });

  it('reads an age when there is no birth date and drops unreadable optional values with a warning', () => {
    const outcome = mapContact(
      buildObject('102', { age: '41', date_of_birth: 'sometime in May', hs_analytics_num_visits: 'many' }),
      { tenant: '1000' },
    );
    expect(outcome.kind).toBe('record');
    if (outcome.kind !== 'record') return;
    expect(outcome.record.age).toBe(41);
    expect(outcome.record.birthDate).toBeUndefined();
    expect(outcome.record.engagement).toBeUndefined();
    expect(outcome.warnings).toEqual([
      "hs_analytics_num_visits: expected a number, got 'many'; value dropped",
      "date_of_birth: expected a date YYYY-MM-DD, got 'sometime in May'; value dropped",
    ]);
  });

  it('takes createdate when the object has no createdAt, and rejects a contact without a creation time', () => {
    const fromProperty = mapContact(
      { id: '103', properties: { createdate: '1714557600000', lastmodifieddate: '2024-05-02T00:00:00Z' } },
      { tenant: 't' },
    );
    expect(fromProperty.kind === 'record' && fromProperty.record.createdAt).toBe('2024-05-01T10:00:00.000Z');
    const outcome = mapContact({ id: '104', properties: { createdate: 'not a date' } }, { tenant: 't' });
    expect(outcome).toEqual({
      kind: 'rejected',
      rejection: {
        type: 'customer',
        id: '104',
        reason:
          "createdAt: expected an ISO-8601 datetime such as 2024-05-01T10:00:00.000Z, got 'not a date'; " +
          'updatedAt: is required but was not provided',
      },
    });
  });
});

describe('deal stages', () => {
  it('classifies by metadata, not by stage id (NOTES §4.4)', () => {
    expect(PIPELINES[0].stages.map(stageOutcome)).toEqual(['open', 'won', 'lost']);
    expect(PIPELINES[1].stages.map(stageOutcome)).toEqual(['won', 'lost']);
    expect(stageOutcome({ id: 'x', label: 'x', metadata: { probability: '1' } })).toBe('won');
    expect(stageOutcome({ id: 'x', label: 'x' })).toBe('open');
  });

  it('reads a closed 0% stage named for a refund or return as refunded, not lost', () => {
    const closed = { isClosed: 'true', probability: '0.0' };
    expect(stageOutcome({ id: '881', label: 'Refunded', metadata: closed })).toBe('refunded');
    expect(stageOutcome({ id: '882', label: 'Returned to store', metadata: closed })).toBe('refunded');
    expect(stageOutcome({ id: 'chargeback', label: 'CB', metadata: closed })).toBe('refunded');
    expect(stageOutcome({ id: '883', label: 'Closed lost', metadata: closed })).toBe('lost');
    // An open stage that merely mentions returns (e.g. "Return visit booked") is still open.
    expect(
      stageOutcome({
        id: '884',
        label: 'Return visit booked',
        metadata: { isClosed: 'false', probability: '0.3' },
      }),
    ).toBe('open');
  });

  it('finds stages by pipeline and stage, or by a unique stage id', () => {
    expect(stages.find('777', '1001')?.label).toBe('Signed');
    expect(stages.find(undefined, 'closedwon')?.label).toBe('Closed won');
    expect(stages.find('default', '1001')).toBeUndefined();
    expect(stages.find('unknown-pipeline', '1001')?.label).toBe('Signed');
    expect(stages.find('default', 'nope')).toBeUndefined();
  });
});

describe('mapDeal', () => {
  const won = {
    amount: '1250.50',
    deal_currency_code: 'eur',
    closedate: '2024-05-03T00:00:00.000Z',
    pipeline: '777',
    dealstage: '1001',
    hs_analytics_source: 'PAID_SEARCH',
    hubspot_owner_id: '41629779',
  };

  it('maps a won deal to an order with its lines', () => {
    const outcome = mapDeal(buildObject('9001', won), {
      stages,
      contactIds: ['101'],
      lines: [{ productId: 'p1', quantity: 2, unitPrice: 625.25 }],
    });
    expect(outcome).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '9001',
        customerId: '101',
        placedAt: '2024-05-03T00:00:00.000Z',
        amount: 1250.5,
        currency: 'EUR',
        status: 'won',
        channel: 'PAID_SEARCH',
        ownerId: '41629779',
        lines: [{ productId: 'p1', quantity: 2, unitPrice: 625.25 }],
      },
    });
  });

  it('skips open and lost deals, which are not orders', () => {
    const lost = mapDeal(buildObject('9002', { ...won, dealstage: '1002' }), { stages, contactIds: ['101'] });
    expect(lost).toEqual({ kind: 'skipped', type: 'order', id: '9002', reason: 'deal is lost' });
    const open = buildObject('9003', { ...won, pipeline: 'default', dealstage: 'appointmentscheduled' });
    expect(mapDeal(open, { stages, contactIds: ['101'] }).kind).toBe('skipped');
    expect(dealOutcome(open, stages)).toBe('open');
  });

  it('rejects won deals that cannot be orders, with the reason', () => {
    const reason = (
      props: Record<string, string>,
      contactIds: string[] = ['101'],
      defaultCurrency?: string,
    ) => {
      const outcome = mapDeal(buildObject('9004', props), { stages, contactIds, defaultCurrency });
      return outcome.kind === 'rejected' ? outcome.rejection.reason : outcome.kind;
    };
    expect(reason({ ...won, amount: 'abc' })).toBe("amount: expected a number, got 'abc'");
    expect(reason({ ...won, amount: '' })).toBe('amount: is required but was not provided');
    expect(reason(won, [])).toMatch(/^customerId: the won deal has no associated contact/);
    expect(reason({ ...won, dealstage: '999' })).toMatch(/^dealstage: stage '999' is not in pipeline '777'/);
    const { deal_currency_code: _omit, ...noCurrency } = won;
    expect(reason(noCurrency)).toMatch(/^deal_currency_code: is required/);
    expect(reason(noCurrency, ['101'], 'GBP')).toBe('record');
  });
});

describe('mapDealRecord', () => {
  const deal = {
    amount: '1250.50',
    deal_currency_code: 'eur',
    closedate: '2024-05-03T15:00:00.000Z',
    pipeline: '777',
    dealstage: '1001',
    hs_analytics_source: 'PAID_SEARCH',
    hubspot_owner_id: '41629779',
  };

  it('maps every deal of every pipeline, won, lost and open, to a Deal named by its stage label', () => {
    expect(mapDealRecord(buildObject('9001', deal), { stages, contactIds: ['101', '102'] })).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '9001',
        customerId: '101',
        ownerId: '41629779',
        amount: 1250.5,
        currency: 'EUR',
        createdAt: '2024-05-01T10:00:00.000Z',
        closedAt: '2024-05-03T15:00:00.000Z',
        stage: 'Signed',
        status: 'won',
        source: 'PAID_SEARCH',
      },
    });
    expect(
      mapDealRecord(buildObject('9002', { ...deal, dealstage: '1002' }), { stages, contactIds: [] }),
    ).toMatchObject({ kind: 'record', record: { status: 'lost', stage: 'Churned' } });
    const open = mapDealRecord(
      buildObject('9003', { ...deal, pipeline: 'default', dealstage: 'appointmentscheduled', amount: '' }),
      { stages, contactIds: ['101'] },
    );
    expect(open).toMatchObject({
      kind: 'record',
      warnings: ['amount: not set; the deal counts as 0'],
      record: { status: 'open', stage: 'Appointment scheduled', amount: 0 },
    });
    expect(open.kind === 'record' && open.record).not.toHaveProperty('closedAt');
    // A closed deal without a close date closed when it was last modified, as for orders.
    const { closedate: _none, ...undated } = deal;
    expect(mapDealRecord(buildObject('9004', undated), { stages, contactIds: [] })).toMatchObject({
      record: { closedAt: '2024-06-01T10:00:00.000Z' },
    });
  });

  it('rejects a deal in an unknown stage, with a bad amount or without owner or currency', () => {
    const reason = (props: Record<string, string>, defaultCurrency?: string) => {
      const outcome = mapDealRecord(buildObject('9005', props), { stages, contactIds: [], defaultCurrency });
      return outcome.kind === 'rejected' ? outcome.rejection.reason : outcome.kind;
    };
    expect(reason({ ...deal, amount: 'abc' })).toBe("amount: expected a number, got 'abc'");
    expect(reason({ ...deal, dealstage: '999' })).toMatch(/^dealstage: stage '999' is not in pipeline '777'/);
    expect(reason({ ...deal, hubspot_owner_id: '' })).toBe(
      'hubspot_owner_id: the deal has no owner; assign one in HubSpot',
    );
    const { deal_currency_code: _omit, ...noCurrency } = deal;
    expect(reason(noCurrency)).toMatch(/^deal_currency_code: is required/);
    expect(reason(noCurrency, 'GBP')).toBe('record');
  });
});

describe('line items, products, owners, tickets', () => {
  it('maps a line item to an order line, defaulting quantity to 1', () => {
    expect(mapLineItem(buildObject('l1', { hs_product_id: 'p1', quantity: '3', price: '9.99' }))).toEqual({
      kind: 'line',
      line: { productId: 'p1', quantity: 3, unitPrice: 9.99 },
    });
    expect(mapLineItem(buildObject('l2', { hs_product_id: 'p1', price: '5' }))).toEqual({
      kind: 'line',
      line: { productId: 'p1', quantity: 1, unitPrice: 5 },
    });
    expect(mapLineItem(buildObject('l3', { price: '5' }))).toEqual({
      kind: 'rejected',
      id: 'l3',
      reason: 'hs_product_id: the line item is not linked to a product',
    });
  });

  it('maps a product with its category', () => {
    expect(mapProduct(buildObject('p1', { name: 'Tea', price: '4.5', category: 'grocery' }))).toEqual({
      kind: 'record',
      warnings: [],
      record: { id: 'p1', name: 'Tea', price: 4.5, category: 'grocery' },
    });
    const nameless = mapProduct(buildObject('p2', {}));
    expect(nameless.kind === 'rejected' && nameless.rejection.reason).toBe(
      'name: is required but was not provided',
    );
  });

  it('maps an owner to a rep named by first and last name, or email', () => {
    const owner = {
      id: '41629779',
      email: 'email@hubspot.com',
      firstName: 'HubSpot',
      lastName: 'Test Owner',
      userId: 9586504,
    };
    expect(mapOwner(owner)).toEqual({
      kind: 'record',
      warnings: [],
      record: { id: '41629779', name: 'HubSpot Test Owner', email: 'email@hubspot.com' },
    });
    const archived = mapOwner({ id: '7', email: 'x@y.z', firstName: null, lastName: null, userId: null });
    expect(archived.kind === 'record' && archived.record.name).toBe('x@y.z');
  });

  it('maps a ticket to a service case with priority, status and dates', () => {
    const ticketStages = indexStages([{ id: '0', label: 'Support', stages: [{ id: '4', label: 'Closed' }] }]);
    const ticket = buildObject('t1', {
      createdate: '2024-05-01T10:00:00.000Z',
      closed_date: '2024-05-02T11:00:00.000Z',
      hs_ticket_priority: 'HIGH',
      hs_pipeline: '0',
      hs_pipeline_stage: '4',
    });
    expect(mapTicket(ticket, { contactIds: ['101'], stages: ticketStages })).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: 't1',
        customerId: '101',
        openedAt: '2024-05-01T10:00:00.000Z',
        closedAt: '2024-05-02T11:00:00.000Z',
        priority: 'high',
        status: 'Closed',
      },
    });
    const orphan = mapTicket(ticket, { contactIds: [] });
    expect(orphan.kind).toBe('rejected');
  });

  it('never throws on malformed objects', () => {
    const junk = { id: '', properties: {} } as HubSpotObject;
    expect(() => mapContact(junk, { tenant: 't' })).not.toThrow();
    expect(mapDeal(junk, { stages, contactIds: [] }).kind).toBe('rejected');
    expect(mapProduct(junk).kind).toBe('rejected');
    expect(mapTicket(junk, { contactIds: [] }).kind).toBe('rejected');
  });
});
