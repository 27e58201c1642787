import { toFailedCall } from './failed-call';
import { redactUrl } from './redact-url';
import type { CallLimiter } from '../call-limiter';
import { limitFromHeaders, type Clock } from './rate-limiter';
import { decideRetry, type Headers, type RetryOptions } from './retry-policy';

/**
 * A 429 tells the account's real limit (X-HubSpot-RateLimit-Max / -Interval-Milliseconds, NOTES §4.6): when it
 * is tighter than the one configured (a Starter portal run with --tier professional, say), adopt it, so one
 * 429 is the last. Never loosened from a header: the configured size is the caller's promise.
 */
function adoptReportedLimit(limiter: CallLimiter, headers: Headers | undefined): void {
  if (headers === undefined) return;
  const reported = limitFromHeaders(headers);
  if (reported === undefined) return;
  const current = limiter.window;
  if (reported.limit / reported.windowMs < current.limit / current.windowMs) limiter.resize(reported);
}

/**
 * An error neither HTTP nor network (a bug, or fetch refusing the URL) is rethrown as is, but its message may
 * quote the request URL: fetch's "Request cannot be constructed from a URL that includes credentials: http://u:p@…"
 * does. Credentials are redacted in place (message and stack), so the error keeps its type and trace.
 */
function redacted(error: unknown): unknown {
  // Duck-typed: fetch's errors may come from another realm (jest's vm), where instanceof Error is false.
  if (typeof error !== 'object' || error === null) return error;
  const e = error as { message?: unknown; stack?: unknown };
  try {
    if (typeof e.message === 'string') e.message = redactUrl(e.message);
    if (typeof e.stack === 'string') e.stack = redactUrl(e.stack);
  } catch {
    // A read-only message: report a copy rather than the original.
    return new Error(redactUrl(String(e.message)));
  }
  return error;
}

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
  limiter: CallLimiter | readonly CallLimiter[],
  clock: Clock,
  options: RetryOptions,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  let failedAttempts = 0;
  let rateLimitWaits = 0;
  const limiters: readonly CallLimiter[] = Array.isArray(limiter) ? limiter : [limiter as CallLimiter];
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
      if (failure === undefined) throw redacted(error);
      const decision = decideRetry(failure, failedAttempts + 1, clock.now(), options, rateLimitWaits);
      if (decision.action === 'fail') throw decision.error;
      if (decision.pauseAll) {
        rateLimitWaits++;
        if (failure.kind === 'response' && limiters.length === 1)
          adoptReportedLimit(limiters[0], failure.headers);
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
