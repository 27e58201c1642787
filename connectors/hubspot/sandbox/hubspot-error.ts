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
  | 'MISSING_SCOPES'
  | 'INTERNAL_ERROR';

/** Standard error body: spec `Error` requires category, correlationId (uuid) and message (NOTES §4.7). */
export type HubSpotErrorBody = {
  status: 'error';
  message: string;
  correlationId: string;
  category: HubSpotErrorCategory;
  subCategory?: string;
  context?: Record<string, string[]>;
  links?: Record<string, string>;
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
  extra: Pick<HubSpotErrorBody, 'subCategory' | 'context' | 'errors' | 'links'> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function validationError(message: string, extra: Pick<HubSpotErrorBody, 'context' | 'errors'> = {}) {
  return new HubSpotApiError(400, errorBody('VALIDATION_ERROR', message, extra));
}

/**
 * One entry of the JSON list in "Property values were not valid: [...]" (NOTES §4.7 docs example, PROPERTY_DOESNT_EXIST;
 * the same keys in a real INVALID_OPTION answer quoted in gregorspan/csc-frodx#21 [Q]): the property, never the record.
 */
export type PropertyValidationResult = {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
};

export type PropertyValueProblem = { name: string; code: string; message: string };

/**
 * 400 VALIDATION_ERROR for property values a write may not store (unknown option, unknown or read-only property,
 * bad number or date). A batch is rejected whole with one such body (NOTES §4.1 "A whole-batch validation failure
 * … is a 400", §7); identical problems of several inputs are listed once, and no entry names an input.
 * Example message: Property values were not valid: [{"isValid":false,"message":"x was not one of the allowed
 * options: [a, b]","error":"INVALID_OPTION","name":"clv_segment","localizedErrorMessage":"…","portalId":1000}]
 */
export function propertyValuesError(problems: readonly PropertyValueProblem[], portalId: string) {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.name}\u0000${p.code}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const results: PropertyValidationResult[] = unique.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.code,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId: Number(portalId),
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(results)}`, {
    errors: unique.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  });
}

/**
 * 400 for a property value JSON cannot bind to a string (an object or an array): HubSpot reads `properties` as a
 * map of strings, so such a body fails before any value is validated and the whole request is refused. Wording
 * after a real answer for an array where the map was expected ("Invalid input JSON on line 1, column 15: Cannot
 * deserialize value of type `java.util.LinkedHashMap<…>` from Array value (token `JsonToken.START_ARRAY`)",
 * Chinchilla-Software-Com/HubSpot.NET#23 [Q]); line/column are replaced by the path to the value, so the message
 * names the property [U], and `context.propertyName` names it too.
 */
export type JsonValueKind = 'Object' | 'Array' | 'String' | 'Number' | 'Boolean';

const JSON_TOKENS: Record<JsonValueKind, string> = {
  Object: 'START_OBJECT',
  Array: 'START_ARRAY',
  String: 'VALUE_STRING',
  Number: 'VALUE_NUMBER_INT',
  Boolean: 'VALUE_TRUE',
};

export function invalidInputJsonError(
  path: readonly (string | number)[],
  found: JsonValueKind,
  target: string,
) {
  const chain = path.map((p) => (typeof p === 'number' ? `[${p}]` : `["${p}"]`)).join('->');
  const property = path.length > 0 ? String(path[path.length - 1]) : '';
  return validationError(
    `Invalid input JSON: Cannot deserialize value of type \`${target}\` from ${found} value ` +
      `(token \`JsonToken.${JSON_TOKENS[found]}\`) (through reference chain: ${chain})`,
    { context: { propertyName: [property] } },
  );
}

/**
 * 413 for a body over the sandbox's limit. HubSpot documents no request-size limit for the CRM APIs (NOTES has
 * only hubspot.fetch's 1 MB, §1); the status is HTTP's, the body HubSpot's standard shape (§4.7) with a documented
 * category; message and category [U].
 */
export function payloadTooLargeError(limitBytes: number, length?: number) {
  const size = length === undefined ? '' : ` (${length} bytes)`;
  return new HubSpotApiError(
    413,
    errorBody(
      'VALIDATION_ERROR',
      `Request body is too large${size}: the limit is ${limitBytes} bytes. Send fewer inputs per request.`,
    ),
  );
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

/**
 * 403 for a token without a scope the endpoint needs: category MISSING_SCOPES with the required scopes in
 * `errors[0].context.requiredGranularScopes` and a `links.scopes` page (NOTES §4.7); message wording [U].
 */
export function missingScopesError(requiredScopes: readonly string[]) {
  return new HubSpotApiError(
    403,
    errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: [...requiredScopes] },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
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
