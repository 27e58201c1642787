/**
 * Checks one observed request against the endpoints TSV: its (method, path) must resolve to one row, its query
 * keys must be ones that row lists, and a non-error status must be one of the row's success codes (NOTES §5.3:
 * the client throws on any other status, even another 2xx).
 */
import type { EndpointRow } from './endpoints-tsv';

export type ObservedRequest = { method: string; path: string; queryKeys: readonly string[]; status: number };

/** An error status the flows are expected to meet, and on which rows (all rows when absent). */
export type ExpectedErrorStatus = { status: number; clientMethods?: readonly string[]; why: string };

/**
 * `/crm/v3/owners` and `/crm/v3/owners/` are one route: the SDK sends the trailing slash and HubSpot documents
 * the path without it (NOTES §4.3), so a trailing slash is not significant on either side.
 */
function segments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

const isParam = (segment: string): boolean => /^\{[^/{}]+\}$/.test(segment);

function matches(template: string, path: string): boolean {
  const want = segments(template);
  const got = segments(path);
  return want.length === got.length && want.every((w, i) => (isParam(w) ? got[i] !== '' : w === got[i]));
}

const literals = (template: string): number => segments(template).filter((s) => !isParam(s)).length;

export type Resolution = { row: EndpointRow } | { problem: string };

/**
 * The row for a request. A per-type row (`/crm/v3/objects/contacts/batch/read`) and the generic one
 * (`/crm/v3/objects/{objectType}/batch/read`) describe the same route, so the row with the most literal
 * segments answers; two rows tied at that level are an ambiguity in the contract and reported as such.
 */
export function resolveEndpoint(rows: readonly EndpointRow[], method: string, path: string): Resolution {
  const candidates = rows.filter((r) => r.httpMethod === method && matches(r.path, path));
  if (candidates.length === 0) return { problem: `no TSV row for ${method} ${path}` };
  const best = Math.max(...candidates.map((r) => literals(r.path)));
  const top = candidates.filter((r) => literals(r.path) === best);
  if (top.length > 1)
    return {
      problem: `${method} ${path} matches ${top.length} rows: ${top.map((r) => r.clientMethod).join(', ')}`,
    };
  return { row: top[0] };
}

export function describeRequest(r: ObservedRequest): string {
  const query = r.queryKeys.length > 0 ? `?${r.queryKeys.join('&')}` : '';
  return `${r.method} ${r.path}${query} → ${r.status}`;
}

/** Every way the request breaks the contract, each naming the request and the row; [] when it conforms. */
export function contractProblems(
  rows: readonly EndpointRow[],
  request: ObservedRequest,
  expectedErrors: readonly ExpectedErrorStatus[],
): string[] {
  const resolved = resolveEndpoint(rows, request.method, request.path);
  const what = describeRequest(request);
  if ('problem' in resolved) return [`${what}: ${resolved.problem}`];
  const { row } = resolved;
  const problems: string[] = [];
  for (const key of request.queryKeys)
    if (!row.queryParams.includes(key))
      problems.push(`${what}: query key '${key}' is not one of ${row.clientMethod}'s [${row.queryParams}]`);
  if (request.status < 400) {
    if (!row.successCodes.includes(request.status))
      problems.push(`${what}: ${row.clientMethod} accepts only ${row.successCodes.join('/')}`);
  } else {
    const expected = expectedErrors.some(
      (e) => e.status === request.status && (e.clientMethods?.includes(row.clientMethod) ?? true),
    );
    if (!expected) problems.push(`${what}: unexpected error status on ${row.clientMethod}`);
  }
  return problems;
}
