/**
 * Scores read back from a store. Each was checked against scoreSchema before it was stored (assertValidScores),
 * so a read checks them by hand (plainlyValidScore, field for field as the schema) instead of running the
 * schema on each: the schema's parse copies every Score and its date regexes ran for each, ~10% of a
 * rescore's fit. Anything the hand check does not pass goes to the schema, whose issues name the bad field.
 * Unlike the schema's parse this keeps unknown keys; a Score the engine stored has none.
 */
import { plainlyValidScore, type Score } from '../../domain/score';

/** True when the parsed value passes as a Score without asking the schema. */
export function plainlyStoredScore(value: unknown): value is Score {
  return plainlyValidScore(value as Score);
}

/**
 * The two fields stable segment ids need, checked as the schema would (a non-empty customer id; a segment id
 * absent or non-empty); undefined when they are not so (the caller asks the schema for its message).
 */
export function storedSegment(value: unknown): { customerId: string; segmentId?: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { customerId, segmentId } = value as Record<string, unknown>;
  if (typeof customerId !== 'string' || customerId.length === 0) return undefined;
  if (segmentId === undefined) return { customerId };
  if (typeof segmentId !== 'string' || segmentId.length === 0) return undefined;
  return { customerId, segmentId };
}

/** Customer id → segment id of the Scores that have one; undefined for no run. */
export function segmentsOf(scores: readonly Score[] | undefined): Map<string, string> | undefined {
  if (scores === undefined) return undefined;
  const segments = new Map<string, string>();
  for (const score of scores)
    if (score.segmentId !== undefined) segments.set(score.customerId, score.segmentId);
  return segments;
}
