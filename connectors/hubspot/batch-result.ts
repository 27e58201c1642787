/**
 * A 207 Multi-Status batch (NOTES §4.1): `results` hold what succeeded, `errors[]` what did not, each error
 * naming its inputs in `context` (`ids` for read/update, `objectWriteTraceId` for create). Only the failed
 * inputs are retried; permanent failures are reported instead.
 */

export type BatchFailure<T> = { input: T; category?: string; message: string; retriable: boolean };
export type BatchSplit<T> = { succeeded: T[]; failed: BatchFailure<T>[] };

/** Categories where resending the same input cannot succeed (NOTES §4.7). */
const PERMANENT_CATEGORIES = new Set([
  'VALIDATION_ERROR',
  'OBJECT_NOT_FOUND',
  'OBJECT_ALREADY_EXISTS',
  'MISSING_SCOPES',
  'INVALID_AUTHENTICATION',
]);

type BatchError = { category?: string; message: string; keys: string[] };

/**
 * Splits a batch's inputs by its response body. `keyOf` gives the value an error's context names the input
 * by (the id for update/read). An input named by an error failed; an input missing from `results` that no
 * error names also failed (retriable, with that said) — a lost input must not be reported as written.
 * Example: splitBatchResult([{ id: '1' }, { id: '2' }], body, (i) => i.id) with errors[0].context.ids ['2']
 *   → succeeded [{ id: '1' }], failed [{ input: { id: '2' }, … }]
 */
export function splitBatchResult<T>(
  inputs: readonly T[],
  body: unknown,
  keyOf: (input: T) => string,
): BatchSplit<T> {
  const { resultIds, errors } = readBody(body);
  const errorByKey = new Map<string, BatchError>();
  for (const error of errors)
    for (const key of error.keys) if (!errorByKey.has(key)) errorByKey.set(key, error);

  const succeeded: T[] = [];
  const failed: BatchFailure<T>[] = [];
  for (const input of inputs) {
    const key = keyOf(input);
    const error = errorByKey.get(key);
    if (error !== undefined) {
      failed.push({
        input,
        category: error.category,
        message: error.message,
        retriable: error.category === undefined || !PERMANENT_CATEGORIES.has(error.category),
      });
    } else if (resultIds !== undefined && !resultIds.has(key)) {
      failed.push({ input, message: 'not in the batch results and named by no error', retriable: true });
    } else {
      succeeded.push(input);
    }
  }
  return { succeeded, failed };
}

/** Failed inputs worth resending (retriable ones), for the retry batch. */
export function inputsToRetry<T>(split: BatchSplit<T>): T[] {
  return split.failed.filter((f) => f.retriable).map((f) => f.input);
}

function readBody(body: unknown): { resultIds: Set<string> | undefined; errors: BatchError[] } {
  if (typeof body !== 'object' || body === null) return { resultIds: undefined, errors: [] };
  const b = body as { results?: unknown; errors?: unknown };
  let resultIds: Set<string> | undefined;
  if (Array.isArray(b.results)) {
    resultIds = new Set();
    for (const result of b.results) {
      const id = (result as { id?: unknown } | null)?.id;
      if (typeof id === 'string' || typeof id === 'number') resultIds.add(String(id));
    }
  }
  const errors: BatchError[] = [];
  if (Array.isArray(b.errors)) {
    for (const raw of b.errors) {
      if (typeof raw !== 'object' || raw === null) continue;
      const e = raw as { category?: unknown; message?: unknown; context?: unknown };
      const keys: string[] = [];
      if (typeof e.context === 'object' && e.context !== null)
        for (const values of Object.values(e.context)) {
          if (Array.isArray(values))
            for (const v of values) if (typeof v === 'string' || typeof v === 'number') keys.push(String(v));
        }
      errors.push({
        category: typeof e.category === 'string' ? e.category : undefined,
        message: typeof e.message === 'string' ? e.message : 'no message',
        keys,
      });
    }
  }
  return { resultIds, errors };
}
