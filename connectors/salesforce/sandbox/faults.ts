/**
 * Fault injection, mirroring the HubSpot sandbox's flags with Salesforce's answers: a "rate-limit storm" is N
 * answers of 403 REQUEST_LIMIT_EXCEEDED (Salesforce has no 429; over-limit and concurrency refusals are 403,
 * NOTES §3.1), server errors are 503 SERVER_UNAVAILABLE (NOTES §3.1 [U] for the code). NB jsforce retries a GET
 * answered 5xx five times with back-off (~15 s, NOTES §3.3): fast tests inject on POST/PATCH. Settings are live.
 */

import type { NextFunction, Request, Response } from 'express';
import { seededRandom } from '../../../demo-data/seeded-random';
import { SalesforceApiError } from './salesforce-error';

export type SandboxFaults = {
  /** The next N API requests answer 403 REQUEST_LIMIT_EXCEEDED. */
  rateLimitStorm: number;
  /** Probability in [0, 1] that an API request answers 503 (seeded stream: reproducible). */
  serverErrorRate: number;
  /** Delay before every answer, in ms. */
  latencyMs: number;
};

export type FaultOptions = Partial<SandboxFaults>;

export function createFaults(options: FaultOptions = {}): SandboxFaults {
  return {
    rateLimitStorm: options.rateLimitStorm ?? 0,
    serverErrorRate: options.serverErrorRate ?? 0,
    latencyMs: options.latencyMs ?? 0,
  };
}

export function faultMiddleware(faults: SandboxFaults, seed: number) {
  const random = seededRandom(seed ^ 0x5eed);
  return (_req: Request, _res: Response, next: NextFunction): void => {
    const proceed = (): void => {
      if (faults.rateLimitStorm > 0) {
        faults.rateLimitStorm--;
        next(
          new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
        );
        return;
      }
      if (faults.serverErrorRate > 0 && random.uniform() < faults.serverErrorRate) {
        next(
          new SalesforceApiError(
            503,
            'SERVER_UNAVAILABLE',
            'Server is unavailable (sandbox fault injection)',
          ),
        );
        return;
      }
      next();
    };
    if (faults.latencyMs > 0) setTimeout(proceed, faults.latencyMs);
    else proceed();
  };
}
