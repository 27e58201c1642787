/**
 * Shared checks for batch bodies: `inputs` must be an array of at most `max` items (100 for object batches,
 * 1,000 for v4 association reads; NOTES §4.1, §4.2), and every `properties` value a string, number, boolean or
 * null; else the whole request is a 400 VALIDATION_ERROR.
 */

import { validationError } from './hubspot-error';
import { checkValueTypes } from './property-values';

export type BatchIdInput = { id: string; properties?: Record<string, unknown> };

export function readBatchInputs(body: unknown, max: number): BatchIdInput[] {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) throw validationError('Invalid input JSON: "inputs" must be an array');
  if (inputs.length > max) {
    throw validationError(`Batch input is limited to ${max} inputs, but ${inputs.length} were provided.`, {
      context: { inputs: [String(inputs.length)] },
    });
  }
  return inputs.map((raw, i) => {
    const input = raw as { id?: unknown; properties?: unknown };
    if (
      input === null ||
      typeof input !== 'object' ||
      (typeof input.id !== 'string' && typeof input.id !== 'number')
    ) {
      throw validationError(`Invalid input JSON: inputs[${i}].id is required`);
    }
    // An object or array where a value belongs fails the whole request (HubSpot cannot bind it to a string).
    checkValueTypes(input.properties, ['inputs', i, 'properties']);
    const properties =
      input.properties && typeof input.properties === 'object'
        ? (input.properties as Record<string, unknown>)
        : undefined;
    return { id: String(input.id), properties };
  });
}

/** Groups per-input failures the way the 207 body lists them: one entry per category + message (NOTES §4.1). */
export type BatchError = {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors?: { message: string; code: string; context: Record<string, string[]> }[];
};
