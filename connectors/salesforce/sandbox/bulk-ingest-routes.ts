/**
 * Bulk API 2.0 ingest (NOTES §2.6, §7.7): `POST /jobs/ingest` {object, operation insert|update|upsert|delete|
 * hardDelete, externalIdFieldName, lineEnding, columnDelimiter} → state Open; `PUT /jobs/ingest/{id}/batches`
 * (text/csv, once) → 201; `PATCH {state: UploadComplete|Aborted}`; `GET /jobs/ingest/{id}` with
 * numberRecordsProcessed / numberRecordsFailed; `GET …/successfulResults` (`sf__Id, sf__Created`, then the
 * uploaded columns), `…/failedResults` (`sf__Id, sf__Error`, …), `…/unprocessedrecords` (the uploaded columns);
 * `DELETE` in a terminal state.
 *
 * Processing goes through save-records.ts in chunks of 200 (Salesforce runs automation per 200-record chunk,
 * NOTES §5.2), so a bulk write meets the same field checks (including field-level security), validation rule,
 * Flow and journal as an sObject Collections write; the journal names the batches upload as the request. CSV
 * values: empty = leave unchanged, `#N/A` = set null [D datafiles_csv_valid_record_rows]. A header column that
 * is not a visible field fails the whole job (`InvalidBatch : Field name not found : X`, [U] wording).
 * sf__Error is `STATUS_CODE:message:fields --` as in Bulk result files ([U] exact layout).
 */

import express, { Router, type Request } from 'express';
import { apiVersionNumber, invalidJob, invalidJobState, jobIn, type JobClock } from './bulk-jobs';
import { DELIMITERS, formatCsv, parseCsv, type ColumnDelimiter, type LineEnding } from './bulk-csv';
import { fieldDef, objectDef, sfDatetime, type SfRecord } from './org-store';
import type { RecordError } from './salesforce-error';
import type { SandboxContext } from './sandbox-context';
import { deleteRecords, saveRecords, type SaveResult, type WriteInput } from './save-records';
import type { FieldDef, SObjectDef } from './sobject-schema';
import { versionOf } from './wire-record';

type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
type IngestState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

type IngestJob = {
  id: string;
  operation: Operation;
  object: string;
  externalIdFieldName?: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  state: IngestState;
  version: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  data?: string;
  errorMessage?: string;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  processed: number;
  processingMs: number;
};

const OPERATIONS: Operation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const CHUNK = 200;

function jobInfo(job: IngestJob, full: boolean) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: apiVersionNumber(job.version),
    contentUrl: `services/data/${job.version}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...(full
      ? {
          jobType: 'V2Ingest',
          retries: 0,
          totalProcessingTime: job.processingMs,
          apiActiveProcessingTime: job.processingMs,
          apexProcessingTime: 0,
          numberRecordsProcessed: job.processed,
          numberRecordsFailed: job.failed.length,
          ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
        }
      : {}),
  };
}

/** A CSV cell as a REST JSON value of the field's type; checkValues then applies the usual rules. */
function cellValue(field: FieldDef, raw: string): unknown {
  if (raw === '#N/A') return null;
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return /^(true|1)$/i.test(raw) ? true : /^(false|0)$/i.test(raw) ? false : raw;
    default:
      return raw;
  }
}

function errorText(errors: RecordError[]): string {
  const [e] = errors;
  return e ? `${e.statusCode}:${e.message}:${e.fields.length > 0 ? `${e.fields.join(' ')} ` : ''}--` : '';
}

export function bulkIngestRoutes(ctx: SandboxContext, clock: JobClock, beforeWork: () => void): Router {
  const router = Router({ mergeParams: true });
  const jobs = new Map<string, IngestJob>();

  const jobOf = (id: string): IngestJob => jobIn(jobs, id);

  const touch = (job: IngestJob) => {
    job.systemModstamp = sfDatetime(ctx.now());
  };

  const runJob = (job: IngestJob): void => {
    const started = Date.now();
    beforeWork();
    const def = objectDef(ctx.store, job.object)!;
    const fail = (message: string, rows: string[][]) => {
      job.state = 'Failed';
      job.errorMessage = message;
      job.unprocessed = rows;
    };
    if (job.data === undefined || job.data.trim() === '')
      return fail('InvalidBatch : No data was uploaded', []);
    let rows: string[][];
    try {
      rows = parseCsv(job.data, DELIMITERS[job.columnDelimiter]);
    } catch (error) {
      return fail(`InvalidBatch : ${(error as Error).message}`, []);
    }
    const [header, ...data] = rows;
    job.header = header;
    const columns: (FieldDef | 'Id')[] = [];
    for (const name of header) {
      if (name.toLowerCase() === 'id') {
        columns.push('Id');
        continue;
      }
      const f = fieldDef(def, name);
      if (!f) return fail(`InvalidBatch : Field name not found : ${name}`, data);
      columns.push(f);
    }
    const bad = data.findIndex((r) => r.length !== header.length);
    if (bad >= 0) return fail(`InvalidBatch : Wrong number of columns in row ${bad + 2}`, data);
    const ext = job.externalIdFieldName;
    const extField = ext && ext.toLowerCase() !== 'id' ? fieldDef(def, ext) : undefined;
    if (job.operation === 'upsert' && ext && ext.toLowerCase() !== 'id' && !extField)
      return fail(`InvalidBatch : Field name not found : ${ext}`, data);

    const request = {
      method: 'PUT',
      originalUrl: `/services/data/${job.version}/jobs/ingest/${job.id}/batches`,
    } as unknown as Request;
    for (let start = 0; start < data.length; start += CHUNK) {
      const chunk = data.slice(start, start + CHUNK);
      const outcomes = processChunk(job, def, columns, extField, chunk, request);
      chunk.forEach((row, i) => {
        const { result, created } = outcomes[i];
        if (result.success) job.successful.push([result.id ?? '', created ? 'true' : 'false', ...row]);
        else job.failed.push([result.id ?? '', errorText(result.errors), ...row]);
      });
      job.processed += chunk.length;
    }
    job.state = 'JobComplete';
    job.processingMs = Date.now() - started;
  };

  const processChunk = (
    job: IngestJob,
    def: SObjectDef,
    columns: (FieldDef | 'Id')[],
    extField: FieldDef | undefined,
    rows: string[][],
    request: Request,
  ): { result: SaveResult; created: boolean }[] => {
    const idOf = (row: string[]) => {
      const i = columns.indexOf('Id');
      return i >= 0 && row[i] !== '' ? row[i] : undefined;
    };
    const valuesOf = (row: string[]) => {
      const values: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        if (c !== 'Id' && row[i] !== '') values[c.name] = cellValue(c, row[i]);
      });
      return values;
    };
    const out: { result: SaveResult; created: boolean }[] = new Array(rows.length);
    if (job.operation === 'delete' || job.operation === 'hardDelete') {
      const results = deleteRecords(
        ctx,
        request,
        rows.map((r) => idOf(r) ?? ''),
        false,
      );
      results.forEach((result, i) => (out[i] = { result, created: false }));
      return out;
    }
    const creates: { index: number; input: WriteInput }[] = [];
    const updates: { index: number; input: WriteInput }[] = [];
    rows.forEach((row, index) => {
      const values = valuesOf(row);
      const id = idOf(row);
      if (job.operation === 'insert') {
        creates.push({ index, input: { type: def.name, id, values } });
        return;
      }
      if (job.operation === 'update' || !extField) {
        if (job.operation === 'update' && id === undefined) {
          out[index] = {
            result: {
              success: false,
              errors: [
                { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] },
              ],
            },
            created: false,
          };
          return;
        }
        if (id === undefined) creates.push({ index, input: { type: def.name, values } });
        else updates.push({ index, input: { type: def.name, id, values } });
        return;
      }
      const key = values[extField.name];
      if (key === undefined || key === null) {
        out[index] = {
          result: {
            success: false,
            errors: [
              {
                statusCode: 'MISSING_ARGUMENT',
                message: `${extField.name} not specified`,
                fields: [extField.name],
              },
            ],
          },
          created: false,
        };
        return;
      }
      const matches: SfRecord[] = [];
      for (const record of ctx.store.records.get(def.name)!.values())
        if (!record.IsDeleted && record[extField.name] === key) matches.push(record);
      if (matches.length > 1)
        out[index] = {
          result: {
            success: false,
            errors: [
              {
                statusCode: 'DUPLICATE_EXTERNAL_ID',
                message: `${extField.label}: more than one record found for external id field: ${matches.map((m) => m.Id).join(', ')}`,
                fields: [extField.name],
              },
            ],
          },
          created: false,
        };
      else if (matches.length === 1)
        updates.push({ index, input: { type: def.name, id: matches[0].Id, values } });
      else creates.push({ index, input: { type: def.name, values } });
    });
    if (creates.length > 0)
      saveRecords(
        ctx,
        request,
        'create',
        creates.map((c) => c.input),
        false,
      ).forEach((result, i) => (out[creates[i].index] = { result, created: true }));
    if (updates.length > 0)
      saveRecords(
        ctx,
        request,
        'update',
        updates.map((u) => u.input),
        false,
      ).forEach((result, i) => (out[updates[i].index] = { result, created: false }));
    return out;
  };

  router.post('/jobs/ingest', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const def = typeof body.object === 'string' ? objectDef(ctx.store, body.object) : undefined;
    if (!def) throw invalidJob(`Unable to find object: ${String(body.object ?? '')}`);
    const operation = body.operation as Operation;
    if (!OPERATIONS.includes(operation))
      throw invalidJob(`Invalid operation: ${String(body.operation ?? '')}`);
    if (
      operation === 'upsert' &&
      (typeof body.externalIdFieldName !== 'string' || body.externalIdFieldName === '')
    )
      throw invalidJob(`External ID was blank for ${def.name}. An External ID must be specified for upsert.`);
    if (body.contentType !== undefined && body.contentType !== 'CSV')
      throw invalidJob(`Invalid contentType: ${String(body.contentType)}`);
    const lineEnding = (body.lineEnding ?? 'LF') as LineEnding;
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw invalidJob(`Invalid lineEnding: ${String(lineEnding)}`);
    const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
    if (!(columnDelimiter in DELIMITERS))
      throw invalidJob(`Invalid columnDelimiter: ${String(columnDelimiter)}`);
    const at = sfDatetime(ctx.now());
    const job: IngestJob = {
      id: clock.nextId(),
      operation,
      object: def.name,
      ...(operation === 'upsert' ? { externalIdFieldName: String(body.externalIdFieldName) } : {}),
      lineEnding,
      columnDelimiter,
      state: 'Open',
      version: versionOf(req),
      createdById: ctx.store.apiUserId,
      createdDate: at,
      systemModstamp: at,
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      processed: 0,
      processingMs: 0,
    };
    jobs.set(job.id, job);
    res.json(jobInfo(job, false));
  });

  router.get('/jobs/ingest', (_req, res) => {
    res.json({ done: true, records: [...jobs.values()].map((j) => jobInfo(j, false)), nextRecordsUrl: null });
  });

  router.put(
    '/jobs/ingest/:id/batches',
    express.text({ type: () => true, limit: 150 * 1024 * 1024 }),
    (req, res) => {
      const job = jobOf(req.params.id);
      if (job.state !== 'Open')
        throw invalidJobState(`Job ${job.id} is not Open; data can be uploaded to an Open job only`);
      if (job.data !== undefined) throw invalidJobState(`Data was already uploaded to job ${job.id}`);
      job.data = typeof req.body === 'string' ? req.body : '';
      touch(job);
      res.status(201).end();
    },
  );

  router.patch('/jobs/ingest/:id', (req, res) => {
    const job = jobOf(req.params.id);
    const state = (req.body as { state?: unknown } | undefined)?.state;
    if (state === 'UploadComplete' && job.state === 'Open') {
      job.state = 'UploadComplete';
      clock.later(() => {
        if (job.state !== 'UploadComplete') return;
        job.state = 'InProgress';
        touch(job);
        clock.later(() => {
          if (job.state !== 'InProgress') return;
          runJob(job);
          touch(job);
        });
      });
    } else if (state === 'Aborted' && ['Open', 'UploadComplete', 'InProgress'].includes(job.state)) {
      job.state = 'Aborted';
      try {
        const [header = [], ...rows] = parseCsv(job.data ?? '', DELIMITERS[job.columnDelimiter]);
        job.header = header;
        job.unprocessed = rows;
      } catch {
        // unparseable data has no unprocessed records to list
      }
    } else
      throw invalidJobState(`Cannot change the state of job ${job.id} from ${job.state} to ${String(state)}`);
    touch(job);
    res.json(jobInfo(job, false));
  });

  router.get('/jobs/ingest/:id', (req, res) => {
    res.json(jobInfo(jobOf(req.params.id), true));
  });

  const results =
    (pick: (job: IngestJob) => { header: string[]; rows: string[][] }) =>
    (req: Request, res: import('express').Response) => {
      const job = jobOf(req.params.id);
      const { header, rows } = pick(job);
      res
        .status(200)
        .type('text/csv')
        .send(
          header.length === 0
            ? ''
            : formatCsv([header, ...rows], DELIMITERS[job.columnDelimiter], job.lineEnding),
        );
    };
  router.get(
    '/jobs/ingest/:id/successfulResults',
    results((j) => ({ header: ['sf__Id', 'sf__Created', ...j.header], rows: j.successful })),
  );
  router.get(
    '/jobs/ingest/:id/failedResults',
    results((j) => ({ header: ['sf__Id', 'sf__Error', ...j.header], rows: j.failed })),
  );
  router.get(
    '/jobs/ingest/:id/unprocessedrecords',
    results((j) => ({ header: j.header, rows: j.unprocessed })),
  );

  router.delete('/jobs/ingest/:id', (req, res) => {
    const job = jobOf(req.params.id);
    if (!['UploadComplete', 'JobComplete', 'Aborted', 'Failed'].includes(job.state))
      throw invalidJobState(`Job ${job.id} cannot be deleted in state ${job.state}`);
    jobs.delete(job.id);
    res.status(204).end();
  });

  return router;
}
