/**
 * Typed Salesforce failures with a stable `code` and a message that says what to do next (DESIGN, Errors).
 * They are what is left when jsforce's own retries (NOTES §3.3) and ours cannot help. Messages never carry
 * tokens or secrets: everything passes through redactSecrets first.
 */
import { CrmClvError } from '../../domain/errors';

export type SalesforceErrorCode =
  | 'SALESFORCE_AUTH_FAILED'
  | 'SALESFORCE_SESSION_INVALID'
  | 'SALESFORCE_API_LIMIT'
  | 'SALESFORCE_FIELDS_MISSING'
  | 'SALESFORCE_METADATA_FAILED'
  | 'SALESFORCE_REQUEST_FAILED';

export class SalesforceError extends CrmClvError<SalesforceErrorCode> {}

/** The token endpoint refused to issue a token (bad refresh token, JWT not accepted, wrong client id). */
export class SalesforceAuthError extends SalesforceError {
  constructor(message: string) {
    super('SALESFORCE_AUTH_FAILED', message);
  }
}

/**
 * 401 INVALID_SESSION_ID that a refresh did not cure (NOTES §1.2: jsforce would refresh forever), or with no
 * way to refresh (a bare access token).
 */
export class SalesforceSessionError extends SalesforceError {
  constructor(message: string) {
    super('SALESFORCE_SESSION_INVALID', message);
  }
}

/**
 * The org's rolling 24-hour API allocation is (nearly) used up (NOTES §3.4): either our reserve was reached
 * (read from Sforce-Limit-Info) or Salesforce answered 403 REQUEST_LIMIT_EXCEEDED. Nothing more is sent.
 */
export class SalesforceApiLimitError extends SalesforceError {
  readonly used: number | undefined;
  readonly limit: number | undefined;
  constructor(message: string, used?: number, limit?: number) {
    super('SALESFORCE_API_LIMIT', message);
    this.used = used;
    this.limit = limit;
  }
}

/** Contract fields (DESIGN, Property contract) absent from Contact's describe: deploy them first. */
export class SalesforceFieldsMissingError extends SalesforceError {
  readonly missing: readonly string[];
  constructor(missing: readonly string[]) {
    super(
      'SALESFORCE_FIELDS_MISSING',
      `Contact is missing the write-back fields ${missing.join(', ')} (or the integration user cannot see them). ` +
        'Deploy the CLV_*__c custom fields of the property contract to Contact and grant the integration ' +
        'user read/edit access through a permission set (field-level security hides fields from describe), then run again.',
    );
    this.missing = missing;
  }
}

/** One failed component of a Metadata API call: what Salesforce said about it. */
export type MetadataFailure = { fullName: string; statusCode: string; message: string };

/**
 * The Metadata API refused components (success false in its per-component results: jsforce throws nothing for
 * those, NOTES §2.7): each named with Salesforce's status code and message.
 */
export class SalesforceMetadataError extends SalesforceError {
  readonly failures: readonly MetadataFailure[];
  constructor(action: string, failures: readonly MetadataFailure[]) {
    super(
      'SALESFORCE_METADATA_FAILED',
      `Salesforce's Metadata API refused to ${action}: ` +
        failures.map((f) => `${f.fullName} (${f.statusCode}: ${f.message})`).join('; ') +
        '. Fix the field in Setup (or deploy cards/salesforce), or run with fields checked only, then run again.',
    );
    this.failures = failures;
  }
}

/** Any other refused request: Salesforce's errorCode and message (e.g. INVALID_FIELD, MALFORMED_QUERY). */
export class SalesforceRequestError extends SalesforceError {
  readonly errorCode: string;
  readonly status: number | undefined;
  constructor(errorCode: string, message: string, status?: number) {
    super('SALESFORCE_REQUEST_FAILED', `Salesforce refused the request (${errorCode}): ${message}`);
    this.errorCode = errorCode;
    this.status = status;
  }
}
