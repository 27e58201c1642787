/**
 * Bulk API 2.0 query (NOTES §2.5, §7.7): `POST /jobs/query` {operation query|queryAll, query, columnDelimiter,
 * lineEnding} → state UploadComplete; the query runs when the job reaches JobComplete (a snapshot then);
 * `GET /jobs/query/{id}` to poll; `GET /jobs/query/{id}/results[?locator=&maxRecords=]` → text/csv with
 * `Sforce-NumberOfRecords` and *always* `Sforce-Locator` — the next page's locator (base64 of the row offset,
 * like Salesforce's `MTAwMDA`) or the literal `null` on the last page (jsforce loops forever without it,
 * NOTES §2.5). Results must be read with the API version that created the job (409 otherwise, [D]).
 * CSV values: null → empty, booleans `true`/`false`, dateTimes `2024-01-05T10:00:00.000Z`, columns in the
 * order of the SELECT list, parent fields as `Account.Name`. `SELECT count()` is refused (Bulk query does not
 * aggregate, [U] wording).
 *
 * NB jsforce 3.10.16's `bulk2.query()` crashes on a multi-page result (NOTES §2.5, §8): clients page with the
 * locator themselves; the sandbox pages exactly as Salesforce does so that pitfall is reproducible.
 */

import { Router } from 'express';
import { apiVersionNumber, invalidJobState, jobIn, type JobClock } from './bulk-jobs';
import { DELIMITERS, formatCsv, type ColumnDelimiter, type LineEnding } from './bulk-csv';
import { sfDatetime, type SfRecord } from './org-store';
import { orgSoqlSchema } from './query-routes';
import { SalesforceApiError } from './salesforce-error';
import type { SandboxContext } from './sandbox-context';
import {
  applyLimit,
  bindQuery,
  parseSoql,
  selectRows,
  SoqlError,
  type BoundQuery,
  type ResolvedField,
} from './soql';
import { readPath, versionOf } from './wire-record';

type QueryState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

type QueryJob = {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  bound: BoundQuery;
  state: QueryState;
  version: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  header: string[];
  rows: string[][];
  processingMs: number;
};

function jobInfo(job: QueryJob, full: boolean) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: apiVersionNumber(job.version),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...(full
      ? {
          jobType: 'V2Query',
          numberRecordsProcessed: job.rows.length,
          retries: 0,
          totalProcessingTime: job.processingMs,
        }
      : {}),
  };
}

function csvValue(value: unknown, field: ResolvedField): string {
  if (value === null || value === undefined) return '';
  if (field.type === 'datetime' && typeof value === 'string') return value.replace(/\+0000$/, 'Z');
  return String(value);
}

const encodeLocator = (offset: number) => Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');

function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function bulkQueryRoutes(
  ctx: SandboxContext,
  clock: JobClock,
  pageSize: number,
  beforeWork: () => void,
): Router {
  const router = Router({ mergeParams: true });
  const jobs = new Map<string, QueryJob>();

  const jobOf = (id: string): QueryJob => jobIn(jobs, id);

  const run = (job: QueryJob) => {
    const started = Date.now();
    beforeWork();
    const { bound } = job;
    const type = bound.object;
    const fields = bound.fields as ResolvedField[];
    const rows = [...ctx.store.records.get(type)!.values()].filter(
      (r) => job.operation === 'queryAll' || !r.IsDeleted,
    );
    const read = (row: SfRecord, field: ResolvedField) => readPath(ctx.store, type, row, field);
    const selected = applyLimit(bound, selectRows(bound, rows, read));
    job.header = fields.map((f) => f.path.join('.'));
    job.rows = selected.map((r) => fields.map((f) => csvValue(read(r, f), f)));
    job.state = 'JobComplete';
    job.processingMs = Date.now() - started;
  };

  router.post('/jobs/query', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll')
      throw new SalesforceApiError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(operation)}`);
    const query = typeof body.query === 'string' ? body.query : '';
    let bound: BoundQuery;
    try {
      bound = bindQuery(parseSoql(query), orgSoqlSchema(ctx.store), ctx.now());
    } catch (error) {
      if (error instanceof SoqlError) throw new SalesforceApiError(400, error.errorCode, error.message);
      throw error;
    }
    if (bound.fields === 'count')
      throw new SalesforceApiError(
        400,
        'API_ERROR',
        'Aggregate queries are not supported by Bulk API 2.0 query',
      );
    const lineEnding = (body.lineEnding ?? 'LF') as LineEnding;
    const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
    if ((lineEnding !== 'LF' && lineEnding !== 'CRLF') || !(columnDelimiter in DELIMITERS))
      throw new SalesforceApiError(400, 'INVALIDJOB', 'InvalidJob : Invalid lineEnding or columnDelimiter');
    const at = sfDatetime(ctx.now());
    const job: QueryJob = {
      id: clock.nextId(),
      operation,
      object: bound.object,
      query,
      bound,
      state: 'UploadComplete',
      version: versionOf(req),
      lineEnding,
      columnDelimiter,
      createdById: ctx.store.apiUserId,
      createdDate: at,
      systemModstamp: at,
      header: [],
      rows: [],
      processingMs: 0,
    };
    jobs.set(job.id, job);
    clock.later(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      job.systemModstamp = sfDatetime(ctx.now());
      clock.later(() => {
        if (job.state !== 'InProgress') return;
        run(job);
        job.systemModstamp = sfDatetime(ctx.now());
      });
    });
    res.json(jobInfo(job, false));
  });

  router.get('/jobs/query', (_req, res) => {
    res.json({ done: true, records: [...jobs.values()].map((j) => jobInfo(j, false)), nextRecordsUrl: null });
  });

  router.get('/jobs/query/:id', (req, res) => {
    res.json(jobInfo(jobOf(req.params.id), true));
  });

  router.get('/jobs/query/:id/results', (req, res) => {
    const job = jobOf(req.params.id);
    if (versionOf(req) !== job.version)
      throw new SalesforceApiError(
        409,
        'INVALIDJOBSTATE',
        `Results of job ${job.id} must be retrieved with API version ${apiVersionNumber(job.version).toFixed(1)}`,
      );
    if (job.state !== 'JobComplete') throw invalidJobState(`Job ${job.id} is ${job.state}, not JobComplete`);
    const locator =
      typeof req.query.locator === 'string' && req.query.locator !== '' ? req.query.locator : undefined;
    const offset = locator === undefined ? 0 : decodeLocator(locator);
    if (offset === undefined || offset > job.rows.length)
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', `Invalid locator: ${locator ?? ''}`);
    const max = req.query.maxRecords === undefined ? pageSize : Number(req.query.maxRecords);
    if (!Number.isInteger(max) || max < 1)
      throw new SalesforceApiError(400, 'INVALID_BATCH_SIZE', `maxRecords must be a positive integer`);
    const page = job.rows.slice(offset, offset + max);
    const next = offset + page.length;
    res
      .status(200)
      .set('Sforce-Locator', next < job.rows.length ? encodeLocator(next) : 'null')
      .set('Sforce-NumberOfRecords', String(page.length))
      .type('text/csv')
      .send(formatCsv([job.header, ...page], DELIMITERS[job.columnDelimiter], job.lineEnding));
  });

  router.patch('/jobs/query/:id', (req, res) => {
    const job = jobOf(req.params.id);
    const state = (req.body as { state?: unknown } | undefined)?.state;
    if (state !== 'Aborted' || !['UploadComplete', 'InProgress'].includes(job.state))
      throw invalidJobState(`Cannot change the state of job ${job.id} from ${job.state} to ${String(state)}`);
    job.state = 'Aborted';
    res.json(jobInfo(job, false));
  });

  router.delete('/jobs/query/:id', (req, res) => {
    const job = jobOf(req.params.id);
    if (job.state === 'InProgress') throw invalidJobState(`Job ${job.id} cannot be deleted while InProgress`);
    jobs.delete(job.id);
    res.status(204).end();
  });

  return router;
}
