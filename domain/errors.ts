/**
 * The typed errors every part shares. Each carries a stable `code` (what callers and tests match on) and a
 * message that says what to do next. Codes in INPUT_ERROR_CODES mean "the input is wrong" (CLI exit 2); any
 * other error is a failure of ours or of the environment (exit 1).
 */

export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'INPUT_FORMAT',
  'INVALID_DATA',
  'EMPTY_DATA',
  'NO_REPEAT_BUYERS',
  'INVALID_OPTION',
  'TENANT_EMPTY',
  'TENANT_INVALID',
  'TENANT_MISMATCH',
  // OAuth set-up: the app, key or install is missing; the message says which and how to fix it.
  'HUBSPOT_OAUTH_CONFIG_MISSING',
  'HUBSPOT_OAUTH_NOT_INSTALLED',
  'TOKEN_KEY_MISSING',
  'TOKEN_KEY_INVALID',
  'SPEND_MEAN_UNDEFINED',
  'INVALID_CLV_INPUT',
  'INVALID_SPEND_INPUT',
  'INVALID_NEXT_PURCHASE_INPUT',
  // A playbook template or the next-best-action rule file is wrong: the message names the file, rule and field.
  'PLAYBOOK_CONFIG_INVALID',
  // Node's file errors: the path given on the command line is wrong.
  'ENOENT',
  'EISDIR',
  'EACCES',
]);

/** True when an error's stable code says the input (a file, an option, a record) is wrong. */
export function isInputError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INPUT_ERROR_CODES.has(code);
}

/** Base of the shared errors: `code` is stable, the message is for a person. */
export class CrmClvError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tenant id that cannot be parsed or built (empty account id, unknown CRM). */
export class TenantIdError extends CrmClvError<'TENANT_INVALID'> {
  constructor(message: string) {
    super('TENANT_INVALID', message);
  }
}

/** Data made for one tenant or source handed to another (e.g. a score run written back to another portal). */
export class TenantMismatchError extends CrmClvError<'TENANT_MISMATCH'> {
  constructor(message: string) {
    super('TENANT_MISMATCH', message);
  }
}
