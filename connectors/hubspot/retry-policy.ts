/**
 * What to do after a failed call, as a pure decision (NOTES §4.6, §4.7, §5.2). The SDK's own retry ignores
 * the headers and waits 10 s × attempt on 429 (NOTES §5.2), so the connector builds its client with
 * numberOfApiCallRetries 1 and retries here instead.
 */
import { HubSpotDailyLimitError, HubSpotRequestError, HubSpotRetriesExhaustedError } from './errors';
import type { HubSpotError } from './errors';
import { nextDailyReset } from './next-daily-reset';
import { redactUrl } from './redact-url';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A failed call: an HTTP response (status, parsed body, headers) or a network error. */
export type FailedCall =
  | { kind: 'response'; status: number; body?: unknown; headers?: Headers }
  | { kind: 'network'; error: unknown };

export type RetryDecision =
  | {
      action: 'retry';
      delayMs: number;
      /** True for rate limits: pause every call of the limiter, not just this one. */
      pauseAll: boolean;
      reason: string;
    }
  | { action: 'fail'; error: HubSpotError };

export type RetryOptions = {
  /** Total attempts including the first (NOTES §5.2 counts the same way). */
  maxAttempts: number;
  /** Backoff base and cap for 5xx and network errors. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform [0, 1) source for full jitter; inject a seeded one in tests. */
  random: () => number;
  /** The account's IANA time zone, for the daily reset time. */
  timeZone: string;
  /** Rate-limit waits do not use up attempts up to this many times, because waiting them out always works. */
  maxRateLimitWaits: number;
};

export const DEFAULT_RETRY_OPTIONS: Omit<RetryOptions, 'random'> = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeZone: 'UTC',
  maxRateLimitWaits: 20,
};

const SECONDLY_MESSAGE = 'You have reached your secondly limit.';
/** A rolling window with no usable header: wait a whole window (NOTES §4.6: interval 10000). */
const DEFAULT_WINDOW_MS = 10_000;
/** 423 Locked on bulk upserts: "wait ≥ 2 s" (NOTES §4.7). */
const LOCKED_WAIT_MS = 2_000;

/**
 * Decides after the `attempt`-th failed attempt (1-based) at time `now` (epoch ms).
 * - 429 TEN_SECONDLY_ROLLING: wait Retry-After if sent, else the window from
 *   X-HubSpot-RateLimit-Interval-Milliseconds (10 s by default), pausing all calls;
 * - 429 "secondly" (search, 5/s): wait 1 s;
 * - 429 DAILY: fail with HubSpotDailyLimitError carrying the reset time;
 * - 5xx and network errors: exponential backoff with full jitter, delay = random · min(cap, base · 2^(attempt−1))
 *   (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015);
 * - 423, 477: wait (2 s, Retry-After); anything else: fail with HubSpotRequestError.
 */
export function decideRetry(
  failure: FailedCall,
  attempt: number,
  now: number,
  options: RetryOptions,
  rateLimitWaits = 0,
): RetryDecision {
  if (failure.kind === 'network')
    return backoff(attempt, options, `network error: ${describe(failure.error)}`);
  const { status, body, headers = {} } = failure;
  const fields = errorFields(body);

  if (status === 429) {
    if (fields.policyName === 'DAILY') {
      const resetAt = new Date(dailyReset(now, options.timeZone)).toISOString();
      return { action: 'fail', error: new HubSpotDailyLimitError(resetAt, options.timeZone) };
    }
    if (rateLimitWaits >= options.maxRateLimitWaits)
      return {
        action: 'fail',
        error: new HubSpotRetriesExhaustedError(
          attempt,
          `429 ${fields.policyName ?? fields.message ?? ''}`.trim(),
        ),
      };
    if (fields.message === SECONDLY_MESSAGE)
      return {
        action: 'retry',
        delayMs: retryAfterMs(headers, now) ?? 1_000,
        pauseAll: true,
        reason: '429 secondly',
      };
    const windowMs =
      retryAfterMs(headers, now) ?? headerNumber(headers, 'x-hubspot-ratelimit-interval-milliseconds');
    return {
      action: 'retry',
      delayMs: windowMs ?? DEFAULT_WINDOW_MS,
      pauseAll: true,
      reason: `429 ${fields.policyName ?? 'rate limit'}`,
    };
  }
  if (status === 423 || status === 477) {
    if (attempt >= options.maxAttempts)
      return { action: 'fail', error: new HubSpotRetriesExhaustedError(attempt, `HTTP ${status}`) };
    const wait = retryAfterMs(headers, now) ?? LOCKED_WAIT_MS;
    return {
      action: 'retry',
      delayMs: Math.max(wait, status === 423 ? LOCKED_WAIT_MS : 0),
      pauseAll: false,
      reason: `HTTP ${status}`,
    };
  }
  if (status >= 500)
    return backoff(attempt, options, `HTTP ${status}${fields.message ? `: ${fields.message}` : ''}`);
  return { action: 'fail', error: requestError(status, fields) };
}

function backoff(attempt: number, options: RetryOptions, problem: string): RetryDecision {
  if (attempt >= options.maxAttempts)
    return { action: 'fail', error: new HubSpotRetriesExhaustedError(attempt, problem) };
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return {
    action: 'retry',
    delayMs: Math.floor(options.random() * ceiling),
    pauseAll: false,
    reason: problem,
  };
}

function dailyReset(now: number, timeZone: string): number {
  try {
    return nextDailyReset(now, timeZone);
  } catch {
    return nextDailyReset(now, 'UTC');
  }
}

type ErrorFields = {
  message?: string;
  category?: string;
  policyName?: string;
  correlationId?: string;
  details?: string;
};

/** The fields of HubSpot's error body we use (NOTES §4.7: "treat all fields as optional"). */
export function errorFields(body: unknown): ErrorFields {
  if (typeof body === 'string') {
    try {
      return errorFields(JSON.parse(body));
    } catch {
      return { message: body };
    }
  }
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const errors = Array.isArray(b.errors) ? b.errors : [];
  const details = errors
    .map((e) =>
      typeof e === 'object' && e !== null ? str((e as Record<string, unknown>).message) : undefined,
    )
    .filter((m): m is string => m !== undefined)
    .join('; ');
  return {
    message: str(b.message),
    category: str(b.category) ?? str(b.errorType),
    policyName: str(b.policyName),
    correlationId: str(b.correlationId),
    details: details === '' ? undefined : details,
  };
}

function requestError(status: number, fields: ErrorFields): HubSpotRequestError {
  const what = fields.details ?? fields.message ?? 'no message';
  const advice =
    status === 401
      ? 'The token is invalid or expired: check HUBSPOT token settings or reinstall the app.'
      : status === 403
        ? 'The app lacks a scope this call needs: add it to the app and reinstall.'
        : status === 404
          ? 'The object does not exist (deleted or merged): sync again to refresh ids.'
          : status === 409
            ? 'It already exists: read it and reconcile instead of creating it.'
            : status === 413
              ? 'The request body is larger than HubSpot accepts: send fewer inputs per request or shorter values; resending the same request will fail again.'
              : 'Fix the request data named above; retrying the same request will fail again.';
  const ref = fields.correlationId === undefined ? '' : ` (correlationId ${fields.correlationId})`;
  const name = status === 413 ? ' Payload Too Large' : '';
  return new HubSpotRequestError(
    status,
    fields.category,
    fields.correlationId,
    `HubSpot answered ${status}${name}${fields.category ? ` ${fields.category}` : ''}: ${what}${ref}. ${advice}`,
    fields.message,
  );
}

function header(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = Number(header(headers, name));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Whether HubSpot sends it
 * on 429 is unverified (NOTES §4.6 [U]); when it does, it is the most precise wait.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const raw = header(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A network error's message may quote the request URL (with any credentials in it): redacted. */
function describe(error: unknown): string {
  return redactUrl(error instanceof Error ? error.message : String(error));
}
