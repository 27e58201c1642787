import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { Connection } from 'jsforce';
import {
  CHURN_RISK_FIELD,
  FLOW_TASK_SUBJECT,
  type JournalEntry,
} from '../../../../connectors/salesforce/sandbox';
import { ACCOUNT_ADDRESS_FIELDS, fieldsOf } from '../../../../connectors/salesforce/salesforce-objects';
import { REPO_ROOT } from '../../../helpers/run-cli';
import { rejection, startHarness, TOKEN, type Harness } from './sandbox-harness';

/** The Salesforce contract files beside the repository root (as test/connectors/hubspot/contract/contracts-dir.ts). */
const SUBSET = JSON.parse(
  readFileSync(resolve(REPO_ROOT, '../shared/contracts/salesforce/sobjects-subset-v59.oas.json'), 'utf8'),
) as {
  components: { schemas: Record<string, { properties: Record<string, { type: string; format?: string }> }> };
};

/**
 * The full generated spec beside the subset, for the objects the subset leaves out (Event, Campaign,
 * CampaignMember): the same document, the subset only cut from it.
 */
const FULL = JSON.parse(
  gunzipSync(
    readFileSync(resolve(REPO_ROOT, '../shared/contracts/salesforce/salesforce-sobjects-v59.oas.json.gz')),
  ).toString('utf8'),
) as typeof SUBSET;

function schemaOf(schemaName: string) {
  return (SUBSET.components.schemas[schemaName] ?? FULL.components.schemas[schemaName]).properties;
}

/** Type/format check of a record against a `<Type>SObject` schema of the Salesforce-generated OpenAPI. */
function schemaProblems(schemaName: string, record: Record<string, unknown>): string[] {
  const props = schemaOf(schemaName);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    const prop = props[name];
    if (!prop) continue; // fields hidden by that org's FLS (NOTES §6) are not checked
    if (value === null) continue;
    const ok =
      prop.type === 'integer'
        ? Number.isInteger(value)
        : prop.type === 'number'
          ? typeof value === 'number'
          : prop.type === 'object'
            ? typeof value === 'object'
            : typeof value === prop.type;
    if (!ok) problems.push(`${name}: ${prop.type} expected, got ${JSON.stringify(value)}`);
    if (prop.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) problems.push(`${name}: date`);
    if (
      prop.format === 'date-time' &&
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(String(value))
    )
      problems.push(`${name}: date-time ${value}`);
  }
  return problems;
}

const NOW = Date.parse('2026-11-20T09:00:00.000Z');

describe('Salesforce sandbox: writes, automation, auth and limits through jsforce', () => {
  let h: Harness;
  let journal: JournalEntry[];
  let contactIds: string[];
  beforeAll(async () => {
    journal = [];
    h = await startHarness({
      contacts: 250,
      now: () => NOW,
      journal: (entries) => journal.push(...entries),
      oauthClients: [{ clientId: 'CID', clientSecret: 'CSECRET', refreshTokens: ['RT_GOOD'] }],
    });
    h.sandbox.defineCustomField('Contact', {
      name: CHURN_RISK_FIELD,
      type: 'Picklist',
      values: ['low', 'medium', 'high'],
    });
    h.sandbox.defineCustomField('Contact', { name: 'CLV_Predicted_12M__c', type: 'Currency' });
    const { records } = await h.conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id', {
      autoFetch: true,
      maxFetch: 10_000,
    });
    contactIds = records.map((r) => r.Id);
  });
  afterAll(async () => {
    await h.server.close();
  });

  it('returns records whose JSON types match the sObject OpenAPI subset', async () => {
    for (const [type, schema] of [
      ['Contact', 'ContactSObject'],
      ['Account', 'AccountSObject'],
      ['Opportunity', 'OpportunitySObject'],
      ['OpportunityLineItem', 'OpportunityLineItemSObject'],
      ['Case', 'CaseSObject'],
      ['Task', 'TaskSObject'],
      ['Event', 'EventSObject'],
      ['Campaign', 'CampaignSObject'],
      ['CampaignMember', 'CampaignMemberSObject'],
    ] as const) {
      // Several rows, so campaigns with and without an actual cost, members who responded and who did not.
      const { records } = await h.conn.query<{ Id: string }>(`SELECT Id FROM ${type} ORDER BY Id LIMIT 40`);
      expect(records.length).toBeGreaterThan(0);
      for (const { Id } of records.filter((_, i) => i % 8 === 0)) {
        const record = (await h.conn.sobject(type).retrieve(Id)) as Record<string, unknown>;
        expect(schemaProblems(schema, record)).toEqual([]);
      }
    }
  });

  it('has every field the connector reads of the synced objects in the OpenAPI schemas, and serves them', async () => {
    // A field missing from a schema would be skipped by schemaProblems above, unchecked.
    for (const object of ['Account', 'Campaign', 'CampaignMember', 'Task', 'Event', 'Opportunity'] as const) {
      const fields = fieldsOf(object, { multiCurrency: false, campaigns: true });
      expect(fields.filter((f) => !(f in schemaOf(`${object}SObject`)))).toEqual([]);
      const { records } = await h.conn.query<Record<string, unknown>>(
        `SELECT ${fields.join(', ')} FROM ${object} LIMIT 20`,
      );
      for (const record of records) expect(schemaProblems(`${object}SObject`, record)).toEqual([]);
    }
    const contact = await h.conn.query<Record<string, unknown>>(
      `SELECT Id, ${ACCOUNT_ADDRESS_FIELDS.join(', ')} FROM Contact LIMIT 5`,
    );
    for (const record of contact.records)
      expect(schemaProblems('AccountSObject', record.Account as Record<string, unknown>)).toEqual([]);
  });

  it('updates 200 records in one collection call and refuses 201 with EXCEEDED_ID_LIMIT', async () => {
    const ok = await h.conn
      .sobject('Contact')
      .update(contactIds.slice(0, 200).map((Id) => ({ Id, CLV_Predicted_12M__c: 12.5 })));
    expect(ok).toHaveLength(200);
    expect(ok.every((r) => r.success)).toBe(true);
    const stored = await h.conn.query<{ CLV_Predicted_12M__c: number; SystemModstamp: string }>(
      `SELECT CLV_Predicted_12M__c, SystemModstamp FROM Contact WHERE Id = '${contactIds[0]}'`,
    );
    expect(stored.records[0]).toMatchObject({
      CLV_Predicted_12M__c: 12.5,
      SystemModstamp: '2026-11-20T09:00:00.000+0000',
    });
    const refused = await rejection(() =>
      h.conn
        .sobject('Contact')
        .update(contactIds.slice(0, 201).map((Id) => ({ Id, CLV_Predicted_12M__c: 1 }))),
    );
    expect(refused.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('reports per-record errors with allOrNone false and rolls everything back with true', async () => {
    const ids = contactIds.slice(0, 3);
    const partial = await h.conn.sobject('Contact').update([
      { Id: ids[0], CLV_Churn_Risk__c: 'low' },
      { Id: ids[1], CLV_Churn_Risk__c: 'extreme' },
      { Id: ids[2], Nope__c: 1 },
    ]);
    expect(partial[0]).toEqual({ id: ids[0], success: true, errors: [] });
    expect(partial[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: [CHURN_RISK_FIELD] }],
    });
    expect(partial[2]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_FIELD', fields: ['Nope__c'] }],
    });
    const rolled = await h.conn.sobject('Contact').update(
      [
        { Id: ids[0], CLV_Churn_Risk__c: 'medium' },
        { Id: ids[1], CLV_Predicted_12M__c: 'lots' },
      ],
      { allOrNone: true },
    );
    expect(rolled[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(rolled[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' }],
    });
    const after = await h.conn.query<{ CLV_Churn_Risk__c: string }>(
      `SELECT CLV_Churn_Risk__c FROM Contact WHERE Id = '${ids[0]}'`,
    );
    expect(after.records[0].CLV_Churn_Risk__c).toBe('low');
  });

  it('journals one line per record an accepted write changed', async () => {
    journal.length = 0;
    await h.conn.sobject('Contact').update({ Id: contactIds[5], CLV_Churn_Risk__c: 'medium' });
    expect(journal).toEqual([
      {
        time: new Date(NOW).toISOString(),
        method: 'PATCH',
        path: `/services/data/v62.0/sobjects/Contact/${contactIds[5]}`,
        objectType: 'Contact',
        id: contactIds[5],
        fields: { CLV_Churn_Risk__c: 'medium' },
      },
    ]);
  });

  it('runs the Flow once per contact that turns high, not when it stays high', async () => {
    const ids = contactIds.slice(10, 14);
    const tasksOf = async () =>
      (
        await h.conn.query<{ WhoId: string; OwnerId: string; Status: string; Priority: string }>(
          `SELECT WhoId, OwnerId, Status, Priority FROM Task WHERE Subject = '${FLOW_TASK_SUBJECT}'`,
        )
      ).records;
    await h.conn
      .sobject('Contact')
      .update(ids.map((Id, i) => ({ Id, CLV_Churn_Risk__c: i < 3 ? 'high' : 'low' })));
    await h.conn.sobject('Contact').update(ids.map((Id) => ({ Id, CLV_Churn_Risk__c: 'high' })));
    const tasks = await tasksOf();
    expect(tasks.map((t) => t.WhoId).sort()).toEqual([...ids].sort());
    const owners = await h.conn.query<{ Id: string; OwnerId: string }>(
      `SELECT Id, OwnerId FROM Contact WHERE Id IN ('${ids.join("','")}')`,
    );
    for (const t of tasks) {
      expect(t).toMatchObject({ Status: 'Not Started', Priority: 'High' });
      expect(t.OwnerId).toBe(owners.records.find((c) => c.Id === t.WhoId)!.OwnerId);
    }
  });

  it('answers the validation rule with a per-record FIELD_CUSTOM_VALIDATION_EXCEPTION', async () => {
    h.sandbox.automation.validationRejectIds.add(contactIds[20]);
    const res = await h.conn.sobject('Contact').update([
      { Id: contactIds[20], CLV_Churn_Risk__c: 'low' },
      { Id: contactIds[21], CLV_Churn_Risk__c: 'low' },
    ]);
    expect(res[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }],
    });
    expect(res[1]).toMatchObject({ success: true });
  });

  it('refreshes an expired token once through the refresh-token flow and completes the query', async () => {
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
    await conn.query('SELECT Id FROM Contact LIMIT 1');
    h.sandbox.tokens.expire(stale);
    const results = await Promise.all([1, 2, 3].map(() => conn.query('SELECT Id FROM Contact LIMIT 5')));
    expect(results.map((r) => r.records.length)).toEqual([5, 5, 5]);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toContain('.');
    const bad = new Connection({
      oauth2: { clientId: 'CID', clientSecret: 'CSECRET', loginUrl: h.server.url },
      instanceUrl: h.server.url,
      accessToken: 'nope',
      refreshToken: 'RT_BAD',
      version: '62.0',
    });
    expect((await rejection(() => bad.query('SELECT Id FROM Contact'))).message).toBe(
      'Unable to refresh session due to: expired access/refresh token',
    );
  });

  it('accepts a JWT bearer assertion signed with the connected app key and refuses a foreign one', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = await startHarness({
      contacts: 3,
      oauthClients: [
        {
          clientId: 'JWT_APP',
          clientSecret: 's',
          jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      ],
    });
    try {
      const assertion = (key: typeof keys.privateKey, claims: Record<string, unknown>) => {
        const head = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
        const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`;
      };
      const claims = {
        iss: 'JWT_APP',
        sub: 'ada.moreau@sandbox.example.com',
        aud: jwt.server.url,
        exp: Math.floor(Date.now() / 1000) + 180,
      };
      const conn = new Connection({ loginUrl: jwt.server.url, version: '62.0' });
      const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      await conn.authorize({ grant_type: grant, assertion: assertion(keys.privateKey, claims) });
      expect(conn.instanceUrl).toBe(jwt.server.url);
      expect(conn.userInfo?.organizationId).toBe('00D000000000001AAA');
      expect((await conn.query('SELECT count() FROM Contact')).totalSize).toBe(3);
      const refused = await rejection(() =>
        new Connection({ loginUrl: jwt.server.url, version: '62.0' }).authorize({
          grant_type: grant,
          assertion: assertion(other.privateKey, claims),
        }),
      );
      expect(refused.name).toBe('invalid_grant');
      const expired = await rejection(() =>
        new Connection({ loginUrl: jwt.server.url, version: '62.0' }).authorize({
          grant_type: grant,
          assertion: assertion(keys.privateKey, { ...claims, exp: Math.floor(Date.now() / 1000) - 10 }),
        }),
      );
      expect(expired.name).toBe('invalid_grant');
    } finally {
      await jwt.server.close();
    }
  });

  it('reports api usage in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED when it is used up', async () => {
    await h.conn.limits();
    expect(h.conn.limitInfo?.apiUsage).toEqual({ used: h.sandbox.usage.used, limit: 15_000 });
    const limits = await h.conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - h.sandbox.usage.used });
    h.sandbox.usage.used = 15_000;
    const refused = await rejection(() => h.conn.query('SELECT Id FROM Contact LIMIT 1'));
    expect(refused.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(refused.message).toBe('TotalRequests Limit exceeded.');
    h.sandbox.usage.used = 0;
    const unknown = await rejection(() =>
      new Connection({ instanceUrl: h.server.url, accessToken: `${TOKEN}x`, version: '62.0' }).query(
        'SELECT Id FROM Contact',
      ),
    );
    expect(unknown.errorCode).toBe('INVALID_SESSION_ID');
  });
});
