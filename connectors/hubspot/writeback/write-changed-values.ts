/**
 * Write-back of scores to HubSpot contacts: only the values that changed since the last
 * successful write are sent (changed-values.ts), 100 inputs per batch update (NOTES §4.1), every call through
 * callWithRetry and the general limiter. A 207 resends only its failed retriable inputs, in a later round;
 * permanent failures are reported with the contact id and reason. A 400 that refuses the whole batch over
 * property values (an unknown option, NOTES §7) names properties, not contacts: the inputs carrying the refused
 * values are reported and the rest resent (bisecting the batch when the answer names no value). A 413 fails its
 * batch (permanent: the same body is refused again). `lastWritten` (in/out) is updated only for inputs HubSpot
 * confirmed, so a failed value is diffed as changed and retried on the next run.
 */
import {
  BATCH_INPUT_LIMIT,
  chunk,
  contactUpdates,
  mergeWritten,
  type ContactUpdate,
  type WantedValues,
  type WrittenValues,
} from '../changed-values';
import { CallThrottledError } from '../../call-limiter';
import type { WriteFailure, WriteProgress } from '../../crm-adapter';
import { splitBatchResult } from '../batch-result';
import type { HubSpotConnection } from '../create-client';
import {
  HubSpotDailyLimitError,
  HubSpotError,
  HubSpotRequestError,
  HubSpotRetriesExhaustedError,
} from '../errors';
import {
  PROPERTY_LEVEL_CODES,
  rejectedPropertyValues,
  type RejectedPropertyValue,
} from '../property-validation-error';
import type { RetryOptions } from '../retry-policy';
import { unknownOptionValues, type EnumerationDefinition } from '../unknown-options';
import { createCaller } from './hubspot-caller';

/** Contract properties of type `date` (DESIGN): HubSpot takes YYYY-MM-DD or midnight UTC (NOTES §4.5). */
const DATE_PROPERTIES: ReadonlySet<string> = new Set(['clv_next_order_date']);

export type { WriteFailure, WriteProgress };

export type WriteChangedValuesInput = {
  updates: ReadonlyMap<string, WantedValues>;
  /** In/out: what was last written per contact; updated for confirmed inputs only. */
  lastWritten: Map<string, WrittenValues>;
  onProgress?: (progress: WriteProgress) => void;
  /**
   * Awaited before each batch is sent, with what it carries: the caller records it as an intent, so a batch
   * HubSpot accepted just before the process died can be checked (readWrittenValues) instead of resent.
   */
  onSending?: (sending: Record<string, WrittenValues>) => Promise<void>;
  /**
   * Awaited after each batch HubSpot answered, with what it confirmed, before this worker sends another
   * batch: the caller records it durably, so a run killed mid-way never resends a confirmed value.
   */
  onConfirmed?: (confirmed: Record<string, WrittenValues>) => Promise<void>;
  /**
   * Enumeration definitions (ensureClvProperties().definitions). When given, a contact whose value has no
   * option is reported and not sent, because one unknown option fails its whole batch (NOTES §7).
   */
  definitions?: readonly EnumerationDefinition[];
  /** Rounds of resending retriable failed inputs after the first pass; default 3. */
  maxRetryRounds?: number;
  /** Batches in flight at once (the limiter still bounds the rate); default 4. */
  concurrency?: number;
  batchSize?: number;
  retry?: Partial<RetryOptions>;
};

export type WriteChangedValuesResult = {
  /** Contacts with at least one changed value. */
  contactsChanged: number;
  /** Contacts whose changed values HubSpot confirmed. */
  contactsWritten: number;
  /** Batch-update requests sent, counting each retry of a call after a 429 or 5xx. */
  writeCalls: number;
  /** Inputs resent after a 207 named them as retriable failures. */
  retriedInputs: number;
  failed: WriteFailure[];
  rateLimitWaits: number;
  /** Set when the run stopped early (daily limit, retries exhausted); unsent contacts are in `failed`. */
  stopped?: { code: string; message: string; resetAt?: string };
};

/** True when the update writes the refused value, or any value of a property refused whatever its value. */
function carriesRejected(update: ContactUpdate, rejected: RejectedPropertyValue): boolean {
  const value = update.properties[rejected.property];
  if (value === undefined) return false;
  if (rejected.value !== undefined)
    return value === rejected.value || value.split(';').includes(rejected.value);
  return rejected.code !== undefined && PROPERTY_LEVEL_CODES.has(rejected.code);
}

function rejectionReason(rejected: RejectedPropertyValue, value: string | undefined): string {
  const what = `${rejected.property} value '${rejected.value ?? value ?? ''}'`;
  const detail = `${rejected.code ?? 'VALIDATION_ERROR'}${rejected.message ? `: ${rejected.message}` : ''}`;
  const advice =
    rejected.code === 'INVALID_OPTION'
      ? ': add the option to the property first (ensureClvProperties does), then write again'
      : '';
  return `HubSpot refused ${what} (400 ${detail})${advice}`;
}

/** Why a bisected input failed: the named properties it carries, with its values (HubSpot did not say them). */
function bisectedReason(
  update: ContactUpdate,
  rejected: readonly RejectedPropertyValue[],
  error: HubSpotRequestError,
): string {
  const carried = rejected.filter((r) => update.properties[r.property] !== undefined);
  if (carried.length === 0) return `HubSpot refused this contact's values: ${error.message}`;
  // The input's own value: a value HubSpot named did not match this input, or it would not need bisecting.
  return carried
    .map((r) => rejectionReason({ ...r, value: undefined }, update.properties[r.property]))
    .join('; ');
}

/** Date values of date properties as YYYY-MM-DD (a full ISO datetime is not a valid HubSpot date). */
function normaliseDates(values: WantedValues): WantedValues {
  let out: Record<string, WantedValues[string]> | undefined;
  for (const name of DATE_PROPERTIES) {
    const value = values[name];
    if (value instanceof Date) {
      out ??= { ...values };
      out[name] = value.toISOString().slice(0, 10);
    }
  }
  return out ?? values;
}

export async function writeChangedValues(
  connection: HubSpotConnection,
  input: WriteChangedValuesInput,
): Promise<WriteChangedValuesResult> {
  const { lastWritten, onProgress } = input;
  const maxRetryRounds = input.maxRetryRounds ?? 3;
  const concurrency = Math.max(1, Math.floor(input.concurrency ?? 4));
  const batchSize = input.batchSize ?? BATCH_INPUT_LIMIT;
  const caller = createCaller(connection, input.retry);
  const failed: WriteFailure[] = [];

  const normalised = [...input.updates].map(([id, values]) => [id, normaliseDates(values)] as const);
  let pending: ContactUpdate[] = contactUpdates(normalised, (id) => lastWritten.get(id));
  const contactsChanged = pending.length;

  if (input.definitions !== undefined) {
    const unknown = unknownOptionValues(pending, input.definitions);
    if (unknown.size > 0) {
      pending = pending.filter((update) => {
        for (const [name, values] of unknown) {
          const value = update.properties[name];
          if (value !== undefined && value.split(';').some((part) => values.has(part))) {
            failed.push({
              id: update.id,
              reason: `${name} value '${value}' is not an option of the property: run ensureClvProperties with this segment first`,
            });
            return false;
          }
        }
        return true;
      });
    }
  }

  let contactsWritten = 0;
  let retriedInputs = 0;
  let stopped: WriteChangedValuesResult['stopped'];

  for (let round = 0; pending.length > 0; round++) {
    const batches = chunk(pending, batchSize);
    const retry: { update: ContactUpdate; reason: string }[] = [];
    let next = 0;
    let batchesDone = 0;
    let inputsFailed = 0;

    const fail = (updates: readonly ContactUpdate[], reason: (update: ContactUpdate) => string): void => {
      for (const update of updates) failed.push({ id: update.id, reason: reason(update) });
      inputsFailed += updates.length;
    };

    const sendBatch = async (batch: ContactUpdate[]): Promise<void> => {
      if (batch.length === 0) return;
      if (stopped !== undefined) {
        const why = `not sent: ${stopped.message}`;
        fail(batch, () => why);
        return;
      }
      await input.onSending?.(Object.fromEntries(batch.map((update) => [update.id, update.properties])));
      let body: unknown;
      try {
        body = await caller.call(() => connection.client.crm.contacts.batchApi.update({ inputs: batch }));
      } catch (error) {
        if (error instanceof CallThrottledError) {
          // Nothing of this batch was sent: it goes back with the rest, and the caller resumes at resumeAt.
          fail(batch, () => `not sent: ${error.message}`);
          stopped ??= {
            code: error.code,
            message: error.message,
            resetAt: new Date(error.resumeAt).toISOString(),
          };
          return;
        }
        if (!(error instanceof HubSpotError)) throw error;
        const rejected =
          error instanceof HubSpotRequestError && error.status === 400
            ? rejectedPropertyValues(error.hubspotMessage)
            : undefined;
        if (rejected !== undefined) {
          await isolateRejected(batch, rejected, error as HubSpotRequestError);
          return;
        }
        fail(batch, () => error.message);
        if (error instanceof HubSpotDailyLimitError || error instanceof HubSpotRetriesExhaustedError)
          stopped ??= {
            code: error.code,
            message: error.message,
            ...(error instanceof HubSpotDailyLimitError ? { resetAt: error.resetAt } : {}),
          };
        return;
      }
      const split = splitBatchResult(batch, body, (update) => update.id);
      const confirmed: Record<string, WrittenValues> = {};
      for (const update of split.succeeded) {
        const merged = mergeWritten(lastWritten.get(update.id), update.properties);
        lastWritten.set(update.id, merged);
        confirmed[update.id] = merged;
        contactsWritten++;
      }
      if (split.succeeded.length > 0) await input.onConfirmed?.(confirmed);
      for (const failure of split.failed) {
        const reason = `${failure.category ?? 'UNKNOWN'}: ${failure.message}`;
        if (failure.retriable) retry.push({ update: failure.input, reason });
        else {
          failed.push({ id: failure.input.id, reason });
          inputsFailed++;
        }
      }
    };

    /**
     * HubSpot refused the whole batch over property values; nothing of it was written. Inputs carrying a refused
     * value (or a property refused whatever its value) are reported, the rest resent. When the answer names no
     * value, the inputs that do not carry a named property are resent together and the others bisected, halves
     * resent until each refused input stands alone. Every resend is smaller than the batch it came from, so this
     * ends (at most 2n − 1 calls for n inputs) and nothing is retried forever.
     */
    const isolateRejected = async (
      batch: ContactUpdate[],
      rejected: readonly RejectedPropertyValue[],
      error: HubSpotRequestError,
    ): Promise<void> => {
      const bad = new Map<ContactUpdate, string>();
      for (const update of batch) {
        const hit = rejected.find((r) => carriesRejected(update, r));
        if (hit !== undefined) bad.set(update, rejectionReason(hit, update.properties[hit.property]));
      }
      if (bad.size > 0) {
        fail([...bad.keys()], (update) => bad.get(update) as string);
        await sendBatch(batch.filter((update) => !bad.has(update)));
        return;
      }
      const named = [...new Set(rejected.map((r) => r.property))];
      const suspects =
        named.length === 0 ? batch : batch.filter((u) => named.some((n) => u.properties[n] !== undefined));
      if (suspects.length === 0 || (suspects.length === 1 && suspects.length === batch.length)) {
        // A lone input refused, or HubSpot named properties no input carries: nothing left to split.
        fail(batch, (update) => bisectedReason(update, rejected, error));
        return;
      }
      await sendBatch(batch.filter((update) => !suspects.includes(update)));
      if (suspects.length === 1) {
        fail(suspects, (update) => bisectedReason(update, rejected, error));
        return;
      }
      const half = Math.ceil(suspects.length / 2);
      await sendBatch(suspects.slice(0, half));
      await sendBatch(suspects.slice(half));
    };

    const worker = async (): Promise<void> => {
      while (stopped === undefined && next < batches.length) {
        const batch = batches[next++];
        await sendBatch(batch);
        batchesDone++;
        onProgress?.({
          round,
          batchesDone,
          batchesInRound: batches.length,
          inputsWritten: contactsWritten,
          inputsFailed,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));

    if (stopped !== undefined) {
      const reason = `not sent: ${stopped.message}`;
      for (const batch of batches.slice(next))
        for (const update of batch) failed.push({ id: update.id, reason });
      for (const { update, reason: why } of retry) failed.push({ id: update.id, reason: why });
      break;
    }
    if (retry.length === 0) break;
    if (round >= maxRetryRounds) {
      for (const { update, reason } of retry)
        failed.push({ id: update.id, reason: `${reason} (still failing after ${maxRetryRounds} retries)` });
      break;
    }
    retriedInputs += retry.length;
    pending = retry.map((r) => r.update);
  }

  return {
    contactsChanged,
    contactsWritten,
    writeCalls: caller.stats.calls,
    retriedInputs,
    failed,
    rateLimitWaits: caller.stats.rateLimitWaits,
    ...(stopped === undefined ? {} : { stopped }),
  };
}
