/**
 * Maps failures to the CLI's exit codes (../shared/DESIGN.md: 2 for bad input, 1 for failures) and to a
 * message a user can act on. Typed errors across the project carry a stable `code`; the ones listed here
 * mean "the input is wrong", everything else is a failure of ours or of the environment.
 */
import { ZodError } from 'zod';
import { isInputError } from '../domain/errors';

export class CliOptionError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'CliOptionError';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ZodError) return 2;
  return isInputError(error) ? 2 : 1;
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
