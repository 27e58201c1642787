/**
 * Bulk API 2.0 jobs driven step by step (NOTES §2.5, §2.6), not through jsforce's bulk2 helpers: its
 * `bulk2.query()` crashes on results longer than one page (ERR_STREAM_WRITE_AFTER_END, NOTES §2.5, §8) and
 * its poll timeout deletes the still-running job (NOTES §2.6). Jobs are created, closed and polled with
 * `conn.request` (JSON; it keeps Sforce-Limit-Info in conn.limitInfo), results are read as raw CSV through
 * jsforce's HttpApi (session refresh included) so the Sforce-Locator header can be followed page by page.
 * Every HTTP request goes through the run's caller: each counts as one API call and is checked against the
 * reserve first. A job that does not finish in time is left running (never deleted): BulkJobTimeoutError.
 */
import HttpApi from 'jsforce/lib/http-api';
import type { SalesforceConnection } from '../create-connection';
import { SalesforceRequestError } from '../errors';
import type { SalesforceCaller } from '../salesforce-caller';
import { csvObjects, parseCsv } from './csv';

export type BulkPolling = {
  /** Between two job status requests; default 1,000 ms (jsforce's default). */
  pollIntervalMs?: number;
  /** A job not finished after this long is left running and reported; default 10 minutes. */
  pollTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type JobInfo = {
  id: string;
  state: JobState;
  errorMessage?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
};

/** Calls one job took, by kind (each is one API call). */
export type JobCalls = { create: number; upload: number; polls: number; results: number };

export class BulkJobTimeoutError extends Error {
  constructor(
    readonly jobId: string,
    readonly state: string,
    waitedMs: number,
  ) {
    super(
      `Bulk API 2.0 job ${jobId} was still ${state} after ${Math.round(waitedMs / 1000)} s; it was left running ` +
        '(not deleted)',
    );
    this.name = 'BulkJobTimeoutError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const TERMINAL = new Set<JobState>(['JobComplete', 'Failed', 'Aborted']);

function jobsPath(sf: SalesforceConnection, kind: 'query' | 'ingest', rest = ''): string {
  return `/services/data/v${sf.conn.version}/jobs/${kind}${rest}`;
}

async function jsonRequest<T>(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  return caller.call(
    () =>
      sf.conn.request<T>({
        method,
        url,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...headers,
        },
      }) as Promise<T>,
    { retryTransient: method === 'GET' },
  );
}

/**
 * A GET answered with CSV: the raw text and the response headers (HttpApi exposes them, conn.request does not).
 * `accept` as jsforce sends it (NOTES §2.5, §2.6, captured): `text/csv` for query results, its default for
 * ingest results.
 */
async function csvGet(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  path: string,
  accept?: 'text/csv',
): Promise<{ text: string; headers: Record<string, string | undefined> }> {
  return caller.call(
    async () => {
      let headers: Record<string, string | undefined> = {};
      const api = new HttpApi(sf.conn, { responseType: 'text/plain' });
      api.on('response', (response: { headers?: Record<string, string | undefined> }) => {
        headers = response.headers ?? {};
        // As conn.request does (NOTES §3.4): the caller's reserve check reads conn.limitInfo.
        const usage = /api-usage=(\d+)\/(\d+)/.exec(headers['sforce-limit-info'] ?? '');
        if (usage) sf.conn.limitInfo = { apiUsage: { used: Number(usage[1]), limit: Number(usage[2]) } };
      });
      const body = await api.request<unknown>({
        method: 'GET',
        url: `${sf.conn.instanceUrl}${path}`,
        headers: accept === undefined ? {} : { Accept: accept },
      });
      return { text: typeof body === 'string' ? body : '', headers };
    },
    { retryTransient: true },
  );
}

/** Polls a job until it is JobComplete, Failed or Aborted; throws BulkJobTimeoutError past the timeout. */
async function waitForJob(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  kind: 'query' | 'ingest',
  jobId: string,
  polling: BulkPolling,
  calls: JobCalls,
): Promise<JobInfo> {
  const interval = polling.pollIntervalMs ?? 1000;
  const timeout = polling.pollTimeoutMs ?? 600_000;
  const sleep = polling.sleep ?? defaultSleep;
  const started = Date.now();
  for (;;) {
    await sleep(interval);
    calls.polls++;
    const info = await jsonRequest<JobInfo>(sf, caller, 'GET', jobsPath(sf, kind, `/${jobId}`));
    if (TERMINAL.has(info.state)) return info;
    const waited = Date.now() - started;
    if (waited >= timeout) throw new BulkJobTimeoutError(jobId, info.state, waited);
  }
}

export type QueryPage = { header: string[]; rows: string[][] };

/**
 * Runs `soql` as a Bulk API 2.0 query job (`queryAll` with scanAll: deleted rows too) and hands each result
 * page (≤ pageSize rows, default 50,000) to onPage before the next is requested.
 */
export async function bulkQuery(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  soql: string,
  onPage: (page: QueryPage) => Promise<void> | void,
  options: BulkPolling & { scanAll?: boolean; pageSize?: number } = {},
): Promise<{ jobId: string; rows: number; calls: JobCalls }> {
  const calls: JobCalls = { create: 1, upload: 0, polls: 0, results: 0 };
  const job = await jsonRequest<JobInfo>(sf, caller, 'POST', jobsPath(sf, 'query'), {
    operation: options.scanAll ? 'queryAll' : 'query',
    query: soql,
  });
  const done = await waitForJob(sf, caller, 'query', job.id, options, calls);
  if (done.state !== 'JobComplete')
    throw new SalesforceRequestError(
      'BULK_QUERY_FAILED',
      `Bulk API 2.0 query job ${job.id} ended ${done.state}${done.errorMessage ? `: ${done.errorMessage}` : ''}`,
    );
  const pageSize = options.pageSize ?? 50_000;
  let locator: string | undefined;
  let rows = 0;
  do {
    const query = `?${locator === undefined ? '' : `locator=${encodeURIComponent(locator)}&`}maxRecords=${pageSize}`;
    calls.results++;
    const page = await csvGet(sf, caller, jobsPath(sf, 'query', `/${job.id}/results${query}`), 'text/csv');
    // Salesforce always names the next page or 'null' (jsforce would loop forever without it, NOTES §2.5).
    const next = page.headers['sforce-locator'];
    locator = next === undefined || next === 'null' || next === '' ? undefined : next;
    const [header = [], ...data] = parseCsv(page.text);
    rows += data.length;
    if (data.length > 0) await onPage({ header, rows: data });
  } while (locator !== undefined);
  return { jobId: job.id, rows, calls };
}

export type IngestResult = {
  jobId: string;
  info: JobInfo;
  /** Rows of successfulResults / failedResults as objects (sf__Id, sf__Created | sf__Error, the uploaded columns). */
  successful: Record<string, string>[];
  failed: Record<string, string>[];
  calls: JobCalls;
};

/**
 * One Bulk API 2.0 ingest job: create, upload `csv` (one data file, ≤100 MB raw, NOTES §2.6), close, poll to a
 * terminal state, then read successful and failed results (a Failed or Aborted job: no results are read).
 * `beforeUpload` runs after the job exists and before any data is sent.
 */
export async function bulkIngest(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  job: { object: string; operation: 'update' | 'insert' | 'upsert' | 'delete'; csv: string },
  options: BulkPolling & { headers?: Record<string, string>; beforeUpload?: () => Promise<void> } = {},
): Promise<IngestResult> {
  const headers = options.headers ?? {};
  const calls: JobCalls = { create: 1, upload: 0, polls: 0, results: 0 };
  const created = await jsonRequest<JobInfo>(
    sf,
    caller,
    'POST',
    jobsPath(sf, 'ingest'),
    // As jsforce sends it (NOTES §2.6, captured): CSV and LF line endings are the job's defaults
    // (csv.ts writes LF), so the body names the object and the operation only.
    { object: job.object, operation: job.operation },
    headers,
  );
  const jobId = created.id;
  try {
    await options.beforeUpload?.();
    calls.upload++;
    await caller.call(() =>
      sf.conn.request({
        method: 'PUT',
        url: jobsPath(sf, 'ingest', `/${jobId}/batches`),
        body: job.csv,
        headers: { 'content-type': 'text/csv', ...headers },
      }),
    );
    calls.upload++;
    await jsonRequest(
      sf,
      caller,
      'PATCH',
      jobsPath(sf, 'ingest', `/${jobId}`),
      { state: 'UploadComplete' },
      headers,
    );
  } catch (error) {
    // Nothing of an unclosed job is processed; aborting it frees it at once (best effort).
    await sf.conn
      .request({
        method: 'PATCH',
        url: jobsPath(sf, 'ingest', `/${jobId}`),
        body: JSON.stringify({ state: 'Aborted' }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      })
      .catch(() => undefined);
    throw error;
  }
  const info = await waitForJob(sf, caller, 'ingest', jobId, options, calls);
  if (info.state !== 'JobComplete') return { jobId, info, successful: [], failed: [], calls };
  calls.results += 2;
  const successful = csvObjects(
    (await csvGet(sf, caller, jobsPath(sf, 'ingest', `/${jobId}/successfulResults`))).text,
  );
  const failed = csvObjects(
    (await csvGet(sf, caller, jobsPath(sf, 'ingest', `/${jobId}/failedResults`))).text,
  );
  return { jobId, info, successful, failed, calls };
}
