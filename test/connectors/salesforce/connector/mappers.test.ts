import { ContactRoleIndex } from '../../../../connectors/salesforce/contact-roles';
import { mapCase } from '../../../../connectors/salesforce/map-case';
import { mapContact } from '../../../../connectors/salesforce/map-contact';
import { mapLineItem } from '../../../../connectors/salesforce/map-line-item';
import { mapOpportunity } from '../../../../connectors/salesforce/map-opportunity';
import { mapProduct } from '../../../../connectors/salesforce/map-product';
import { mapUser } from '../../../../connectors/salesforce/map-user';
import { redactSecrets } from '../../../../connectors/salesforce/redact-secrets';
import { CONTRACT_BY_NAME } from '../../../../connectors/salesforce/writeback/contract-fields';
import { heldAsWritten, salesforceValue } from '../../../../connectors/salesforce/writeback/field-values';

const tenant = 'salesforce-00D000000000001AAA';
const field = (name: string) => {
  const f = CONTRACT_BY_NAME.get(name);
  if (f === undefined) throw new Error(name);
  return f;
};

describe('Salesforce mappers', () => {
  it('maps a Contact to a Customer', () => {
    expect(
      mapContact(
        {
          attributes: { type: 'Contact' },
          Id: '003RO0000035WQgYAM',
          Email: 'ann@example.com',
          FirstName: 'Ann',
          LastName: 'Lee',
          MailingCountry: 'Germany',
          MailingState: 'Berlin',
          MailingCity: 'Berlin',
          Birthdate: '1990-04-01',
          LeadSource: 'Web',
          OwnerId: '005000000000001AAA',
          CreatedDate: '2024-01-05T10:00:00.000+0000',
          LastModifiedDate: '2024-02-01T08:30:00.000+0000',
          SystemModstamp: '2024-02-01T08:30:01.000+0000',
        },
        { tenant },
      ),
    ).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '003RO0000035WQgYAM',
        tenant,
        source: 'salesforce',
        externalId: '003RO0000035WQgYAM',
        createdAt: '2024-01-05T10:00:00.000Z',
        updatedAt: '2024-02-01T08:30:00.000Z',
        email: 'ann@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        country: 'Germany',
        region: 'Berlin',
        city: 'Berlin',
        birthDate: '1990-04-01',
        ownerId: '005000000000001AAA',
        acquisitionChannel: 'Web',
      },
    });
  });

  it('rejects a Contact without a readable CreatedDate and drops a bad Birthdate with a warning', () => {
    expect(mapContact({ Id: '003A', CreatedDate: 'yesterday' }, { tenant })).toEqual({
      kind: 'rejected',
      rejection: {
        type: 'customer',
        id: '003A',
        reason: "CreatedDate: expected a dateTime such as 2024-01-05T10:00:00.000+0000, got 'yesterday'",
      },
    });
    const outcome = mapContact(
      { Id: '003B', CreatedDate: '2024-01-05T10:00:00.000+0000', Birthdate: '01/04/1990' },
      { tenant },
    );
    expect(outcome).toMatchObject({
      kind: 'record',
      warnings: ["Birthdate: expected a date YYYY-MM-DD, got '01/04/1990'; value dropped"],
    });
  });

  it('maps a won Opportunity to an order and skips lost and open ones, as the HubSpot deal mapper does', () => {
    const won = {
      Id: '006A',
      Amount: 250.5,
      CloseDate: '2024-03-15',
      IsWon: true,
      IsClosed: true,
      LeadSource: 'Partner',
      OwnerId: '005A',
    };
    expect(mapOpportunity(won, { contactId: '003A', defaultCurrency: 'eur' })).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '006A',
        customerId: '003A',
        placedAt: '2024-03-15T00:00:00.000Z',
        amount: 250.5,
        currency: 'EUR',
        status: 'won',
        channel: 'Partner',
        ownerId: '005A',
      },
    });
    expect(mapOpportunity({ ...won, IsWon: false }, { contactId: '003A' })).toEqual({
      kind: 'skipped',
      type: 'order',
      id: '006A',
      reason: 'opportunity is lost',
    });
    expect(mapOpportunity({ ...won, IsWon: false, IsClosed: false }, { contactId: '003A' })).toMatchObject({
      kind: 'skipped',
      reason: 'opportunity is open',
    });
    // A closed, not-won refund stage is a reversed sale: an order with status refunded, not a lost deal.
    expect(
      mapOpportunity(
        { ...won, IsWon: false, StageName: 'Refunded' },
        { contactId: '003A', defaultCurrency: 'EUR' },
      ),
    ).toMatchObject({ kind: 'record', record: { id: '006A', status: 'refunded', amount: 250.5 } });
    expect(
      mapOpportunity({ ...won, IsWon: false, StageName: 'Closed Lost' }, { contactId: '003A' }),
    ).toMatchObject({ kind: 'skipped', reason: 'opportunity is lost' });
    expect(mapOpportunity({ ...won, Amount: 'lots' }, { contactId: '003A', defaultCurrency: 'EUR' })).toEqual(
      {
        kind: 'rejected',
        rejection: { type: 'order', id: '006A', reason: "Amount: expected a number, got 'lots'" },
      },
    );
    expect(mapOpportunity(won, { contactId: '003A' })).toMatchObject({
      kind: 'rejected',
      rejection: { reason: expect.stringMatching(/^CurrencyIsoCode: the org is single-currency/) },
    });
  });

  it('attributes an opportunity to its primary contact role, else its earliest role', () => {
    const roles = new ContactRoleIndex();
    roles.add({
      Id: '00K1',
      OpportunityId: '006A',
      ContactId: '003late',
      IsPrimary: false,
      CreatedDate: '2024-01-02T00:00:00.000+0000',
    });
    roles.add({
      Id: '00K2',
      OpportunityId: '006A',
      ContactId: '003early',
      IsPrimary: false,
      CreatedDate: '2024-01-01T00:00:00.000+0000',
    });
    roles.add({
      Id: '00K3',
      OpportunityId: '006B',
      ContactId: '003first',
      IsPrimary: false,
      CreatedDate: '2024-01-01T00:00:00.000+0000',
    });
    roles.add({
      Id: '00K4',
      OpportunityId: '006B',
      ContactId: '003primary',
      IsPrimary: true,
      CreatedDate: '2024-02-01T00:00:00.000+0000',
    });
    expect(roles.contactOf('006A')).toBe('003early');
    expect(roles.contactOf('006B')).toBe('003primary');
    expect(roles.contactOf('006C')).toBeUndefined();
  });

  it('maps line items, products, users and cases', () => {
    expect(
      mapLineItem({
        Id: '00k1',
        OpportunityId: '006A',
        Product2Id: '01tA',
        Quantity: 4,
        UnitPrice: 10,
        TotalPrice: 36,
      }),
    ).toEqual({
      kind: 'line',
      opportunityId: '006A',
      line: { productId: '01tA', quantity: 4, unitPrice: 9 },
    });
    expect(
      mapLineItem({
        Id: '00k2',
        OpportunityId: '006A',
        Product2Id: '01tA',
        Quantity: null,
        UnitPrice: 12,
        TotalPrice: null,
      }),
    ).toMatchObject({
      line: { quantity: 1, unitPrice: 12 },
    });
    expect(mapProduct({ Id: '01tA', Name: 'Beans', Family: 'Coffee' })).toMatchObject({
      record: { id: '01tA', name: 'Beans', category: 'Coffee' },
    });
    expect(mapProduct({ Id: '01tB', Name: null })).toMatchObject({
      kind: 'rejected',
      rejection: { id: '01tB', reason: 'name: is required but was not provided' },
    });
    expect(mapUser({ Id: '005A', Name: 'Ada Owner', Email: 'ada@example.com' })).toMatchObject({
      record: { id: '005A', name: 'Ada Owner', email: 'ada@example.com' },
    });
    expect(
      mapCase({
        Id: '500A',
        ContactId: '003A',
        Status: 'Working',
        Priority: 'Medium',
        CreatedDate: '2024-01-05T10:00:00.000+0000',
        ClosedDate: null,
      }),
    ).toEqual({
      kind: 'record',
      warnings: [],
      record: {
        id: '500A',
        customerId: '003A',
        openedAt: '2024-01-05T10:00:00.000Z',
        priority: 'medium',
        status: 'Working',
      },
    });
  });
});

describe('Salesforce field values', () => {
  it('writes Percent as 0–100, dates as YYYY-MM-DD, datetimes ISO, text cut to its length; null clears', () => {
    expect(salesforceValue(field('clv_churn_probability'), 0.12345)).toEqual({ json: 12.35, text: '12.35' });
    expect(salesforceValue(field('clv_historic'), 10.005)).toEqual({ json: 10.01, text: '10.01' });
    expect(salesforceValue(field('clv_next_order_date'), new Date('2026-05-01T00:00:00.000Z'))).toEqual({
      json: '2026-05-01',
      text: '2026-05-01',
    });
    expect(salesforceValue(field('clv_scored_at'), new Date('2026-05-01T10:00:00.000Z'))).toEqual({
      json: '2026-05-01T10:00:00.000Z',
      text: '2026-05-01T10:00:00.000Z',
    });
    expect(salesforceValue(field('clv_model_version'), 'v'.repeat(50)).text).toHaveLength(40);
    expect(salesforceValue(field('clv_segment'), null)).toEqual({ json: null, text: '' });
    expect(salesforceValue(field('clv_p_alive'), Number.NaN)).toEqual({ json: null, text: '' });
  });

  it('reads held values back as the text they were written as', () => {
    expect(heldAsWritten(field('clv_churn_probability'), 12.35)).toBe('12.35');
    expect(heldAsWritten(field('clv_scored_at'), '2026-05-01T10:00:00.000+0000')).toBe(
      '2026-05-01T10:00:00.000Z',
    );
    expect(heldAsWritten(field('clv_segment'), null)).toBe('');
  });

  it('redacts tokens and secrets from messages', () => {
    expect(
      redactSecrets(
        'POST /token refresh_token=RT1&client_secret=CS2 Authorization: Bearer 00Dxyz!AQ hidden-SECRET-1',
        ['hidden-SECRET-1'],
      ),
    ).toBe('POST /token refresh_token=***&client_secret=*** Authorization: Bearer *** ***');
  });
});
