/**
 * Fault injection for connector tests: 429 storms, a rate of 5xx answers, slow answers and
 * 207 partial failures for chosen ids. Settings are live: tests change them between calls
 * (`crm-clv sandbox hubspot --rate-limit-storm/--server-error-rate/--latency-ms` set them at start).
 */

import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { seededRandom as createRandom } from '../../../demo-data/seeded-random';
import { rateLimitBody } from './hubspot-error';

export type SandboxFaults = {
  /** The next N requests answer 429 TEN_SECONDLY_ROLLING regardless of the real window. */
  rateLimitStorm: number;
  /** Probability in [0, 1] that a request answers 502 (drawn from a seeded stream: reproducible). */
  serverErrorRate: number;
  /** Delay before every answer, in ms. */
  latencyMs: number;
  /** Batch-update inputs with these ids fail inside a 207 answer. */
  partialFailureIds: Set<string>;
};

export type FaultOptions = {
  rateLimitStorm?: number;
  serverErrorRate?: number;
  latencyMs?: number;
  partialFailureIds?: Iterable<string>;
};

export function createFaults(options: FaultOptions = {}): SandboxFaults {
  return {
    rateLimitStorm: options.rateLimitStorm ?? 0,
    serverErrorRate: options.serverErrorRate ?? 0,
    latencyMs: options.latencyMs ?? 0,
    partialFailureIds: new Set(options.partialFailureIds ?? []),
  };
}

/**
 * `rateLimitHeaders` gives the X-HubSpot-RateLimit-* headers a real TEN_SECONDLY_ROLLING 429 carries for this
 * request (NOTES §4.6), so a storm looks like the real limit to a client that reads them.
 */
export function faultMiddleware(
  faults: SandboxFaults,
  portalId: string,
  seed: number,
  rateLimitHeaders: (req: Request) => Record<string, string> = () => ({}),
) {
  const random = createRandom(seed ^ 0x5eed);
  return (req: Request, res: Response, next: NextFunction): void => {
    const proceed = (): void => {
      if (faults.rateLimitStorm > 0) {
        faults.rateLimitStorm--;
        res.set(rateLimitHeaders(req));
        res.status(429).json(rateLimitBody('TEN_SECONDLY_ROLLING', portalId));
        return;
      }
      if (faults.serverErrorRate > 0 && random.uniform() < faults.serverErrorRate) {
        // 502 is one of the gateway errors HubSpot documents as "pause and retry" (NOTES §4.7); body shape [U].
        res.status(502).json({
          status: 'error',
          message: 'Bad gateway (sandbox fault injection)',
          correlationId: randomUUID(),
          category: 'INTERNAL_ERROR',
        });
        return;
      }
      next();
    };
    if (faults.latencyMs > 0) setTimeout(proceed, faults.latencyMs);
    else proceed();
  };
}
