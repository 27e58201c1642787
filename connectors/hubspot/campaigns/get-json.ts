/**
 * A GET through the client's generic `apiRequest` (NOTES §5.4 "raw"), for APIs @hubspot/api-client 14.0.1 has
 * no wrapper for (the Marketing Campaigns API). apiRequest resolves with the fetch Response whatever its status,
 * so a non-2xx answer is thrown here in the shape the typed APIs throw (ApiException: numeric `code`, parsed
 * `body`, `headers`, NOTES §5.3): callWithRetry then waits out 429s and retries 5xx the same way for both.
 */
import type { Client } from '@hubspot/api-client';

export class RawApiException extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP-Code: ${code}`);
    this.name = 'RawApiException';
  }
}

export async function getJson<T>(
  client: Pick<Client, 'apiRequest'>,
  path: string,
  qs: Record<string, string>,
): Promise<T> {
  const response = await client.apiRequest({ method: 'GET', path, qs });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a gateway's HTML page, say): kept as text for the error message.
  }
  if (!response.ok) {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    throw new RawApiException(response.status, body, headers);
  }
  return body as T;
}
