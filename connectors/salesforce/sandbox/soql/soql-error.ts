/**
 * The errors a SOQL string can earn, with Salesforce's error codes (NOTES §3.1): syntax → MALFORMED_QUERY,
 * an unknown column → INVALID_FIELD, an unknown sObject → INVALID_TYPE. The message wording follows the
 * examples of NOTES §3.1 ([U] for the exact text of the last two).
 */

export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

export function malformed(message: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', message);
}

export function noSuchColumn(field: string, objectName: string): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, be sure ` +
      `to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
      `appropriate names.`,
  );
}

export function unsupportedType(objectName: string): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to ` +
      `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
      `appropriate names.`,
  );
}
