/**
 * Write-back of scores to Contacts through sObject Collections (NOTES §2.3): only changed values
 * (changed-fields.ts), 200 records per PATCH, chunked here (jsforce would otherwise send everything in one
 * request, which Salesforce refuses with EXCEEDED_ID_LIMIT), allOrNone false so one bad record never costs the
 * batch. Every per-record result is inspected: transient failures (a locked row) are resent once, the others
 * (FIELD_CUSTOM_VALIDATION_EXCEPTION, …) reported with the record id and Salesforce's message. Writes carry
 * `Sforce-Call-Options: client=crm-clv` (NOTES §1.1, §5.3), so CDC consumers can tell our changes apart.
 * `lastWritten` (in/out) is updated for confirmed records only.
 */
import type { FieldValues, WriteFailure, WriteProgress, WriteReport, WrittenFields } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import {
  SalesforceApiLimitError,
  SalesforceAuthError,
  SalesforceError,
  SalesforceSessionError,
} from '../errors';
import type { SalesforceCaller } from '../salesforce-caller';
import { chunk } from '../soql';
import { contactUpdate, type ContactUpdate } from './changed-fields';
import { CONTRACT_BY_NAME } from './contract-fields';
import type { PicklistValues } from './ensure-fields';
import { DEFAULT_BULK_WRITE_THRESHOLD, writeInBulk, type BulkWriteOptions } from './write-bulk';

/** sObject Collections take at most 200 records per call (NOTES §2.3). */
export const COLLECTION_LIMIT = 200;
export const CALL_OPTIONS_HEADER = { 'Sforce-Call-Options': 'client=crm-clv' } as const;

/**
 * Per-record statusCodes worth one resend: the record was fine, the moment was not. A rolled-back record of an
 * allOrNone batch is included for completeness (we send allOrNone false).
 */
const TRANSIENT_STATUS = new Set([
  'UNABLE_TO_LOCK_ROW',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'SERVER_UNAVAILABLE',
]);

type SaveError = { statusCode?: string; errorCode?: string; message?: string; fields?: string[] };
type SaveResult = { id?: string; success?: boolean; errors?: SaveError[] };

export type WriteChangedFieldsInput = {
  values: ReadonlyMap<string, FieldValues>;
  lastWritten: Map<string, WrittenFields>;
  /** Restricted picklists from ensureFields: a value outside them is held back and reported, not sent. */
  picklists?: PicklistValues;
  onSending?: (sending: Record<string, WrittenFields>) => Promise<void>;
  onConfirmed?: (confirmed: Record<string, WrittenFields>) => Promise<void>;
  onProgress?: (progress: WriteProgress) => void;
  batchSize?: number;
  /** Above `writeThreshold` changed contacts, one Bulk API 2.0 ingest job (write-bulk.ts). */
  bulk?: BulkWriteOptions;
};

/** Errors after which nothing more can be sent this run. */
function stopsTheRun(error: unknown): error is SalesforceError {
  return (
    error instanceof SalesforceApiLimitError ||
    error instanceof SalesforceSessionError ||
    error instanceof SalesforceAuthError
  );
}

function describeErrors(errors: readonly SaveError[] | undefined): string {
  if (errors === undefined || errors.length === 0) return 'UNKNOWN: Salesforce reported no reason';
  return errors
    .map((e) => {
      const fields = e.fields !== undefined && e.fields.length > 0 ? ` (fields: ${e.fields.join(', ')})` : '';
      return `${e.statusCode ?? e.errorCode ?? 'UNKNOWN'}: ${e.message ?? ''}${fields}`;
    })
    .join('; ');
}

function picklistProblem(update: ContactUpdate, picklists: PicklistValues | undefined): string | undefined {
  if (picklists === undefined) return undefined;
  for (const [name, allowed] of picklists) {
    const value = update.texts[name];
    if (value === undefined || value === '' || allowed.has(value)) continue;
    const field = CONTRACT_BY_NAME.get(name)?.field ?? name;
    return `${field} value '${value}' is not a value of the restricted picklist: add it to the field in Salesforce (deploy), then write again`;
  }
  return undefined;
}

export async function writeChangedFields(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  input: WriteChangedFieldsInput,
): Promise<WriteReport> {
  const { lastWritten } = input;
  const batchSize = Math.min(COLLECTION_LIMIT, input.batchSize ?? COLLECTION_LIMIT);
  const callsBefore = caller.stats.calls;
  const failed: WriteFailure[] = [];
  let stopped: WriteReport['stopped'];
  let written = 0;
  let retriedInputs = 0;

  let pending: ContactUpdate[] = [];
  let changed = 0;
  for (const [id, values] of input.values) {
    const update = contactUpdate(id, values, lastWritten.get(id));
    if (update === undefined) continue;
    changed++;
    const problem = picklistProblem(update, input.picklists);
    if (problem === undefined) pending.push(update);
    else failed.push({ id, reason: problem });
  }

  let firstRound = 0;
  const threshold = input.bulk?.writeThreshold ?? DEFAULT_BULK_WRITE_THRESHOLD;
  if (pending.length > threshold) {
    const bulk = pending;
    pending = [];
    firstRound = 1;
    let sendable = true;
    try {
      caller.checkLimit(); // before the intent is recorded: nothing is sent past the reserve
    } catch (error) {
      if (!stopsTheRun(error)) throw error;
      stopped = { code: error.code, message: error.message };
      for (const update of bulk) failed.push({ id: update.id, reason: `not sent: ${error.message}` });
      sendable = false;
    }
    if (sendable) {
      // Outside the try: a caller that cannot record its intent must stop the run.
      await input.onSending?.(Object.fromEntries(bulk.map((u) => [u.id, u.texts])));
      try {
        const outcome = await writeInBulk(sf, caller, bulk, {
          lastWritten,
          transient: TRANSIENT_STATUS,
          headers: { ...CALL_OPTIONS_HEADER },
          polling: input.bulk,
        });
        failed.push(...outcome.failed);
        const confirmed = Object.keys(outcome.confirmed).length;
        written += confirmed;
        if (confirmed > 0) await input.onConfirmed?.(outcome.confirmed);
        retriedInputs += outcome.retry.length;
        pending = outcome.retry.map((r) => r.update);
        input.onProgress?.({
          round: 0,
          batchesDone: 1,
          batchesInRound: 1,
          inputsWritten: written,
          inputsFailed: outcome.failed.length,
        });
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const reason = stopsTheRun(error) ? `not sent: ${error.message}` : error.message;
        for (const update of bulk) failed.push({ id: update.id, reason });
        if (stopsTheRun(error)) stopped = { code: error.code, message: error.message };
      }
    }
  }

  for (let round = firstRound; round < 2 && pending.length > 0; round++) {
    const batches = chunk(pending, batchSize);
    const retry: { update: ContactUpdate; reason: string }[] = [];
    let inputsFailed = 0;
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b];
      if (stopped !== undefined) {
        for (const update of batch) failed.push({ id: update.id, reason: `not sent: ${stopped.message}` });
        continue;
      }
      const failBatch = (error: unknown): void => {
        if (!(error instanceof Error)) throw error;
        const reason = stopsTheRun(error) ? `not sent: ${error.message}` : error.message;
        for (const update of batch) failed.push({ id: update.id, reason });
        inputsFailed += batch.length;
        if (stopsTheRun(error)) stopped = { code: error.code, message: error.message };
      };
      try {
        caller.checkLimit(); // before the intent is recorded: nothing is sent past the reserve
      } catch (error) {
        failBatch(error);
        continue;
      }
      // Outside the try: a caller that cannot record its intent must stop the run, not fail one batch.
      await input.onSending?.(Object.fromEntries(batch.map((u) => [u.id, u.texts])));
      let results: SaveResult[];
      try {
        results = (await caller.call(
          () =>
            sf.conn.sobject('Contact').update(
              batch.map((u) => ({ Id: u.id, ...u.fields })),
              { allOrNone: false, allowRecursive: false, headers: { ...CALL_OPTIONS_HEADER } },
            ),
          { retryTransient: true },
        )) as unknown as SaveResult[];
      } catch (error) {
        failBatch(error);
        continue;
      }
      const confirmed: Record<string, WrittenFields> = {};
      batch.forEach((update, i) => {
        const result = results[i];
        if (result?.success === true) {
          const merged = { ...(lastWritten.get(update.id) ?? {}), ...update.texts };
          lastWritten.set(update.id, merged);
          confirmed[update.id] = merged;
          written++;
          return;
        }
        const reason =
          result === undefined ? 'UNKNOWN: no result for this record' : describeErrors(result.errors);
        const transient = (result?.errors ?? []).some((e) => TRANSIENT_STATUS.has(e.statusCode ?? ''));
        if (transient && round === 0) retry.push({ update, reason });
        else {
          failed.push({
            id: update.id,
            reason: round > 0 ? `${reason} (still failing after a retry)` : reason,
          });
          inputsFailed++;
        }
      });
      if (Object.keys(confirmed).length > 0) await input.onConfirmed?.(confirmed);
      input.onProgress?.({
        round,
        batchesDone: b + 1,
        batchesInRound: batches.length,
        inputsWritten: written,
        inputsFailed,
      });
    }
    if (stopped !== undefined) {
      for (const { update } of retry) failed.push({ id: update.id, reason: `not sent: ${stopped.message}` });
      break;
    }
    retriedInputs += retry.length;
    pending = retry.map((r) => r.update);
  }

  return {
    customersChanged: changed,
    customersWritten: written,
    writeCalls: caller.stats.calls - callsBefore,
    retriedInputs,
    failed,
    rateLimitWaits: 0,
    ...(stopped === undefined ? {} : { stopped }),
  };
}
