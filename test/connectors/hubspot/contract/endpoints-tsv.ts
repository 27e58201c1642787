/**
 * Reads `api-client-14.0.1-endpoints.tsv` (contracts README §1): one row per SDK method with its HTTP method,
 * path template, query parameters and the only success codes the generated client accepts (NOTES §5.3).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type EndpointRow = {
  clientMethod: string;
  httpMethod: HttpMethod;
  /** Path template relative to basePath, `{name}` standing for one segment. */
  path: string;
  queryParams: readonly string[];
  /** Empty when the file gives `?` (legacy CRM cards: no codes extracted). */
  successCodes: readonly number[];
};

export class EndpointsTsvError extends Error {
  readonly code = 'ENDPOINTS_TSV_UNREADABLE';
}

const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function list(cell: string): string[] {
  return cell
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function codes(cell: string, line: number): number[] {
  if (cell.trim() === '?') return [];
  const out = list(cell).map(Number);
  if (out.length === 0 || out.some((c) => !Number.isInteger(c) || c < 100 || c > 599))
    throw new EndpointsTsvError(`line ${line}: success codes '${cell}' are not HTTP statuses`);
  return out;
}

export function parseEndpointsTsv(text: string): EndpointRow[] {
  const rows: EndpointRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    // A signature whose `|` became tabs shifts every later column; refuse it rather than guess the route.
    if (!HTTP_METHODS.includes(cells[2] ?? ''))
      throw new EndpointsTsvError(`line ${line}: third column '${cells[2] ?? ''}' is not an HTTP method`);
    const [clientMethod, , httpMethod, path, query, , success] = cells;
    if (!path?.startsWith('/')) throw new EndpointsTsvError(`line ${line}: path '${path}' is not absolute`);
    rows.push({
      clientMethod,
      httpMethod: httpMethod as HttpMethod,
      path,
      queryParams: list(query ?? ''),
      successCodes: codes(success ?? '', line),
    });
  });
  return rows;
}
