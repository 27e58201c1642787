/**
 * The input file is not what the caller said it is (wrong layout, missing header columns, not gzip, bad
 * summary values). The CLI maps code INPUT_FORMAT to exit code 2.
 */
export class InputFormatError extends Error {
  readonly code = 'INPUT_FORMAT';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InputFormatError';
    this.path = path;
  }
}

/** Shortens a value for an error message or a quality-report example. */
export function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
