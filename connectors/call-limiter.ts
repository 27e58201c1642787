/**
 * What a connector needs from a rate limiter, whichever CRM it calls and wherever the count lives: in this
 * process (one-off CLI runs) or in Redis, shared by every worker that calls the same account. A CRM counts
 * its limits per account, so a limiter is per account and limit, never per process.
 */
import { CrmClvError } from '../domain/errors';

export type WindowLimit = { limit: number; windowMs: number };

/** Refuses a window no call could ever pass (0 calls, or no time). */
export function checkWindow(window: WindowLimit): void {
  if (!Number.isInteger(window.limit) || window.limit < 1 || !(window.windowMs > 0))
    throw new RangeError(
      `a rate limit needs a whole number of calls ≥ 1 per window > 0 ms, got ${window.limit} per ${window.windowMs} ms`,
    );
}

export interface CallLimiter {
  /**
   * Resolves when a call may start. Call the returned function when the response is back: the call then
   * counts until response + window (a CRM counts a request when it arrives, somewhere before our response).
   * May reject with CallThrottledError when the wait is long and the caller asked to yield instead.
   */
  acquire(): Promise<() => void>;
  /** Stops every call until `until` (ms since the epoch, this process's clock): after a 429. */
  pauseUntil(until: number): void;
  /** The window now enforced. */
  readonly window: WindowLimit;
  /** Adopts a tighter limit the CRM reported. */
  resize(window: WindowLimit): void;
}

/** Builds a limiter for one named limit of the account (`general`, `search`, …). */
export type CallLimiterFactory = (name: string, window: WindowLimit) => CallLimiter;

/**
 * The account is at its limit and the caller chose to give its turn away rather than wait (a worker with
 * other tenants' jobs queued): nothing was sent for this call. The job is put back until `resumeAt`.
 */
export class CallThrottledError extends CrmClvError<'CALL_THROTTLED'> {
  readonly resumeAt: number;
  constructor(limitName: string, resumeAt: number) {
    super(
      'CALL_THROTTLED',
      `the account's ${limitName} rate limit is used up until ${new Date(resumeAt).toISOString()}; ` +
        'the job resumes then, without resending what was confirmed',
    );
    this.resumeAt = resumeAt;
  }
}
