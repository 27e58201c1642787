/**
 * Bulk API 2.0 ingest and query against the sandbox through real jsforce 3.10.16: `bulk2.loadAndWaitForResults`
 * through the validation rule, the Flow and the journal; `bulk2.query` for a one-page result, and the locator
 * paging NOTES §2.5 prescribes for larger results (jsforce's own multi-page stream crashes in 3.10.16).
 */

import type { Connection } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2';
import HttpApi from 'jsforce/lib/http-api';
import {
  CHURN_RISK_FIELD,
  FLOW_TASK_SUBJECT,
  type JournalEntry,
} from '../../../../connectors/salesforce/sandbox';
import { rejection, startHarness, type Harness } from './sandbox-harness';

const POLL = { pollInterval: 20, pollTimeout: 60_000 };
const RISKS = ['low', 'medium', 'high'];

/** Result pages of a finished query job, read with the locator as NOTES §2.5 shows. */
async function pagesOf(conn: Connection, jobId: string, maxRecords: number) {
  const pages: { locator: string; count: string; rows: Record<string, string>[] }[] = [];
  let locator: string | undefined;
  do {
    const api = new HttpApi(conn, { responseType: 'text/csv' });
    let headers: Record<string, string> = {};
    api.on('response', (r: { headers: Record<string, string> }) => {
      headers = r.headers;
    });
    const query = locator
      ? `?locator=${encodeURIComponent(locator)}&maxRecords=${maxRecords}`
      : `?maxRecords=${maxRecords}`;
    const rows = (await api.request({
      method: 'GET',
      url: `${conn.instanceUrl}/services/data/v${conn.version}/jobs/query/${jobId}/results${query}`,
      headers: { Accept: 'text/csv' },
    })) as Record<string, string>[];
    locator = headers['sforce-locator'];
    pages.push({ locator, count: headers['sforce-numberofrecords'], rows });
  } while (locator && locator !== 'null');
  return pages;
}

describe('Salesforce sandbox: Bulk API 2.0 through jsforce', () => {
  let h: Harness;
  let journal: JournalEntry[];
  let contactIds: string[];
  beforeAll(async () => {
    journal = [];
    h = await startHarness({ contacts: 5000, bulkDelayMs: 30, journal: (e) => journal.push(...e) });
    h.sandbox.defineCustomField('Contact', { name: CHURN_RISK_FIELD, type: 'Picklist', values: RISKS });
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

  it('updates 1,000 contacts: 5 refused by the validation rule in failedResults, 995 in successfulResults', async () => {
    expect(contactIds).toHaveLength(5000);
    const rejected = [10, 200, 201, 202, 999].map((i) => contactIds[i]);
    for (const id of rejected) h.sandbox.automation.validationRejectIds.add(id);
    const tasksBefore = await h.conn.query(`SELECT count() FROM Task WHERE Subject = '${FLOW_TASK_SUBJECT}'`);
    journal.length = 0;

    const input = contactIds.slice(0, 1000).map((Id, i) => ({
      Id,
      CLV_Predicted_12M__c: i * 1.5,
      [CHURN_RISK_FIELD]: RISKS[i % 3],
    }));
    const results = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'update',
      input,
      ...POLL,
    });

    expect(results.failedResults).toHaveLength(5);
    expect(results.failedResults.map((r) => r.sf__Id).sort()).toEqual([...rejected].sort());
    for (const r of results.failedResults)
      expect(r.sf__Error).toMatch(/^FIELD_CUSTOM_VALIDATION_EXCEPTION:This contact is locked/);
    expect(results.successfulResults).toHaveLength(995);
    expect(results.successfulResults.every((r) => r.sf__Created === 'false')).toBe(true);
    expect(results.successfulResults[0]).toMatchObject({
      sf__Id: contactIds[0],
      Id: contactIds[0],
      CLV_Predicted_12M__c: '0',
      CLV_Churn_Risk__c: 'low',
    });
    expect(results.unprocessedRecords).toEqual([]);

    // Job info as the poll saw it.
    const list = await h.conn.request<{ records: { id: string; operation: string }[] }>(
      '/services/data/v62.0/jobs/ingest',
    );
    const jobId = list.records.filter((j) => j.operation === 'update').pop()!.id;
    const info = await h.conn.request<Record<string, unknown>>(`/services/data/v62.0/jobs/ingest/${jobId}`);
    expect(info).toMatchObject({
      state: 'JobComplete',
      object: 'Contact',
      numberRecordsProcessed: 1000,
      numberRecordsFailed: 5,
    });

    // Values landed; the rejected records kept theirs.
    const check = await h.conn.query<{ Id: string; CLV_Predicted_12M__c: number | null }>(
      `SELECT Id, CLV_Predicted_12M__c FROM Contact WHERE Id IN ('${contactIds[7]}', '${contactIds[10]}')`,
    );
    expect(Object.fromEntries(check.records.map((r) => [r.Id, r.CLV_Predicted_12M__c]))).toEqual({
      [contactIds[7]]: 10.5,
      [contactIds[10]]: null,
    });

    // Flow: 333 of the 1,000 rows set 'high' (i % 3 == 2); row 200 is one of them and was refused → 332 Tasks.
    const tasksAfter = await h.conn.query(`SELECT count() FROM Task WHERE Subject = '${FLOW_TASK_SUBJECT}'`);
    expect(tasksAfter.totalSize - tasksBefore.totalSize).toBe(332);

    // Journal: one entry per saved record, naming the job's batches upload.
    expect(journal).toHaveLength(995);
    expect(new Set(journal.map((e) => `${e.method} ${e.path}`))).toEqual(
      new Set([`PUT /services/data/v62.0/jobs/ingest/${jobId}/batches`]),
    );
    expect(journal.find((e) => e.id === contactIds[7])).toMatchObject({
      objectType: 'Contact',
      fields: { CLV_Predicted_12M__c: 10.5, CLV_Churn_Risk__c: 'medium' },
    });
  });

  it('clears with #N/A, leaves empty cells unchanged, and inserts with sf__Created true', async () => {
    const [a, b] = [contactIds[3000], contactIds[3001]];
    await h.conn.sobject('Contact').update([
      { Id: a, CLV_Predicted_12M__c: 1, [CHURN_RISK_FIELD]: 'low' },
      { Id: b, CLV_Predicted_12M__c: 2, [CHURN_RISK_FIELD]: 'low' },
    ]);
    // jsforce writes null as #N/A; b lacks the key, so its cell is empty (NOTES §2.6).
    const update = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'update',
      input: [
        { Id: a, [CHURN_RISK_FIELD]: null, CLV_Predicted_12M__c: 7 },
        { Id: b, CLV_Predicted_12M__c: 8 },
      ],
      ...POLL,
    });
    expect(update.successfulResults).toHaveLength(2);
    const after = await h.conn.query<{
      Id: string;
      CLV_Churn_Risk__c: string | null;
      CLV_Predicted_12M__c: number;
    }>(
      `SELECT Id, CLV_Churn_Risk__c, CLV_Predicted_12M__c FROM Contact WHERE Id IN ('${a}', '${b}') ORDER BY Id`,
    );
    expect(after.records.map((r) => [r.Id, r.CLV_Churn_Risk__c, r.CLV_Predicted_12M__c])).toEqual([
      [a, null, 7],
      [b, 'low', 8],
    ]);

    const insert = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: [
        { LastName: 'Bulk One', [CHURN_RISK_FIELD]: 'medium' },
        { LastName: 'Bulk Two', [CHURN_RISK_FIELD]: 'extreme' },
      ],
      ...POLL,
    });
    expect(insert.successfulResults).toHaveLength(1);
    expect(insert.successfulResults[0]).toMatchObject({ sf__Created: 'true', LastName: 'Bulk One' });
    expect(insert.successfulResults[0].sf__Id).toMatch(/^0035g/);
    expect(insert.failedResults).toHaveLength(1);
    expect(insert.failedResults[0]).toMatchObject({ sf__Id: '', LastName: 'Bulk Two' });
    expect(insert.failedResults[0].sf__Error).toMatch(/^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:/);
    contactIds.push(insert.successfulResults[0].sf__Id);
  });

  it('fails the whole job when a column is not a field of the object', async () => {
    const error = await rejection(() =>
      h.conn.bulk2.loadAndWaitForResults({
        object: 'Contact',
        operation: 'update',
        input: [{ Id: contactIds[0], Nope__c: 'x' }],
        ...POLL,
      }),
    );
    expect(error.message).toBe(
      'Ingest job failed to complete due to: InvalidBatch : Field name not found : Nope__c',
    );
  });

  it('answers a one-page query through bulk2.query, nulls as empty strings', async () => {
    const stream = await h.conn.bulk2.query(
      `SELECT Id, CLV_Predicted_12M__c, CLV_Churn_Risk__c FROM Contact WHERE Id IN ('${contactIds[1]}', '${contactIds[2000]}') ORDER BY Id`,
      POLL,
    );
    const rows: Record<string, string>[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (r: Record<string, string>) => rows.push(r));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    expect(rows).toEqual([
      { Id: contactIds[1], CLV_Predicted_12M__c: '1.5', CLV_Churn_Risk__c: 'medium' },
      { Id: contactIds[2000], CLV_Predicted_12M__c: '', CLV_Churn_Risk__c: '' },
    ]);
  });

  it('pages 5,001 rows (5,000 seeded + 1 bulk insert) by Sforce-Locator with maxRecords, literal null on the last page', async () => {
    const job = new QueryJobV2(h.conn, {
      bodyParams: { query: 'SELECT Id, LastName FROM Contact', operation: 'query' },
      pollingOptions: POLL,
    });
    await job.open();
    await job.poll(POLL.pollInterval, POLL.pollTimeout);
    const pages = await pagesOf(h.conn, job.id, 2000);
    // base64("2000") = MjAwMA==, base64("4000") = NDAwMA== (Salesforce-style locators, padding dropped).
    expect(pages.map((p) => [p.locator, p.count, p.rows.length])).toEqual([
      ['MjAwMA', '2000', 2000],
      ['NDAwMA', '2000', 2000],
      ['null', '1001', 1001],
    ]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.Id));
    expect(new Set(ids).size).toBe(5001);
    expect(ids.slice(0, 5000)).toEqual(contactIds.slice(0, 5000));
    expect(pages[2].rows[1000]).toEqual({ Id: contactIds[5000], LastName: 'Bulk One' });
  });
});
