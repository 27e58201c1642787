import type { ZodError } from 'zod';

/** A filter that is not the JSON shape HubSpot takes (NOTES §7); the message names every bad field. */
export class FilterShapeError extends Error {
  readonly code = 'HUBSPOT_FILTER_SHAPE';
  readonly issues: readonly string[];

  constructor(what: string, error: ZodError) {
    const issues = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    super(`${what} is not a valid HubSpot filter: ${issues.join('; ')}. Fix these fields and send it again.`);
    this.name = 'FilterShapeError';
    this.issues = issues;
  }
}
