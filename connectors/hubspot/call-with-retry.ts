import { toFailedCall } from './failed-call';
import type { Clock, SlidingWindowLimiter } from './rate-limiter';
import { decideRetry, type RetryOptions } from './retry-policy';

export type RetryEvent = { failedAttempts: number; rateLimitWaits: number; delayMs: number; reason: string };

/**
 * Runs one API call under the limiter, retrying per decideRetry; throws the typed error when retrying cannot
 * help. Rate-limit waits pause the whole limiter, so other calls wait out the window too (NOTES §4.6), and
 * do not count as failed attempts (waiting a window out always works; maxRateLimitWaits bounds them).
 * Example: await callWithRetry(() => client.crm.contacts.batchApi.update({ inputs }), limiter, clock, options)
 */
export async function callWithRetry<T>(
  call: () => Promise<T>,
  /** Every limit the call counts against (e.g. the general and the associations limit); taken in order. */
  limiter: SlidingWindowLimiter | readonly SlidingWindowLimiter[],
  clock: Clock,
  options: RetryOptions,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  let failedAttempts = 0;
  let rateLimitWaits = 0;
  const limiters: readonly SlidingWindowLimiter[] = Array.isArray(limiter)
    ? limiter
    : [limiter as SlidingWindowLimiter];
  for (;;) {
    const settles: (() => void)[] = [];
    for (const l of limiters) settles.push(await l.acquire());
    const settle = () => {
      for (const s of settles) s();
    };
    try {
      return await call();
    } catch (error) {
      settle(); // before any backoff sleep below: the response is back now
      const failure = toFailedCall(error);
      if (failure === undefined) throw error;
      const decision = decideRetry(failure, failedAttempts + 1, clock.now(), options, rateLimitWaits);
      if (decision.action === 'fail') throw decision.error;
      if (decision.pauseAll) {
        rateLimitWaits++;
        // Which limit answered is not always said (search 429s carry no policy): wait all of them out.
        for (const l of limiters) l.pauseUntil(clock.now() + decision.delayMs);
      } else {
        failedAttempts++;
        await clock.sleep(decision.delayMs);
      }
      onRetry?.({ failedAttempts, rateLimitWaits, delayMs: decision.delayMs, reason: decision.reason });
    } finally {
      settle();
    }
  }
}
