/**
 * Every Salesforce call of a run goes through one caller: it stops before the org's daily API allocation runs
 * out (Sforce-Limit-Info, which jsforce parses into conn.limitInfo after every REST response, NOTES §3.4),
 * turns jsforce's errors into our typed ones (NOTES §3.2) with secrets redacted, retries a whole call that
 * failed transiently when asked (jsforce retries GETs itself but never PATCH/POST, NOTES §3.3), and counts.
 */
import type { SalesforceConnection } from './create-connection';
import {
  SalesforceApiLimitError,
  SalesforceAuthError,
  SalesforceError,
  SalesforceRequestError,
  SalesforceSessionError,
} from './errors';

export type LimitPolicy = {
  /**
   * Calls left untouched for the org's other integrations: the run stops when fewer remain. Default 5% of the
   * daily allocation (at least 50).
   */
  minRemainingCalls?: number;
};

export type CallerStats = { calls: number; transientRetries: number };

export type SalesforceCaller = {
  call<T>(run: () => Promise<T>, options?: { retryTransient?: boolean }): Promise<T>;
  /** Throws SalesforceApiLimitError when the last reported usage leaves less than the reserve. */
  checkLimit(): void;
  readonly stats: CallerStats;
};

/** Network errors and 5xx-type codes worth one more try (NOTES §3.3 lists what jsforce itself retries). */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
]);

function codeOf(error: unknown): string | undefined {
  const e = error as { errorCode?: unknown; code?: unknown } | null;
  if (typeof e?.errorCode === 'string') return e.errorCode;
  if (typeof e?.code === 'string') return e.code;
  return undefined;
}

export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (TRANSIENT_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code));
}

export function createCaller(
  sf: SalesforceConnection,
  policy: LimitPolicy = {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): SalesforceCaller {
  const stats: CallerStats = { calls: 0, transientRetries: 0 };

  const checkLimit = (): void => {
    const usage = sf.conn.limitInfo?.apiUsage;
    if (usage === undefined || !(usage.limit > 0)) return;
    const reserve = policy.minRemainingCalls ?? Math.max(50, Math.ceil(usage.limit * 0.05));
    const remaining = usage.limit - usage.used;
    if (remaining <= reserve)
      throw new SalesforceApiLimitError(
        `the org has used ${usage.used} of its ${usage.limit} daily API calls (Sforce-Limit-Info); ` +
          `${remaining} are left and ${reserve} are kept for the org's other integrations, so nothing more is sent. ` +
          'The allocation is a rolling 24 hours: run again later, or lower the reserve (minRemainingCalls).',
        usage.used,
        usage.limit,
      );
  };

  const call = async <T>(run: () => Promise<T>, options: { retryTransient?: boolean } = {}): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      checkLimit();
      stats.calls++;
      try {
        const result = await run();
        sf.guard.noteSuccess();
        return result;
      } catch (error) {
        if (options.retryTransient && attempt < 2 && isTransient(error)) {
          stats.transientRetries++;
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw toSalesforceError(error, sf);
      }
    }
  };

  return { call, checkLimit, stats };
}

/** jsforce's error as our typed error, its message redacted (NOTES §3.2: `errorCode` names the failure). */
export function toSalesforceError(error: unknown, sf: SalesforceConnection): Error {
  if (error instanceof SalesforceError) return error;
  const message = sf.redact(error instanceof Error ? error.message : String(error));
  if (sf.guard.tripped)
    return new SalesforceSessionError(
      'Salesforce refused the session again right after refreshing it (401 INVALID_SESSION_ID); not refreshing ' +
        'in a loop. Check that the integration user is active and the connected app policies allow it, then reconnect.',
    );
  if (message.startsWith('Unable to refresh session'))
    return new SalesforceAuthError(`${message}. Reconnect the org (a new refresh token or JWT set-up).`);
  const code = codeOf(error);
  switch (code) {
    case 'REQUEST_LIMIT_EXCEEDED':
      return new SalesforceApiLimitError(
        `Salesforce refused the call with 403 REQUEST_LIMIT_EXCEEDED (${message}): the org's daily API allocation ` +
          'or its concurrent long-running request limit is used up. Run again later.',
        sf.conn.limitInfo?.apiUsage?.used,
        sf.conn.limitInfo?.apiUsage?.limit,
      );
    case 'INVALID_SESSION_ID':
      return new SalesforceSessionError(
        `Salesforce refused the access token (401 INVALID_SESSION_ID: ${message}) and this connection has no way ` +
          'to refresh it: connect with a refresh token or the JWT bearer flow, or supply a new access token.',
      );
    case undefined:
      break;
    default:
      if (!/^E[A-Z_]+$/.test(code)) return new SalesforceRequestError(code, message);
  }
  if (error instanceof Error) {
    try {
      error.message = message;
      if (typeof error.stack === 'string') error.stack = sf.redact(error.stack);
    } catch {
      return new Error(message);
    }
    return error;
  }
  return new Error(message);
}
