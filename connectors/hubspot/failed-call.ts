import type { FailedCall, Headers } from './retry-policy';

/** Node/undici error codes of a call that never got a response (retrying may help). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * What an SDK call threw, as a FailedCall; undefined when it is neither an HTTP error nor a network error
 * (a bug of ours must surface, not be retried). The SDK throws ApiException { code: status, body, headers }
 * with the raw parsed body (NOTES §5.3); 14.x uses global fetch, whose network failures are
 * TypeError('fetch failed') with the system error as `cause` (NOTES §0).
 */
export function toFailedCall(error: unknown): FailedCall | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as {
    code?: unknown;
    body?: unknown;
    headers?: unknown;
    cause?: unknown;
    message?: unknown;
  };
  if (typeof e.code === 'number' && e.code >= 100 && e.code <= 599)
    return { kind: 'response', status: e.code, body: e.body, headers: asHeaders(e.headers) };
  if (isNetworkError(e)) return { kind: 'network', error };
  return undefined;
}

function isNetworkError(e: { code?: unknown; cause?: unknown; message?: unknown }): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (e.message === 'fetch failed') return true;
  if (typeof e.cause === 'object' && e.cause !== null) {
    const code = (e.cause as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  }
  return false;
}

function asHeaders(headers: unknown): Headers {
  if (typeof headers !== 'object' || headers === null) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') out[key] = value;
  return out;
}
