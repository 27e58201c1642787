/**
 * What Bulk API 2.0 ingest and query jobs share (NOTES §2.5, §2.6): job ids with Salesforce's 750 key prefix,
 * the asynchronous life cycle (a job moves UploadComplete → InProgress → JobComplete on timers of
 * `delayMs` each, so clients must poll as they do against Salesforce), and the job-state error.
 * Timers are unref'd: a pending job never keeps a process alive.
 */

import { SalesforceApiError } from './salesforce-error';
import { normalizeId, salesforceId } from './salesforce-ids';

export type BulkOptions = {
  /** Time a job spends in each of UploadComplete and InProgress before the next state; default 100 ms. */
  delayMs: number;
  /** Bulk query result page size when the request gives no maxRecords; default 50,000 ([U] Salesforce sizes pages by bytes). */
  queryPageSize: number;
};

export type JobClock = { nextId(): string; later(run: () => void): void };

export function jobClock(delayMs: number): JobClock {
  let sequence = 0;
  return {
    nextId: () => salesforceId('750', ++sequence),
    later: (run) => {
      setTimeout(run, delayMs).unref();
    },
  };
}

/** [U] code and wording: Salesforce answers requests that do not fit the job's state with a 400 like this. */
export const invalidJobState = (message: string) => new SalesforceApiError(400, 'INVALIDJOBSTATE', message);

export const invalidJob = (message: string) =>
  new SalesforceApiError(400, 'INVALIDJOB', `InvalidJob : ${message}`);

export const jobNotFound = () =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** The job a URL names, by its 15- or 18-character id; 404 when there is none. */
export function jobIn<J>(jobs: ReadonlyMap<string, J>, id: string): J {
  const job = jobs.get(normalizeId(id) ?? id);
  if (!job) throw jobNotFound();
  return job;
}

export const apiVersionNumber = (version: string) => Number(version.replace(/^v/, ''));
