/**
 * HubSpot's error bodies (NOTES §4.7 for ordinary errors, §4.6 for 429s) and the typed error the routes throw;
 * one error middleware turns it into the wire body so every route answers the same way.
 */

import { randomUUID } from 'node:crypto';

export type HubSpotErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_ALREADY_EXISTS'
  | 'INVALID_AUTHENTICATION'
  | 'INTERNAL_ERROR';

/** Standard error body: spec `Error` requires category, correlationId (uuid) and message (NOTES §4.7). */
export type HubSpotErrorBody = {
  status: 'error';
  message: string;
  correlationId: string;
  category: HubSpotErrorCategory;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: { message: string; code?: string; context?: Record<string, string[]> }[];
};

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

/** 429 body (NOTES §4.6): the SDK's retry keys on `policyName` and on the secondly message. */
export type RateLimitBody = {
  status: 'error';
  message: string;
  errorType: 'RATE_LIMIT';
  correlationId: string;
  policyName?: 'TEN_SECONDLY_ROLLING' | 'DAILY';
  groupName?: string;
  requestId?: string;
};

/** An error a route raises; the error middleware sends `status` with `body`. */
export class HubSpotApiError extends Error {
  readonly code = 'HUBSPOT_SANDBOX_API_ERROR';
  constructor(
    readonly status: number,
    readonly body: HubSpotErrorBody,
  ) {
    super(body.message);
    this.name = 'HubSpotApiError';
  }
}

export function errorBody(
  category: HubSpotErrorCategory,
  message: string,
  extra: Pick<HubSpotErrorBody, 'subCategory' | 'context' | 'errors'> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function validationError(message: string, extra: Pick<HubSpotErrorBody, 'context' | 'errors'> = {}) {
  return new HubSpotApiError(400, errorBody('VALIDATION_ERROR', message, extra));
}

export function notFoundError(message: string) {
  return new HubSpotApiError(404, errorBody('OBJECT_NOT_FOUND', message));
}

/** 401 body: category INVALID_AUTHENTICATION (NOTES §4.7); message is HubSpot's usual wording [U]. */
export function authenticationError() {
  return new HubSpotApiError(
    401,
    errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  );
}

export function rateLimitBody(policy: RateLimitPolicy, portalId: string): RateLimitBody {
  const correlationId = randomUUID();
  if (policy === 'DAILY') {
    // Verbatim from the usage-guidelines page (NOTES §4.6).
    return {
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName: 'DAILY',
      requestId: randomUUID(),
    };
  }
  if (policy === 'SECONDLY') {
    // Search's 5/s limit: no policyName, the SDK matches this exact message (NOTES §4.1 search, §5.2).
    return {
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      correlationId,
    };
  }
  return {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId,
    policyName: 'TEN_SECONDLY_ROLLING',
    groupName: `publicapi:private_app-api-calls-ten-secondly:${portalId}`,
  };
}
