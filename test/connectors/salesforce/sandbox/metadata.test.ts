/**
 * The sandbox's Metadata SOAP API through real jsforce 3.10.16 (`conn.metadata.upsert/create/read`): the 17
 * contract fields of DESIGN.md in calls of at most 10 components, idempotent reruns, reads of present and
 * missing components, field-level security through a PermissionSet and its assignment, and session refresh.
 */

import { Connection } from 'jsforce';
import { rejection, startHarness, type Harness } from './sandbox-harness';

type FieldSpec = { fullName: string; label: string; type: string; [k: string]: unknown };

const picklist = (...values: string[]) => ({
  restricted: true,
  valueSetDefinition: {
    sorted: false,
    value: values.map((v) => ({ fullName: v, default: false, label: v })),
  },
});

const RFM_SEGMENTS = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalists',
  'New Customers',
  'Promising',
  'Need Attention',
  'About To Sleep',
  'At Risk',
  'Cannot Lose Them',
  'Hibernating',
  'Lost',
];

/** The property contract of DESIGN.md as CustomField metadata. */
const CONTRACT: FieldSpec[] = [
  {
    fullName: 'Contact.CLV_Segment__c',
    label: 'CLV Segment',
    type: 'Picklist',
    valueSet: picklist('seg-1', 'seg-2', 'seg-3'),
  },
  {
    fullName: 'Contact.CLV_RFM_Segment__c',
    label: 'CLV RFM Segment',
    type: 'Picklist',
    valueSet: picklist(...RFM_SEGMENTS),
  },
  { fullName: 'Contact.CLV_RFM_Score__c', label: 'CLV RFM Score', type: 'Text', length: 3 },
  {
    fullName: 'Contact.CLV_Predicted_12M__c',
    label: 'CLV Predicted 12M',
    type: 'Currency',
    precision: 18,
    scale: 2,
  },
  { fullName: 'Contact.CLV_Historic__c', label: 'CLV Historic', type: 'Currency', precision: 18, scale: 2 },
  {
    fullName: 'Contact.CLV_Expected_Orders_12M__c',
    label: 'CLV Expected Orders 12M',
    type: 'Number',
    precision: 8,
    scale: 2,
  },
  { fullName: 'Contact.CLV_P_Alive__c', label: 'CLV P Alive', type: 'Percent', precision: 5, scale: 2 },
  {
    fullName: 'Contact.CLV_Churn_Probability__c',
    label: 'CLV Churn Probability',
    type: 'Percent',
    precision: 5,
    scale: 2,
  },
  {
    fullName: 'Contact.CLV_Churn_Risk__c',
    label: 'CLV Churn Risk',
    type: 'Picklist',
    valueSet: picklist('low', 'medium', 'high'),
  },
  { fullName: 'Contact.CLV_Next_Order_Date__c', label: 'CLV Next Order Date', type: 'Date' },
  { fullName: 'Contact.CLV_Next_Best_Action__c', label: 'CLV Next Best Action', type: 'Text', length: 255 },
  {
    fullName: 'Contact.CLV_Recommended_Products__c',
    label: 'CLV Recommended Products',
    type: 'Text',
    length: 255,
  },
  {
    fullName: 'Contact.CLV_Interest__c',
    label: 'CLV Interest',
    type: 'Picklist',
    valueSet: picklist('Home', 'Garden', 'Gifts'),
  },
  { fullName: 'Contact.CLV_Top_Churn_Driver__c', label: 'CLV Top Churn Driver', type: 'Text', length: 255 },
  {
    fullName: 'Contact.CLV_Retention_Group__c',
    label: 'CLV Retention Group',
    type: 'Picklist',
    valueSet: picklist('treatment', 'control', 'none'),
  },
  { fullName: 'Contact.CLV_Scored_At__c', label: 'CLV Scored At', type: 'DateTime' },
  { fullName: 'Contact.CLV_Model_Version__c', label: 'CLV Model Version', type: 'Text', length: 40 },
];

const PERMISSION_SET = {
  fullName: 'CLV_Integration',
  label: 'CLV Integration',
  fieldPermissions: CONTRACT.map((f) => ({ editable: true, field: f.fullName, readable: true })),
};

type SaveResult = { fullName: string; success: boolean; created?: boolean; errors?: unknown };

/** jsforce returns an array iff it was given one; these calls always pass arrays. */
const upsert = async (conn: Connection, type: string, components: object[]) =>
  (await conn.metadata.upsert(type, components as never)) as unknown as SaveResult[];

describe('Salesforce sandbox: Metadata API (SOAP) through jsforce', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      contacts: 5,
      oauthClients: [{ clientId: 'CID', clientSecret: 'CSECRET', refreshTokens: ['RT_GOOD'] }],
    });
  });
  afterAll(async () => {
    await h.server.close();
  });

  it('upserts the 17 contract fields in calls of 10 and 7, refuses 11 with EXCEEDED_ID_LIMIT, and reruns idempotently', async () => {
    const extra = { fullName: 'Contact.CLV_Extra__c', label: 'CLV Extra', type: 'Text', length: 10 };
    const refused = await rejection(() => upsert(h.conn, 'CustomField', [...CONTRACT.slice(0, 10), extra]));
    expect(refused.errorCode).toBe('sf:EXCEEDED_ID_LIMIT');
    expect(refused.message).toBe(
      'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation',
    );

    const first = await upsert(h.conn, 'CustomField', CONTRACT.slice(0, 10));
    const second = await upsert(h.conn, 'CustomField', CONTRACT.slice(10));
    expect([...first, ...second].map((r) => [r.fullName, r.created, r.success])).toEqual(
      CONTRACT.map((f) => [f.fullName, true, true]),
    );
    // Nothing of the refused call was saved.
    const [missing] = await h.conn.metadata.read('CustomField', ['Contact.CLV_Extra__c']);
    expect(missing).not.toHaveProperty('fullName');

    const rerun = [
      ...(await upsert(h.conn, 'CustomField', CONTRACT.slice(0, 10))),
      ...(await upsert(h.conn, 'CustomField', CONTRACT.slice(10))),
    ];
    expect(rerun.map((r) => [r.fullName, r.created, r.success])).toEqual(
      CONTRACT.map((f) => [f.fullName, false, true]),
    );
  });

  it('adds picklist values on upsert and keeps the old ones', async () => {
    const [result] = await upsert(h.conn, 'CustomField', [
      { ...CONTRACT[8], valueSet: picklist('high', 'critical') },
    ]);
    expect(result).toMatchObject({ fullName: 'Contact.CLV_Churn_Risk__c', created: false, success: true });
    const [field] = (await h.conn.metadata.read('CustomField', ['Contact.CLV_Churn_Risk__c'])) as unknown as {
      valueSet: { valueSetDefinition: { value: { fullName: string }[] } };
    }[];
    expect(field.valueSet.valueSetDefinition.value.map((v) => v.fullName)).toEqual([
      'low',
      'medium',
      'high',
      'critical',
    ]);
  });

  it('reads a field with its typed elements and an empty record for a missing one', async () => {
    const records = (await h.conn.metadata.read('CustomField', [
      'Contact.CLV_Expected_Orders_12M__c',
      'Contact.CLV_Nope__c',
      'Contact.CLV_Model_Version__c',
    ])) as unknown as Record<string, unknown>[];
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      fullName: 'Contact.CLV_Expected_Orders_12M__c',
      label: 'CLV Expected Orders 12M',
      type: 'Number',
      precision: 8,
      scale: 2,
    });
    expect(records[1].fullName).toBeUndefined();
    expect(records[2]).toMatchObject({ fullName: 'Contact.CLV_Model_Version__c', type: 'Text', length: 40 });
  });

  it('answers each invalid component with its own errors and saves the valid one (no exception)', async () => {
    const results = await upsert(h.conn, 'CustomField', [
      { fullName: 'Contact.Bad_Number__c', label: 'Bad Number', type: 'Number', scale: 2 },
      { fullName: 'Contact.Bad_Text__c', label: 'Bad Text', type: 'Text', length: 256 },
      { fullName: 'Contact.Bad_Pick__c', label: 'Bad Pick', type: 'Picklist' },
      { fullName: 'Contact.Too_Precise__c', label: 'Too Precise', type: 'Currency', precision: 19, scale: 2 },
      { fullName: 'Contact.Good_Date__c', label: 'Good Date', type: 'Date' },
    ]);
    expect(results.map((r) => [r.fullName, r.success])).toEqual([
      ['Contact.Bad_Number__c', false],
      ['Contact.Bad_Text__c', false],
      ['Contact.Bad_Pick__c', false],
      ['Contact.Too_Precise__c', false],
      ['Contact.Good_Date__c', true],
    ]);
    const codes = results.map((r) => [r.errors].flat().map((e) => (e as { statusCode: string }).statusCode));
    expect(codes).toEqual([
      ['REQUIRED_FIELD_MISSING'],
      ['FIELD_INTEGRITY_EXCEPTION'],
      ['REQUIRED_FIELD_MISSING'],
      ['FIELD_INTEGRITY_EXCEPTION'],
      [],
    ]);
  });

  it('keeps created fields invisible until a permission set granting them is upserted and assigned', async () => {
    const hidden = async () => {
      const describe = await h.conn.describe('Contact');
      expect(describe.fields.map((f) => f.name).filter((n) => n.startsWith('CLV_'))).toEqual([]);
      const query = await rejection(
        async () => await h.conn.query('SELECT Id, CLV_Churn_Risk__c FROM Contact'),
      );
      expect(query.errorCode).toBe('INVALID_FIELD');
    };
    await hidden();
    const { records } = await h.conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id LIMIT 1');
    const contactId = records[0].Id;
    const refused = await h.conn.sobject('Contact').update([{ Id: contactId, CLV_Churn_Risk__c: 'low' }]);
    expect(refused).toMatchObject([{ success: false, errors: [{ statusCode: 'INVALID_FIELD' }] }]);

    const [created] = await upsert(h.conn, 'PermissionSet', [PERMISSION_SET]);
    expect(created).toMatchObject({ fullName: 'CLV_Integration', created: true, success: true });
    await hidden(); // granted by the permission set, but it is not assigned yet

    const sets = await h.conn.query<{ Id: string }>(
      "SELECT Id FROM PermissionSet WHERE Name = 'CLV_Integration'",
    );
    expect(sets.records).toHaveLength(1);
    const identity = await h.conn.identity();
    const assignment = await h.conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: identity.user_id, PermissionSetId: sets.records[0].Id });
    expect(assignment).toMatchObject({ success: true });

    const describe = await h.conn.describe('Contact');
    expect(describe.fields.map((f) => f.name).filter((n) => n.startsWith('CLV_'))).toEqual(
      CONTRACT.map((f) => f.fullName.slice('Contact.'.length)),
    );
    const churn = describe.fields.find((f) => f.name === 'CLV_Churn_Risk__c')!;
    expect(churn.picklistValues!.map((p) => p.value)).toEqual(['low', 'medium', 'high', 'critical']);
    expect(churn.updateable).toBe(true);

    const saved = await h.conn
      .sobject('Contact')
      .update([{ Id: contactId, CLV_Churn_Risk__c: 'medium', CLV_Expected_Orders_12M__c: 2.5 }]);
    expect(saved).toMatchObject([{ success: true }]);
    const read = await h.conn.query<{ CLV_Churn_Risk__c: string; CLV_Expected_Orders_12M__c: number }>(
      `SELECT CLV_Churn_Risk__c, CLV_Expected_Orders_12M__c FROM Contact WHERE Id = '${contactId}'`,
    );
    expect(read.records[0]).toMatchObject({ CLV_Churn_Risk__c: 'medium', CLV_Expected_Orders_12M__c: 2.5 });

    // Re-upserting the same permission set changes nothing.
    const [again] = await upsert(h.conn, 'PermissionSet', [PERMISSION_SET]);
    expect(again).toMatchObject({ created: false, success: true });
    // Good_Date__c was never granted: still invisible.
    expect(
      (await rejection(async () => await h.conn.query('SELECT Good_Date__c FROM Contact'))).errorCode,
    ).toBe('INVALID_FIELD');
  });

  it('grants read-only access, hides a field again when its assignment is deleted and restores its values', async () => {
    // An ungranted field is unknown to Bulk queries too.
    const bulk = await rejection(async () => await h.conn.bulk2.query('SELECT Good_Date__c FROM Contact'));
    expect(bulk.errorCode).toBe('INVALID_FIELD');

    const [readOnly] = await upsert(h.conn, 'PermissionSet', [
      {
        fullName: 'CLV_Read_Only',
        label: 'CLV Read Only',
        fieldPermissions: [{ editable: false, field: 'Contact.Good_Date__c', readable: true }],
      },
    ]);
    expect(readOnly).toMatchObject({ created: true, success: true });
    const identity = await h.conn.identity();
    const sets = await h.conn.query<{ Id: string; Name: string }>(
      "SELECT Id, Name FROM PermissionSet WHERE Name IN ('CLV_Integration', 'CLV_Read_Only') ORDER BY Name",
    );
    expect(sets.records.map((r) => r.Name)).toEqual(['CLV_Integration', 'CLV_Read_Only']);
    await h.conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: identity.user_id, PermissionSetId: sets.records[1].Id });
    const goodDate = (await h.conn.describe('Contact')).fields.find((f) => f.name === 'Good_Date__c')!;
    expect([goodDate.createable, goodDate.updateable]).toEqual([false, false]);
    const { records } = await h.conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id LIMIT 1');
    const contactId = records[0].Id;
    const refused = await h.conn.sobject('Contact').update([{ Id: contactId, Good_Date__c: '2026-01-02' }]);
    expect(refused).toMatchObject([
      { success: false, errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }] },
    ]);

    const assignments = await h.conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${sets.records[0].Id}'`,
    );
    expect(assignments.records).toHaveLength(1);
    await h.conn.sobject('PermissionSetAssignment').destroy(assignments.records[0].Id);
    const gone = await rejection(async () => await h.conn.query('SELECT CLV_Churn_Risk__c FROM Contact'));
    expect(gone.errorCode).toBe('INVALID_FIELD');

    await h.conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: identity.user_id, PermissionSetId: sets.records[0].Id });
    const back = await h.conn.query<{ CLV_Churn_Risk__c: string }>(
      `SELECT CLV_Churn_Risk__c FROM Contact WHERE Id = '${contactId}'`,
    );
    expect(back.records[0].CLV_Churn_Risk__c).toBe('medium');
  });

  it('creates with createMetadata and refuses a duplicate per component', async () => {
    const field = { fullName: 'Contact.Fresh__c', label: 'Fresh', type: 'Checkbox', defaultValue: 'false' };
    const [first] = (await h.conn.metadata.create('CustomField', [
      field,
    ] as never)) as unknown as SaveResult[];
    expect(first).toMatchObject({ fullName: 'Contact.Fresh__c', success: true });
    const [second] = (await h.conn.metadata.create('CustomField', [
      field,
    ] as never)) as unknown as SaveResult[];
    expect(second).toMatchObject({ success: false, errors: [{ statusCode: 'DUPLICATE_DEVELOPER_NAME' }] });
  });

  it('answers an expired session with the SOAP fault, and jsforce refreshes once and replays', async () => {
    const stale = h.sandbox.tokens.issue();
    const conn = new Connection({
      oauth2: { clientId: 'CID', clientSecret: 'CSECRET', loginUrl: h.server.url },
      instanceUrl: h.server.url,
      accessToken: stale,
      refreshToken: 'RT_GOOD',
      version: '62.0',
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    h.sandbox.tokens.expire(stale);
    const before = h.sandbox.tokens.grants.refresh_token ?? 0;
    const [record] = (await conn.metadata.read('CustomField', ['Contact.CLV_Scored_At__c'])) as unknown as {
      fullName: string;
      type: string;
    }[];
    expect(record).toMatchObject({ fullName: 'Contact.CLV_Scored_At__c', type: 'DateTime' });
    expect(refreshed).toHaveLength(1);
    expect(h.sandbox.tokens.grants.refresh_token).toBe(before + 1);
    expect(conn.accessToken).toBe(refreshed[0]);
  });
});
