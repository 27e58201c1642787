/**
 * Every write-back call goes through callWithRetry with one of the connection's limiters: the general one,
 * or search's own 5/s for the owner tasks' look-up of a task that may have been created (NOTES §4.1 Search);
 * this wraps it once and counts calls and rate-limit waits for the run's summary.
 */
import { callWithRetry } from '../call-with-retry';
import type { HubSpotConnection } from '../create-client';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../retry-policy';

export type CallerStats = { calls: number; rateLimitWaits: number };

export type HubSpotCaller = {
  call<T>(request: () => Promise<T>): Promise<T>;
  readonly stats: CallerStats;
};

export function createCaller(
  connection: HubSpotConnection,
  retry: Partial<RetryOptions> = {},
  limiter: 'general' | 'search' = 'general',
): HubSpotCaller {
  const options: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, random: Math.random, ...retry };
  const stats: CallerStats = { calls: 0, rateLimitWaits: 0 };
  return {
    stats,
    call: async <T>(request: () => Promise<T>): Promise<T> => {
      let waitsSeen = 0;
      const result = await callWithRetry(
        () => {
          stats.calls++;
          return request();
        },
        connection.limiters[limiter],
        connection.clock,
        options,
        (event) => {
          stats.rateLimitWaits += event.rateLimitWaits - waitsSeen;
          waitsSeen = event.rateLimitWaits;
        },
      );
      return result;
    },
  };
}
