/**
 * Write-back of many changed contacts in one Bulk API 2.0 ingest job (NOTES §2.6): `operation: update`, a CSV
 * with Id and every contract field any of them changes (the same columns on every row: an empty cell leaves a
 * field unchanged, `#N/A` clears it), tagged `Sforce-Call-Options: client=crm-clv` like the Collections
 * writes. The intent is recorded (onSending) before anything is sent; the job is polled to a terminal state;
 * successfulResults are confirmed, failedResults reported with the id and sf__Error, and transient failures
 * (a locked row) handed back for one resend through sObject Collections. A job that fails, is aborted or
 * does not finish in time confirms nothing: its contacts stay unconfirmed and the next run reads them back
 * (readWritten), as after a killed process.
 */
import type { WriteFailure, WrittenFields } from '../../crm-adapter';
import { bulkIngest, BulkJobTimeoutError, type BulkPolling, type JobCalls } from '../bulk/bulk-api';
import { formatCsv } from '../bulk/csv';
import type { SalesforceConnection } from '../create-connection';
import type { SalesforceCaller } from '../salesforce-caller';
import type { ContactUpdate } from './changed-fields';
import { CONTRACT_FIELDS } from './contract-fields';

/** Bulk API 2.0's null in a CSV cell (an empty cell means "leave unchanged" on update). */
export const BULK_NULL = '#N/A';

export type BulkWriteOptions = BulkPolling & {
  /**
   * More changed contacts than this go in one Bulk API 2.0 ingest job instead of ⌈n/200⌉ Collections calls;
   * default DEFAULT_BULK_WRITE_THRESHOLD (Salesforce's guidance: Bulk above 2,000 records). Infinity: never.
   */
  writeThreshold?: number;
};

export const DEFAULT_BULK_WRITE_THRESHOLD = 2_000;

export type BulkWriteOutcome = {
  jobId?: string;
  calls?: JobCalls;
  confirmed: Record<string, WrittenFields>;
  failed: WriteFailure[];
  /** Failed for a transient reason: worth one resend. */
  retry: { update: ContactUpdate; reason: string }[];
};

/** `STATUS_CODE:message:fields --` (sf__Error, NOTES §2.6) as the Collections path words it. */
export function bulkErrorReason(sfError: string): string {
  const match = /^([A-Z_]+):([\s\S]*)$/.exec(sfError.trim());
  if (match === null)
    return sfError.trim() === '' ? 'UNKNOWN: Salesforce reported no reason' : sfError.trim();
  return `${match[1]}: ${match[2].replace(/:(?:[\w. ]*)--$/, '').trim()}`;
}

function cell(value: string | number | null | undefined): string {
  if (value === undefined) return '';
  if (value === null) return BULK_NULL;
  return String(value);
}

/** The job's CSV: Id, then the contract fields any update sets, in contract order. */
export function updateCsv(updates: readonly ContactUpdate[]): string {
  const used = new Set(updates.flatMap((u) => Object.keys(u.fields)));
  const columns = CONTRACT_FIELDS.map((f) => f.field).filter((f) => used.has(f));
  return formatCsv([
    ['Id', ...columns],
    ...updates.map((u) => [u.id, ...columns.map((c) => cell(u.fields[c]))]),
  ]);
}

export async function writeInBulk(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  updates: readonly ContactUpdate[],
  options: {
    lastWritten: Map<string, WrittenFields>;
    transient: ReadonlySet<string>;
    headers: Record<string, string>;
    polling?: BulkPolling;
  },
): Promise<BulkWriteOutcome> {
  const { lastWritten } = options;
  const outcome: BulkWriteOutcome = { confirmed: {}, failed: [], retry: [] };
  const unconfirmed = (reason: string): BulkWriteOutcome => {
    for (const update of updates) outcome.failed.push({ id: update.id, reason });
    return outcome;
  };
  let result;
  try {
    result = await bulkIngest(
      sf,
      caller,
      { object: 'Contact', operation: 'update', csv: updateCsv(updates) },
      { ...options.polling, headers: options.headers },
    );
  } catch (error) {
    if (error instanceof BulkJobTimeoutError) {
      outcome.jobId = error.jobId;
      return unconfirmed(`not confirmed: ${error.message}; the next run reads these contacts back`);
    }
    throw error;
  }
  outcome.jobId = result.jobId;
  outcome.calls = result.calls;
  if (result.info.state !== 'JobComplete')
    return unconfirmed(
      `not confirmed: Bulk API 2.0 job ${result.jobId} ended ${result.info.state}` +
        `${result.info.errorMessage ? ` (${result.info.errorMessage})` : ''}; the next run reads these contacts back`,
    );

  const byId = new Map(updates.map((u) => [u.id, u]));
  const settled = new Set<string>();
  for (const row of result.successful) {
    const id = row.Id || row.sf__Id;
    const update = byId.get(id);
    if (update === undefined || settled.has(id)) continue;
    settled.add(id);
    const merged = { ...(lastWritten.get(id) ?? {}), ...update.texts };
    lastWritten.set(id, merged);
    outcome.confirmed[id] = merged;
  }
  for (const row of result.failed) {
    const id = row.Id || row.sf__Id;
    const update = byId.get(id);
    if (update === undefined || settled.has(id)) continue;
    settled.add(id);
    const reason = bulkErrorReason(row.sf__Error ?? '');
    if (options.transient.has(reason.split(':')[0])) outcome.retry.push({ update, reason });
    else outcome.failed.push({ id, reason });
  }
  for (const update of updates)
    if (!settled.has(update.id))
      outcome.failed.push({
        id: update.id,
        reason: `not confirmed: Bulk API 2.0 job ${result.jobId} returned no result for this contact`,
      });
  return outcome;
}
