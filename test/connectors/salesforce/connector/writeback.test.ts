import type { FieldValues, WrittenFields } from '../../../../connectors/crm-adapter';
import { connectSalesforce } from '../../../../connectors/salesforce/create-connection';
import { SalesforceFieldsMissingError } from '../../../../connectors/salesforce/errors';
import { createSalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import { CONTRACT_FIELDS } from '../../../../connectors/salesforce/writeback/contract-fields';
import { ORG_ID, StubSalesforce, sfId } from './stub-salesforce';

const N = 500;
let stub: StubSalesforce;

async function adapter(limits?: { minRemainingCalls?: number }) {
  const sf = await connectSalesforce({
    kind: 'access-token',
    instanceUrl: stub.baseUrl,
    accessToken: 'TOKEN_OK',
  });
  // The stub serves describe but no Metadata API: the adapter only checks the fields here.
  return createSalesforceAdapter({ connection: sf, orgId: ORG_ID, limits, fields: 'check' });
}

const values = (n: number): FieldValues => ({
  clv_segment: n % 2 === 0 ? 'seg-loyal' : 'seg-new',
  clv_predicted_12m: 1234.567,
  clv_p_alive: 0.87654,
  clv_churn_probability: 0.1,
  clv_next_order_date: new Date('2026-02-03T00:00:00.000Z'),
  clv_scored_at: new Date('2026-01-01T10:00:00.000Z'),
  clv_next_best_action: 'x'.repeat(300),
  clv_retention_group: undefined,
});

beforeEach(async () => {
  stub = new StubSalesforce();
  stub.tables.Contact = Array.from({ length: N }, (_, i) => ({ Id: sfId('003', i + 1) }));
  stub.describeFields.Contact = [
    { name: 'Id', updateable: false },
    ...CONTRACT_FIELDS.map((f) => ({
      name: f.field,
      updateable: true,
      ...(f.name === 'clv_segment'
        ? {
            restrictedPicklist: true,
            picklistValues: [
              { value: 'seg-loyal', active: true },
              { value: 'seg-new', active: true },
            ],
          }
        : {}),
    })),
  ];
  await stub.start();
});
afterEach(() => stub.close());

describe('Salesforce write-back', () => {
  it('writes only changed contacts in ⌈changed/200⌉ collection calls and reports per-record validation errors exactly', async () => {
    const a = await adapter();
    await a.ensureFields({ segments: [] });
    const input = new Map(Array.from({ length: N }, (_, i) => [sfId('003', i + 1), values(i + 1)] as const));
    // 50 contacts hold these values already (an earlier write-back): they cost nothing
    const lastWritten = new Map<string, WrittenFields>();
    const first = await a.writeChanged({ values: new Map([...input].slice(0, 50)), lastWritten });
    expect(first.customersWritten).toBe(50);
    stub.requests.length = 0;

    const bad = [60, 150, 201, 333, 480].map((n) => sfId('003', n));
    stub.validate = (record) =>
      bad.includes(String(record.id))
        ? {
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'CLV must be reviewed',
            fields: ['CLV_Predicted_12M__c'],
          }
        : undefined;
    const sentTexts: Record<string, WrittenFields> = {};

    const sending: string[] = [];
    const confirmed: string[] = [];
    const report = await a.writeChanged({
      values: input,
      lastWritten,
      onSending: async (batch) => {
        sending.push(...Object.keys(batch));
        Object.assign(sentTexts, batch);
      },
      onConfirmed: async (batch) => void confirmed.push(...Object.keys(batch)),
    });
    const changed = N - 50;
    expect(report.customersChanged).toBe(changed);
    expect(report.customersWritten).toBe(changed - 5);
    expect(report.writeCalls).toBe(Math.ceil(changed / 200));
    expect(report.failed).toEqual(
      bad.map((id) => ({
        id,
        reason: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: CLV must be reviewed (fields: CLV_Predicted_12M__c)',
      })),
    );
    expect(sending).toHaveLength(changed);
    expect(confirmed).toHaveLength(changed - 5);
    expect(lastWritten.has(sfId('003', 150))).toBe(false);

    // NOTES §2.3 captured shape: PATCH /services/data/v62.0/composite/sobjects {"allOrNone":false,"records":[{id, attributes:{type}, …}]}
    const patches = stub.restRequests('PATCH');
    expect(patches.map((p) => p.path)).toEqual(Array(3).fill('/services/data/v62.0/composite/sobjects'));
    expect(patches.map((p) => (JSON.parse(p.body) as { records: unknown[] }).records.length)).toEqual([
      200, 200, 50,
    ]);
    for (const p of patches) {
      expect(p.headers['sforce-call-options']).toBe('client=crm-clv');
      expect(p.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(patches[0].body) as { allOrNone: boolean; records: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['allOrNone', 'records']);
    expect(body.allOrNone).toBe(false);
    expect(body.records[0]).toEqual({
      id: sfId('003', 51),
      attributes: { type: 'Contact' },
      CLV_Segment__c: 'seg-new',
      CLV_Predicted_12M__c: 1234.57,
      CLV_P_Alive__c: 87.65,
      CLV_Churn_Probability__c: 10,
      CLV_Next_Order_Date__c: '2026-02-03',
      CLV_Next_Best_Action__c: `${'x'.repeat(254)}…`,
      CLV_Scored_At__c: '2026-01-01T10:00:00.000Z',
    });
    expect(sentTexts[sfId('003', 51)]).toMatchObject({
      clv_p_alive: '87.65',
      clv_next_order_date: '2026-02-03',
    });

    // what was confirmed reads back as the same text (settling intents compares them)
    const held = await a.readWritten(
      [sfId('003', 51), sfId('003', 150), 'not-an-id'],
      ['clv_p_alive', 'clv_scored_at', 'clv_next_order_date'],
    );
    expect(held.get(sfId('003', 51))).toEqual({
      clv_p_alive: '87.65',
      clv_scored_at: '2026-01-01T10:00:00.000Z',
      clv_next_order_date: '2026-02-03',
    });
    expect(held.get(sfId('003', 150))).toEqual({
      clv_p_alive: '',
      clv_scored_at: '',
      clv_next_order_date: '',
    });
    expect(held.size).toBe(2);

    // unchanged now: nothing is sent
    stub.requests.length = 0;
    const again = await a.writeChanged({ values: input, lastWritten });
    expect(again.customersChanged).toBe(5);
    expect(stub.restRequests('PATCH')).toHaveLength(1);
  });

  it('refreshes an expired session once mid write-back and replays the collection call', async () => {
    const sf = await connectSalesforce({
      kind: 'refresh-token',
      clientId: 'CID',
      clientSecret: 'CSECRET',
      refreshToken: 'RT_GOOD',
      loginUrl: stub.baseUrl,
      instanceUrl: stub.baseUrl,
      accessToken: 'EXPIRED',
    });
    const a = createSalesforceAdapter({ connection: sf, orgId: ORG_ID, fields: 'check' });
    expect(a.tenant).toBe('salesforce-00D000000000001AAA');
    const report = await a.writeChanged({
      values: new Map([1, 2, 3].map((n) => [sfId('003', n), values(n)] as const)),
      lastWritten: new Map(),
    });
    expect(report.customersWritten).toBe(3);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /services/data/v62.0/composite/sobjects',
      'POST /services/oauth2/token',
      'PATCH /services/data/v62.0/composite/sobjects',
    ]);
  });

  it('reads written values in IN lists of 200 ids', async () => {
    const a = await adapter();
    const ids = Array.from({ length: 450 }, (_, i) => sfId('003', i + 1));
    const held = await a.readWritten(ids, ['clv_segment']);
    expect(held.size).toBe(450);
    const queries = stub.queries();
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatch(
      /^SELECT Id, CLV_Segment__c FROM Contact WHERE Id IN \('003000000000001AAA', /,
    );
  });

  it('resends a record that failed transiently once, and reports it when it fails again', async () => {
    stub.validate = (record, attempt) => {
      if (record.id === sfId('003', 1) && attempt === 1)
        return {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: 'unable to obtain exclusive access to this record',
          fields: [],
        };
      if (record.id === sfId('003', 2))
        return {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: 'unable to obtain exclusive access to this record',
          fields: [],
        };
      return undefined;
    };
    const a = await adapter();
    const report = await a.writeChanged({
      values: new Map([1, 2, 3].map((n) => [sfId('003', n), values(n)] as const)),
      lastWritten: new Map(),
    });
    expect(report.customersWritten).toBe(2);
    expect(report.retriedInputs).toBe(2);
    expect(report.writeCalls).toBe(2);
    expect(report.failed).toEqual([
      {
        id: sfId('003', 2),
        reason:
          'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record (still failing after a retry)',
      },
    ]);
  });

  it('stops before the daily allocation runs out and reports the unsent contacts', async () => {
    stub.apiUsed = 14_000;
    const a = await adapter({ minRemainingCalls: 999 });
    const report = await a.writeChanged({
      values: new Map(Array.from({ length: 450 }, (_, i) => [sfId('003', i + 1), values(i + 1)] as const)),
      lastWritten: new Map(),
    });
    expect(report.customersWritten).toBe(200);
    expect(report.stopped?.code).toBe('SALESFORCE_API_LIMIT');
    expect(report.failed).toHaveLength(250);
    expect(report.failed[0].reason).toMatch(/^not sent: the org has used 14001 of its 15000 daily API calls/);
  });

  it('holds back values outside a restricted picklist instead of sending them', async () => {
    const a = await adapter();
    await a.ensureFields({ segments: [] });
    const report = await a.writeChanged({
      values: new Map([[sfId('003', 1), { clv_segment: 'seg-unknown' }]]),
      lastWritten: new Map(),
    });
    expect(report.failed).toEqual([
      {
        id: sfId('003', 1),
        reason: expect.stringMatching(
          /^CLV_Segment__c value 'seg-unknown' is not a value of the restricted picklist/,
        ),
      },
    ]);
    expect(stub.restRequests('PATCH')).toHaveLength(0);
  });

  it('names the contract fields Contact lacks and what to deploy', async () => {
    stub.describeFields.Contact = stub.describeFields.Contact.filter(
      (f) => f.name !== 'CLV_Churn_Risk__c' && f.name !== 'CLV_Interest__c',
    );
    const a = await adapter();
    const error = await a.ensureFields({ segments: [] }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceFieldsMissingError);
    expect((error as SalesforceFieldsMissingError).missing).toEqual(['CLV_Churn_Risk__c', 'CLV_Interest__c']);
    expect((error as Error).message).toMatch(/Deploy the CLV_\*__c custom fields .* permission set/);
    expect(stub.restRequests()[0].path).toBe('/services/data/v62.0/sobjects/Contact/describe');
  });
});
