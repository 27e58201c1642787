/**
 * Typed HubSpot failures with a stable `code` and a message that says what to do next (DESIGN, Errors).
 * Control flow (retry, wait) never uses these: they are what is left when retrying cannot help.
 */
export type HubSpotErrorCode = 'HUBSPOT_DAILY_LIMIT' | 'HUBSPOT_REQUEST_FAILED' | 'HUBSPOT_RETRIES_EXHAUSTED';

export abstract class HubSpotError extends Error {
  abstract readonly code: HubSpotErrorCode;
}

/** 429 with policyName DAILY (NOTES §4.6): nothing will succeed before the daily reset. */
export class HubSpotDailyLimitError extends HubSpotError {
  readonly code = 'HUBSPOT_DAILY_LIMIT';
  /** ISO time of the next midnight in the account's time zone, when the daily limit resets (NOTES §4.6). */
  readonly resetAt: string;
  constructor(resetAt: string, timeZone: string) {
    super(
      `HubSpot's daily API limit for this account is used up; it resets at ${resetAt} (midnight ${timeZone}). ` +
        'Run the sync or write-back again after that, or ask the account owner about the API limit increase.',
    );
    this.name = 'HubSpotDailyLimitError';
    this.resetAt = resetAt;
  }
}

/**
 * A response retrying cannot fix (4xx other than 429/423/477), with HubSpot's category and correlation id, and
 * the body's own `message` (e.g. "Property values were not valid: [...]", which write-back reads to find the
 * inputs a 400 refused).
 */
export class HubSpotRequestError extends HubSpotError {
  readonly code = 'HUBSPOT_REQUEST_FAILED';
  readonly status: number;
  readonly category: string | undefined;
  readonly correlationId: string | undefined;
  readonly hubspotMessage: string | undefined;
  constructor(
    status: number,
    category: string | undefined,
    correlationId: string | undefined,
    message: string,
    hubspotMessage?: string,
  ) {
    super(message);
    this.name = 'HubSpotRequestError';
    this.status = status;
    this.category = category;
    this.correlationId = correlationId;
    this.hubspotMessage = hubspotMessage;
  }
}

/**
 * The base URL carries credentials (`http://user:pass@host`): HubSpot authenticates with the access token only,
 * and fetch refuses such URLs. Code INVALID_OPTION: the CLI reports it as bad input (exit 2). The message shows
 * the URL redacted.
 */
export class HubSpotBaseUrlError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'HubSpotBaseUrlError';
  }
}

/** 5xx, network errors or rate limits persisted through every attempt. */
export class HubSpotRetriesExhaustedError extends HubSpotError {
  readonly code = 'HUBSPOT_RETRIES_EXHAUSTED';
  readonly attempts: number;
  constructor(attempts: number, lastProblem: string) {
    super(
      `HubSpot still failed after ${attempts} attempts (last: ${lastProblem}). ` +
        'Check https://status.hubspot.com and the network, then run again; values not written are retried next run.',
    );
    this.name = 'HubSpotRetriesExhaustedError';
    this.attempts = attempts;
  }
}
