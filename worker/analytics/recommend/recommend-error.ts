/** Raised when the recommender is given inputs or options it cannot use. */
export class RecommendError extends Error {
  readonly code: 'INVALID_INPUT' | 'INVALID_OPTIONS';
  constructor(code: RecommendError['code'], message: string) {
    super(message);
    this.name = 'RecommendError';
    this.code = code;
  }
}

/** Throws INVALID_OPTIONS unless n is an integer in [min, max]. */
export function requireInteger(name: string, n: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new RecommendError('INVALID_OPTIONS', `${name} must be an integer in [${min}, ${max}], got ${n}`);
  }
}

/** Throws INVALID_OPTIONS unless x is a finite number ≥ min. */
export function requireNumber(name: string, x: number, min: number): void {
  if (!Number.isFinite(x) || x < min) {
    throw new RecommendError('INVALID_OPTIONS', `${name} must be a finite number ≥ ${min}, got ${x}`);
  }
}
