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
  /** Set when the row's columns were shifted and had to be recovered; says how. */
  recovered?: string;
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

/**
 * A signature with a literal union type (`idProperty?: 'id' | 'userId'`) was written with its `|` turned into
 * tabs, which shifts every later column: the method and path then share one cell (`GET /crm/v3/owners/{id}`)
 * and the query cell reads `query: a,b`. Such a row is recovered from the first cell that starts with an
 * HTTP method, so a defect in the file cannot hide a route.
 */
function recoverShifted(cells: string[], line: number): EndpointRow {
  const at = cells.findIndex((c, i) => i > 0 && /^(GET|POST|PUT|PATCH|DELETE) \//.test(c));
  if (at < 0) throw new EndpointsTsvError(`line ${line}: no HTTP method column in '${cells.join('\\t')}'`);
  const [method, path] = cells[at].split(' ');
  const query = (cells[at + 1] ?? '').replace(/^query:\s*/, '');
  return {
    clientMethod: cells[0],
    httpMethod: method as HttpMethod,
    path,
    queryParams: list(query),
    successCodes: codes(cells[at + 2] ?? '', line),
    recovered: `columns shifted by tabs inside the signature; method and path read from '${cells[at]}'`,
  };
}

export function parseEndpointsTsv(text: string): EndpointRow[] {
  const rows: EndpointRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    if (!HTTP_METHODS.includes(cells[2] ?? '')) {
      rows.push(recoverShifted(cells, line));
      return;
    }
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
