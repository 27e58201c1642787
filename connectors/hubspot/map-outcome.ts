import type { RecordOf, RecordType, Rejection } from '../../domain/records';
import { validateRecord } from '../../domain/records';

/**
 * What a mapper returns for one HubSpot object: a valid record (with warnings for optional values that were
 * dropped because they could not be read), a skip (the object is fine but is not this kind of record, e.g. an
 * open deal is not an order), or a rejection (reported with id and reason). Mappers never throw on bad data.
 */
export type MapOutcome<T extends RecordType> =
  | { kind: 'record'; record: RecordOf<T>; warnings: string[] }
  | { kind: 'skipped'; type: T; id: string; reason: string }
  | { kind: 'rejected'; rejection: Rejection };

/** Final gate of every mapper: the canonical zod schema decides, so mappers and records cannot drift. */
export function finishMapping<T extends RecordType>(
  type: T,
  candidate: Record<string, unknown>,
  warnings: string[],
): MapOutcome<T> {
  const result = validateRecord(type, dropUndefined(candidate));
  if (result.ok) return { kind: 'record', record: result.record, warnings };
  return { kind: 'rejected', rejection: result.rejection };
}

/**
 * The reader of a mapper's optional values: a value that could not be read is dropped, said in `warnings`,
 * and the record kept (only what the schema requires rejects a record).
 */
export function optionalValues(
  warnings: string[],
): <T>(read: { ok: true; value: T | undefined } | { ok: false; problem: string }) => T | undefined {
  return (read) => {
    if (read.ok) return read.value;
    warnings.push(`${read.problem}; value dropped`);
    return undefined;
  };
}

export function rejected<T extends RecordType>(type: T, id: string, reason: string): MapOutcome<T> {
  return { kind: 'rejected', rejection: { type, id, reason } };
}

function dropUndefined(candidate: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) if (value !== undefined) out[key] = value;
  return out;
}
