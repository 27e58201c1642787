import { connectSalesforce } from '../../../../connectors/salesforce/create-connection';
import { SalesforceApiLimitError } from '../../../../connectors/salesforce/errors';
import { createSalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import { MemorySink } from './memory-sink';
import { ORG_ID, StubSalesforce, sfDateTime, sfId, type Row } from './stub-salesforce';

const CONTACTS = 2500;
const contact = (n: number, minutes = n): Row => ({
  Id: sfId('003', n),
  Email: `c${n}@example.com`,
  FirstName: `First${n}`,
  LastName: `Last${n}`,
  MailingCountry: 'DE',
  LeadSource: 'Web',
  OwnerId: sfId('005', 1),
  CreatedDate: sfDateTime(0),
  LastModifiedDate: sfDateTime(minutes),
  SystemModstamp: sfDateTime(minutes),
});
const opp = (n: number, fields: Partial<Row>): Row => ({
  Id: sfId('006', n),
  AccountId: sfId('001', 1),
  Amount: 100 * n,
  CloseDate: '2024-03-0' + n,
  IsWon: true,
  IsClosed: true,
  StageName: 'Closed Won',
  LeadSource: 'Partner',
  OwnerId: sfId('005', 2),
  CurrencyIsoCode: 'EUR',
  CreatedDate: sfDateTime(n),
  SystemModstamp: sfDateTime(10 + n),
  ...fields,
});

let stub: StubSalesforce;
let sink: MemorySink;

async function adapter() {
  const sf = await connectSalesforce({
    kind: 'access-token',
    instanceUrl: stub.baseUrl,
    accessToken: 'TOKEN_OK',
  });
  return createSalesforceAdapter({ connection: sf, orgId: ORG_ID });
}

beforeEach(async () => {
  stub = new StubSalesforce();
  stub.describeFields.Opportunity = [{ name: 'Id' }, { name: 'Amount' }, { name: 'CurrencyIsoCode' }];
  stub.tables.User = [
    { Id: sfId('005', 1), Name: 'Ada Owner', Email: 'ada@example.com', SystemModstamp: sfDateTime(1) },
    { Id: sfId('005', 2), Name: null, Email: 'bo@example.com', SystemModstamp: sfDateTime(2) },
  ];
  stub.tables.Product2 = [
    { Id: sfId('01t', 1), Name: 'Espresso beans', Family: 'Coffee', SystemModstamp: sfDateTime(1) },
    { Id: sfId('01t', 2), Name: 'Grinder', Family: null, SystemModstamp: sfDateTime(2) },
  ];
  stub.tables.Contact = Array.from({ length: CONTACTS }, (_, i) => contact(i + 1));
  stub.tables.OpportunityLineItem = [
    {
      Id: sfId('00k', 1),
      OpportunityId: sfId('006', 1),
      Product2Id: sfId('01t', 1),
      Quantity: 2,
      UnitPrice: 50,
      TotalPrice: 90,
      SystemModstamp: sfDateTime(5),
    },
    {
      Id: sfId('00k', 2),
      OpportunityId: sfId('006', 1),
      Product2Id: sfId('01t', 2),
      Quantity: 1,
      UnitPrice: 10,
      TotalPrice: 10,
      SystemModstamp: sfDateTime(5),
    },
    {
      Id: sfId('00k', 3),
      OpportunityId: sfId('006', 2),
      Product2Id: null,
      Quantity: 1,
      UnitPrice: 5,
      TotalPrice: 5,
      SystemModstamp: sfDateTime(5),
    },
  ];
  stub.tables.OpportunityContactRole = [
    // opportunity 1: a non-primary role first, the primary later → the primary contact (3) wins
    {
      Id: sfId('00K', 1),
      OpportunityId: sfId('006', 1),
      ContactId: sfId('003', 2),
      IsPrimary: false,
      CreatedDate: sfDateTime(1),
      SystemModstamp: sfDateTime(6),
    },
    {
      Id: sfId('00K', 2),
      OpportunityId: sfId('006', 1),
      ContactId: sfId('003', 3),
      IsPrimary: true,
      CreatedDate: sfDateTime(2),
      SystemModstamp: sfDateTime(6),
    },
    // opportunity 2: no primary → the earliest role (contact 5)
    {
      Id: sfId('00K', 3),
      OpportunityId: sfId('006', 2),
      ContactId: sfId('003', 4),
      IsPrimary: false,
      CreatedDate: sfDateTime(4),
      SystemModstamp: sfDateTime(6),
    },
    {
      Id: sfId('00K', 4),
      OpportunityId: sfId('006', 2),
      ContactId: sfId('003', 5),
      IsPrimary: false,
      CreatedDate: sfDateTime(3),
      SystemModstamp: sfDateTime(6),
    },
  ];
  stub.tables.Opportunity = [
    opp(1, {}),
    opp(2, { CurrencyIsoCode: 'usd' }),
    opp(3, {}), // won without a contact role
    opp(4, { IsWon: false, StageName: 'Closed Lost' }),
    opp(5, { IsWon: false, IsClosed: false, StageName: 'Prospecting' }),
  ];
  stub.tables.Case = [
    {
      Id: sfId('500', 1),
      ContactId: sfId('003', 3),
      Status: 'Closed',
      Priority: 'High',
      CreatedDate: sfDateTime(3),
      ClosedDate: sfDateTime(30),
      SystemModstamp: sfDateTime(30),
    },
    {
      Id: sfId('500', 2),
      ContactId: null,
      Status: 'New',
      Priority: 'Low',
      CreatedDate: sfDateTime(3),
      ClosedDate: null,
      SystemModstamp: sfDateTime(31),
    },
  ];
  await stub.start();
  sink = new MemorySink();
});
afterEach(() => stub.close());

describe('Salesforce sync', () => {
  it('reads 2,500 contacts over two query pages with query + queryMore', async () => {
    const report = await (await adapter()).readRecords({ mode: 'full' }, sink);
    expect(report.read.Contact).toBe(CONTACTS);
    expect(sink.records.customer.size).toBe(CONTACTS);
    const contactQuery = stub.queries().find((q) => q.includes('FROM Contact')) as string;
    expect(contactQuery).toBe(
      'SELECT Id, AccountId, Email, FirstName, LastName, MailingCountry, MailingState, MailingCity, ' +
        'Account.BillingCountry, Account.BillingState, Account.BillingCity, Birthdate, ' +
        'LeadSource, OwnerId, CreatedDate, LastModifiedDate, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id',
    );
    // NOTES §2.1: page 2 is GET /services/data/v62.0/query/<locator>, the last segment of nextRecordsUrl
    const more = stub
      .restRequests('GET')
      .filter((r) => /^\/services\/data\/v62\.0\/query\/01gSTUB\d+-\d+$/.test(r.path));
    expect(more).toHaveLength(1);
    expect(stub.restRequests().every((r) => r.path.startsWith('/services/data/v62.0/'))).toBe(true);
    expect(report.cursors.Contact).toBe(new Date(Date.UTC(2024, 0, 1) + CONTACTS * 60_000).toISOString());
    expect(JSON.parse(sink.cursors.get('salesforce:Contact') as string)).toEqual({
      since: report.cursors.Contact,
      idsAtSince: [sfId('003', CONTACTS)],
    });
  });

  it('turns won opportunities into orders of their contact-role contact and reports the ones that cannot be', async () => {
    const report = await (await adapter()).readRecords({ mode: 'full' }, sink);
    expect(report.multiCurrency).toBe(true);
    expect(stub.queries().find((q) => q.includes('FROM Opportunity '))).toContain('CurrencyIsoCode');
    expect(sink.records.order.get(sfId('006', 1))).toEqual({
      id: sfId('006', 1),
      customerId: sfId('003', 3),
      placedAt: '2024-03-01T00:00:00.000Z',
      amount: 100,
      currency: 'EUR',
      status: 'won',
      channel: 'Partner',
      ownerId: sfId('005', 2),
      lines: [
        { productId: sfId('01t', 1), quantity: 2, unitPrice: 45 },
        { productId: sfId('01t', 2), quantity: 1, unitPrice: 10 },
      ],
    });
    expect(sink.records.order.get(sfId('006', 2))).toMatchObject({
      customerId: sfId('003', 5),
      currency: 'USD',
    });
    expect(sink.records.order.get(sfId('006', 2))?.lines).toBeUndefined();
    expect([...sink.records.order.keys()].sort()).toEqual([sfId('006', 1), sfId('006', 2)]);
    expect(report.opportunities).toEqual({ won: 3, refunded: 0, lost: 1, open: 1 });
    expect(report.skipped.Opportunity).toEqual([
      {
        id: sfId('006', 3),
        reason: expect.stringMatching(/^customerId: the won opportunity has no contact role/),
      },
    ]);
    expect(report.skipped.OpportunityLineItem).toEqual([
      { id: sfId('00k', 3), reason: 'Product2Id: the line item is not linked to a product' },
    ]);
    expect(report.skipped.Case).toEqual([
      { id: sfId('500', 2), reason: expect.stringMatching(/^ContactId:/) },
    ]);
    expect(sink.records.rep.get(sfId('005', 2))).toEqual({
      id: sfId('005', 2),
      name: 'bo@example.com',
      email: 'bo@example.com',
    });
    expect(sink.records.product.get(sfId('01t', 1))).toEqual({
      id: sfId('01t', 1),
      name: 'Espresso beans',
      category: 'Coffee',
    });
    expect(sink.records.serviceCase.get(sfId('500', 1))).toEqual({
      id: sfId('500', 1),
      customerId: sfId('003', 3),
      openedAt: '2024-01-01T00:03:00.000Z',
      closedAt: '2024-01-01T00:30:00.000Z',
      priority: 'high',
      status: 'Closed',
    });
  });

  it('reads only what changed since the cursors, removes deleted rows and re-reads opportunities whose lines changed', async () => {
    const a = await adapter();
    await a.readRecords({ mode: 'full' }, sink);
    const contactCursor = (JSON.parse(sink.cursors.get('salesforce:Contact') as string) as { since: string })
      .since;
    stub.requests.length = 0;

    const later = CONTACTS + 100;
    stub.tables.Contact[9] = { ...contact(10, later), FirstName: 'Renamed' };
    Object.assign(stub.tables.Contact[2], { IsDeleted: true, SystemModstamp: sfDateTime(later + 1) }); // contact 3
    stub.tables.OpportunityLineItem.push({
      Id: sfId('00k', 4),
      OpportunityId: sfId('006', 2),
      Product2Id: sfId('01t', 2),
      Quantity: 3,
      UnitPrice: 20,
      TotalPrice: 60,
      SystemModstamp: sfDateTime(later),
    });
    Object.assign(stub.tables.Opportunity[3], {
      IsWon: true,
      StageName: 'Closed Won',
      SystemModstamp: sfDateTime(later),
    }); // 4 won now, no role
    Object.assign(stub.tables.Case[0], { IsDeleted: true, SystemModstamp: sfDateTime(later + 2) });

    const report = await a.readRecords({ mode: 'incremental' }, sink);
    const contactQuery = stub.queries().find((q) => q.includes('FROM Contact WHERE SystemModstamp'));
    expect(contactQuery).toContain(
      `WHERE SystemModstamp >= ${contactCursor.replace('.000Z', 'Z')} ORDER BY SystemModstamp, Id`,
    );
    expect(report.read.Contact).toBe(1);
    expect(sink.records.customer.get(sfId('003', 10))?.firstName).toBe('Renamed');

    // deletions come from queryAll … IsDeleted = true since the cursor (NOTES §5.3)
    const deletedQueries = stub.requests
      .filter((r) => r.path === '/services/data/v62.0/queryAll')
      .map((r) => r.query.get('q'));
    expect(deletedQueries).toContain(
      `SELECT Id, SystemModstamp FROM Contact WHERE IsDeleted = true AND SystemModstamp >= ${contactCursor.replace('.000Z', 'Z')} ORDER BY SystemModstamp, Id`,
    );
    expect(sink.records.customer.has(sfId('003', 3))).toBe(false);
    // contact 3 was opportunity 1's buyer: its order goes with it; its case was deleted anyway
    expect(sink.records.order.has(sfId('006', 1))).toBe(false);
    expect(sink.records.serviceCase.size).toBe(0);

    // a new line item re-reads opportunity 2, with its current lines
    expect(sink.records.order.get(sfId('006', 2))?.lines).toEqual([
      { productId: sfId('01t', 2), quantity: 3, unitPrice: 20 },
    ]);
    expect(report.skipped.Opportunity.map((s) => s.id)).toEqual([sfId('006', 4)]);
    expect(report.cursors.Contact).toBe(new Date(Date.UTC(2024, 0, 1) + (later + 1) * 60_000).toISOString());

    // nothing changed since: an incremental read reads nothing and keeps the cursors
    const again = await a.readRecords({ mode: 'incremental' }, sink);
    expect(Object.values(again.read).reduce((s, n) => s + n, 0)).toBe(0);
  });

  it('reads a record saved in the same second as the cursor (>= with the ids seen at it)', async () => {
    const a = await adapter();
    await a.readRecords({ mode: 'full' }, sink);
    // A contact saved in the cursor's very second, after the full read had already passed it.
    stub.tables.Contact.push({ ...contact(CONTACTS + 1, CONTACTS), FirstName: 'Same second' });
    const report = await a.readRecords({ mode: 'incremental' }, sink);
    expect(report.read.Contact).toBe(1);
    expect(sink.records.customer.get(sfId('003', CONTACTS + 1))?.firstName).toBe('Same second');
    expect(JSON.parse(sink.cursors.get('salesforce:Contact') as string).idsAtSince).toEqual([
      sfId('003', CONTACTS),
      sfId('003', CONTACTS + 1),
    ]);
    const again = await a.readRecords({ mode: 'incremental' }, sink);
    expect(again.read.Contact).toBe(0);
  });

  it('stops before the daily API allocation runs out (Sforce-Limit-Info)', async () => {
    stub.apiUsed = 14_200; // of 15,000: after two calls 798 remain, which is the reserve asked for
    const sf = await connectSalesforce({
      kind: 'access-token',
      instanceUrl: stub.baseUrl,
      accessToken: 'TOKEN_OK',
    });
    const a = createSalesforceAdapter({ connection: sf, orgId: ORG_ID, limits: { minRemainingCalls: 798 } });
    const error = await a.readRecords({ mode: 'full' }, sink).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceApiLimitError);
    expect((error as SalesforceApiLimitError).code).toBe('SALESFORCE_API_LIMIT');
    expect((error as Error).message).toMatch(/used 14202 of its 15000 daily API calls/);
    expect(stub.restRequests()).toHaveLength(2);
    expect(a.limits()).toEqual([{ name: 'daily-api-requests', limit: 15000, windowMs: 86_400_000 }]);
  });

  it('reports 403 REQUEST_LIMIT_EXCEEDED as the API-limit error', async () => {
    stub.apiUsed = 15_000;
    const error = await (await adapter()).readRecords({ mode: 'full' }, sink).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceApiLimitError);
    expect((error as Error).message).toMatch(/REQUEST_LIMIT_EXCEEDED/);
  });
});
