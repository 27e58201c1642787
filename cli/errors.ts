/**
 * Maps failures to the CLI's exit codes (../shared/DESIGN.md: 2 for bad input, 1 for failures) and to a
 * message a user can act on. Typed errors across the project carry a stable `code`; the ones listed here
 * mean "the input is wrong", everything else is a failure of ours or of the environment.
 */
import { ZodError } from 'zod';

const INPUT_ERROR_CODES = new Set([
  'INPUT_FORMAT',
  'INVALID_DATA',
  'EMPTY_DATA',
  'NO_REPEAT_BUYERS',
  'INVALID_OPTION',
  'TENANT_EMPTY',
  // OAuth set-up: the app, key or install is missing; the message says which and how to fix it.
  'HUBSPOT_OAUTH_CONFIG_MISSING',
  'HUBSPOT_OAUTH_NOT_INSTALLED',
  'TOKEN_KEY_MISSING',
  'TOKEN_KEY_INVALID',
  'SPEND_MEAN_UNDEFINED',
  'INVALID_CLV_INPUT',
  'INVALID_SPEND_INPUT',
  'INVALID_NEXT_PURCHASE_INPUT',
  // Node's file errors: the path given on the command line is wrong.
  'ENOENT',
  'EISDIR',
  'EACCES',
]);

export class CliOptionError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'CliOptionError';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ZodError) return 2;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INPUT_ERROR_CODES.has(code) ? 2 : 1;
}

export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((i) => `${i.path.length ? `--${i.path.join('.')}` : 'input'}: ${i.message}`)
      .join('\n');
  }
  const fileError = error as NodeJS.ErrnoException;
  if (fileError?.code === 'ENOENT' && fileError.path) return `file not found: ${fileError.path}`;
  if (fileError?.code === 'EISDIR' && fileError.path)
    return `expected a file but found a directory: ${fileError.path}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
