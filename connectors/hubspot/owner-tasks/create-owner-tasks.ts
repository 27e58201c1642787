/**
 * Creates owner tasks with HubSpot's batch create (100 inputs, NOTES §4.1), each with its owner, due date and
 * its association to the contact in the same body. A create is not idempotent, so unlike a property update it
 * is never resent blindly: calls go out with one attempt for 5xx and network errors (a 429 is still waited
 * out, since HubSpot did not process that request), and a batch whose answer is lost is reported `unknown`;
 * the caller keeps its intent, and the next run asks HubSpot (findOwnerTasks) instead of creating again.
 *
 * Answers name created tasks by their new ids only, so each result is matched to its input by the marker in
 * its notes; `objectWriteTraceId` (the marker too) lets a 207 name the inputs it refused (NOTES §4.1).
 */
import { CallThrottledError } from '../../call-limiter';
import type { CreatedOwnerTask, CreateTasksReport, OwnerTaskInput, WriteFailure } from '../../crm-adapter';
import { BATCH_INPUT_LIMIT, chunk } from '../changed-values';
import type { HubSpotConnection } from '../create-client';
import { HubSpotDailyLimitError, HubSpotError, HubSpotRetriesExhaustedError } from '../errors';
import type { RetryOptions } from '../retry-policy';
import { createCaller } from '../writeback/hubspot-caller';
import { contactAssociation, TASK_OBJECT_TYPE } from './task-associations';

type SdkBatchCreate = Parameters<HubSpotConnection['client']['crm']['objects']['batchApi']['create']>[1];

/** The batch-create input of one task (tasks guide: hs_timestamp is required, status and priority enums). */
export function taskCreateInput(task: OwnerTaskInput) {
  return {
    properties: {
      hs_timestamp: task.dueAt.toISOString(),
      hs_task_subject: task.subject,
      hs_task_body: task.body,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'HIGH',
      hs_task_type: 'CALL',
      ...(task.ownerId === undefined ? {} : { hubspot_owner_id: task.ownerId }),
    },
    associations: [contactAssociation(task.customerId)],
    objectWriteTraceId: task.marker,
  };
}

type BatchAnswer = {
  results?: { id?: unknown; properties?: Record<string, string | null> }[];
  errors?: { category?: string; message?: string; context?: Record<string, string[] | undefined> }[];
};

export async function createOwnerTasks(
  connection: HubSpotConnection,
  input: {
    tasks: readonly OwnerTaskInput[];
    onSending?: (batch: readonly OwnerTaskInput[]) => Promise<void>;
    onCreated?: (created: readonly CreatedOwnerTask[]) => Promise<void>;
    retry?: Partial<RetryOptions>;
    batchSize?: number;
  },
): Promise<CreateTasksReport> {
  const caller = createCaller(connection, { ...input.retry, maxAttempts: 1 });
  const created: CreatedOwnerTask[] = [];
  const failed: WriteFailure[] = [];
  const unknown: string[] = [];
  let stopped: CreateTasksReport['stopped'];

  for (const batch of chunk(input.tasks, input.batchSize ?? BATCH_INPUT_LIMIT)) {
    if (stopped !== undefined) {
      for (const task of batch) failed.push({ id: task.customerId, reason: `not sent: ${stopped.message}` });
      continue;
    }
    await input.onSending?.(batch);
    let answer: BatchAnswer;
    try {
      const body = { inputs: batch.map(taskCreateInput) } as unknown as SdkBatchCreate;
      answer = (await caller.call(() =>
        connection.client.crm.objects.batchApi.create(TASK_OBJECT_TYPE, body),
      )) as unknown as BatchAnswer;
    } catch (error) {
      if (error instanceof CallThrottledError) {
        // Nothing of this batch was sent.
        stopped = {
          code: error.code,
          message: error.message,
          resetAt: new Date(error.resumeAt).toISOString(),
        };
        for (const task of batch) failed.push({ id: task.customerId, reason: `not sent: ${error.message}` });
        continue;
      }
      if (error instanceof HubSpotRetriesExhaustedError) {
        // A 5xx or a lost connection: HubSpot may have created them. The next run looks them up.
        for (const task of batch) unknown.push(task.customerId);
        continue;
      }
      if (!(error instanceof HubSpotError)) throw error;
      if (error instanceof HubSpotDailyLimitError) {
        stopped = { code: error.code, message: error.message, resetAt: error.resetAt };
        for (const task of batch) failed.push({ id: task.customerId, reason: `not sent: ${error.message}` });
        continue;
      }
      // A 400 refuses the whole batch: nothing of it was created.
      for (const task of batch) failed.push({ id: task.customerId, reason: error.message });
      continue;
    }

    const byMarker = new Map(batch.map((task) => [task.marker, task]));
    const confirmed: CreatedOwnerTask[] = [];
    for (const result of answer.results ?? []) {
      const notes = result.properties?.hs_task_body ?? '';
      const task = [...byMarker.values()].find((t) => notes.includes(t.marker));
      if (task === undefined) continue;
      byMarker.delete(task.marker);
      confirmed.push({ customerId: task.customerId, marker: task.marker, taskId: String(result.id) });
    }
    for (const error of answer.errors ?? []) {
      for (const marker of error.context?.objectWriteTraceId ?? []) {
        const task = byMarker.get(marker);
        if (task === undefined) continue;
        byMarker.delete(marker);
        failed.push({
          id: task.customerId,
          reason: `${error.category ?? 'UNKNOWN'}: ${error.message ?? ''}`,
        });
      }
    }
    // Accepted but neither listed nor named: created or not, the answer does not say.
    for (const task of byMarker.values()) unknown.push(task.customerId);
    created.push(...confirmed);
    if (confirmed.length > 0) await input.onCreated?.(confirmed);
  }
  return {
    created,
    failed,
    unknown,
    calls: caller.stats.calls,
    rateLimitWaits: caller.stats.rateLimitWaits,
    ...(stopped === undefined ? {} : { stopped }),
  };
}
