/** Raised when a simulator is given parameters or options it cannot honour. */
export class SimulationError extends Error {
  readonly code: 'INVALID_PARAMS' | 'INVALID_OPTIONS';
  constructor(code: SimulationError['code'], message: string) {
    super(message);
    this.name = 'SimulationError';
    this.code = code;
  }
}

/** Throws INVALID_PARAMS unless every named value is a finite positive number. */
export function requirePositiveParams(model: string, params: Record<string, number>): void {
  for (const [name, value] of Object.entries(params)) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new SimulationError(
        'INVALID_PARAMS',
        `${model} parameter ${name} must be a finite positive number, got ${value}; pass fitted or published values`,
      );
    }
  }
}

/** Throws INVALID_OPTIONS unless n is a non-negative safe integer. */
export function requireCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SimulationError('INVALID_OPTIONS', `${name} must be a non-negative integer, got ${n}`);
  }
}
