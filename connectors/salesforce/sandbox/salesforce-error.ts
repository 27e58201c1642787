/**
 * Salesforce's REST error shapes. Top-level errors are a JSON array of `{message, errorCode[, fields]}`
 * (NOTES §3.1); per-record results of writes carry `{statusCode, message, fields}` (NOTES §2.3: `statusCode`,
 * not `errorCode`).
 */

export type RestErrorBody = { message: string; errorCode: string; fields?: string[] }[];

export type RecordError = { statusCode: string; message: string; fields: string[] };

export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  get body(): RestErrorBody {
    return [
      { message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) },
    ];
  }
}

/** 401 for unknown or expired tokens (NOTES §1.2, §7.2). */
export const invalidSession = () =>
  new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** 403 once the daily allocation is used up (NOTES §3.1, §3.4). */
export const requestLimitExceeded = () =>
  new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

export const notFound = () =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const entityIsDeleted = () => new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');

export const notFoundType = (type: string) =>
  new SalesforceApiError(
    404,
    'NOT_FOUND',
    `The requested resource does not exist: sObject type '${type}' is not supported.`,
  );

export const malformedId = (type: string, id: string) =>
  new SalesforceApiError(
    404,
    'NOT_FOUND',
    `Provided external ID field does not exist or is not accessible: ${id}`,
    [type],
  );

export const jsonParserError = (message: string) => new SalesforceApiError(400, 'JSON_PARSER_ERROR', message);

/** The answer to more than 200 records in one sObject Collections call (NOTES §2.3, §3.1). */
export const exceededIdLimit = () =>
  new SalesforceApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    'record limit reached. cannot submit more than 200 records into this call',
  );

export const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};
