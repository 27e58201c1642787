/**
 * TEST DOUBLE — a minimal local HTTP stub of the Salesforce REST API, answering with the shapes of
 * shared/contracts/salesforce/NOTES.md §2 / §3 (query pages with nextRecordsUrl, sObject Collections results
 * with per-record errors, 401 INVALID_SESSION_ID, the token endpoint, Sforce-Limit-Info). It is not an emulator:
 * its SOQL "parser" understands only what the connector sends (a field list, `SystemModstamp >[=] literal`,
 * `IsDeleted = true`, `Field IN (…)`), and it records every request so tests can assert their shapes. The real
 * emulator is connectors/salesforce/sandbox/ (another piece of work); these tests will run against it later.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Row = Record<string, unknown> & { Id: string; SystemModstamp?: string; IsDeleted?: boolean };
export type SaveError = { statusCode: string; message: string; fields: string[] };

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
};

export const ORG_ID = '00D000000000001AAA';
export const USER_ID = '005000000000001AAA';

export class StubSalesforce {
  readonly tables: Record<string, Row[]> = {};
  readonly describeFields: Record<string, Record<string, unknown>[]> = {};
  readonly requests: RecordedRequest[] = [];
  readonly validTokens = new Set<string>(['TOKEN_OK']);
  refreshToken = 'RT_GOOD';
  /** When set, the token endpoint hands out a new refresh token (rotation) with every refresh. */
  rotateRefreshTokens = false;
  /** When true, tokens the stub issues are refused too (to prove the connector does not refresh in a loop). */
  refuseIssuedTokens = false;
  pageSize = 2000;
  apiUsed = 0;
  apiMax = 15000;
  /** Per-record validation for collection updates: an error fails that record only. */
  validate?: (record: Record<string, unknown>, attempt: number) => SaveError | undefined;
  /** Called with every token request's form (e.g. to verify a JWT assertion). */
  onToken?: (form: URLSearchParams) => string | undefined;
  private issued = 0;
  private cursors = 0;
  private readonly pages = new Map<string, Row[]>();
  private readonly attempts = new Map<string, number>();
  private server?: Server;
  baseUrl = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Requests to the REST API (the token endpoint excluded), optionally of one method. */
  restRequests(method?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.startsWith('/services/data/') && (method === undefined || r.method === method),
    );
  }

  /** The SOQL of every query request (first pages only). */
  queries(): string[] {
    return this.requests.filter((r) => /\/query(All)?$/.test(r.path)).map((r) => r.query.get('q') as string);
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    this.requests.push(recorded);
    if (url.pathname === '/services/oauth2/token') return this.token(new URLSearchParams(body), res);
    if (!url.pathname.startsWith('/services/data/'))
      return this.send(res, 404, [
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);

    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.validTokens.has(token))
      return this.send(res, 401, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    this.apiUsed++;
    const limit = { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.apiMax}` };
    if (this.apiUsed > this.apiMax)
      return this.send(
        res,
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        limit,
      );

    const rest = url.pathname.replace(/^\/services\/data\/v\d+\.\d+/, '');
    const describe = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
    if (req.method === 'GET' && describe)
      return this.send(
        res,
        200,
        { name: describe[1], fields: this.describeFields[describe[1]] ?? [] },
        limit,
      );
    if (req.method === 'GET' && (rest === '/query' || rest === '/queryAll'))
      return this.query(url.searchParams.get('q') ?? '', rest === '/queryAll', res, limit);
    const more = /^\/query\/([\w-]+)$/.exec(rest);
    if (req.method === 'GET' && more) return this.page(more[1], res, limit);
    if (req.method === 'PATCH' && rest === '/composite/sobjects') return this.update(body, res, limit);
    return this.send(
      res,
      404,
      [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      limit,
    );
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    const grant = form.get('grant_type');
    const refused = this.onToken?.(form);
    const ok =
      refused === undefined &&
      ((grant === 'refresh_token' && form.get('refresh_token') === this.refreshToken) ||
        grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    if (!ok)
      return this.send(res, 400, {
        error: 'invalid_grant',
        error_description: refused ?? 'expired access/refresh token',
      });
    const accessToken = `00D_ISSUED_${++this.issued}`;
    if (!this.refuseIssuedTokens) this.validTokens.add(accessToken);
    const rotated =
      this.rotateRefreshTokens && grant === 'refresh_token' ? `RT_ROTATED_${this.issued}` : undefined;
    if (rotated !== undefined) this.refreshToken = rotated;
    this.send(res, 200, {
      access_token: accessToken,
      ...(rotated === undefined ? {} : { refresh_token: rotated }),
      signature: 'sig',
      scope: 'api refresh_token',
      instance_url: this.baseUrl,
      id: `${this.baseUrl}/id/${ORG_ID}/${USER_ID}`,
      token_type: 'Bearer',
      issued_at: '1700000000000',
    });
  }

  private query(soql: string, all: boolean, res: ServerResponse, headers: Record<string, string>): void {
    const select = /^SELECT (.+?) FROM (\w+)/.exec(soql);
    if (!select)
      return this.send(
        res,
        400,
        [{ errorCode: 'MALFORMED_QUERY', message: `unexpected query: ${soql}` }],
        headers,
      );
    const fields = select[1].split(',').map((f) => f.trim());
    let rows = [...(this.tables[select[2]] ?? [])];
    if (/IsDeleted = true/.test(soql)) rows = rows.filter((r) => r.IsDeleted === true);
    else if (!all) rows = rows.filter((r) => r.IsDeleted !== true);
    const since = /SystemModstamp (>=?) (\S+)/.exec(soql);
    if (since)
      rows = rows.filter((r) => {
        const at = Date.parse(String(r.SystemModstamp).replace('+0000', 'Z'));
        return since[1] === '>=' ? at >= Date.parse(since[2]) : at > Date.parse(since[2]);
      });
    const inList = /(\w+) IN \(([^)]*)\)/.exec(soql);
    if (inList) {
      const ids = new Set(inList[2].split(',').map((s) => s.trim().replace(/'/g, '')));
      rows = rows.filter((r) => ids.has(String(r[inList[1]])));
    }
    if (/ORDER BY SystemModstamp, Id/.test(soql))
      rows.sort(
        (a, b) =>
          String(a.SystemModstamp).localeCompare(String(b.SystemModstamp)) || a.Id.localeCompare(b.Id),
      );
    const shaped = rows.map((r) => ({
      attributes: { type: select[2], url: `/services/data/v62.0/sobjects/${select[2]}/${r.Id}` },
      ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])),
    })) as unknown as Row[];
    const cursor = `01gSTUB${String(++this.cursors).padStart(11, '0')}`;
    this.pages.set(cursor, shaped);
    this.page(`${cursor}-0`, res, headers);
  }

  private page(locator: string, res: ServerResponse, headers: Record<string, string>): void {
    const [cursor, offsetText] = locator.split('-');
    const rows = this.pages.get(cursor);
    if (rows === undefined)
      return this.send(
        res,
        400,
        [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }],
        headers,
      );
    const offset = Number(offsetText);
    const end = offset + this.pageSize;
    const done = end >= rows.length;
    this.send(
      res,
      200,
      {
        totalSize: rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v62.0/query/${cursor}-${end}` }),
        records: rows.slice(offset, end),
      },
      headers,
    );
  }

  private update(body: string, res: ServerResponse, headers: Record<string, string>): void {
    const { records } = JSON.parse(body) as { allOrNone: boolean; records: Record<string, unknown>[] };
    if (records.length > 200)
      return this.send(
        res,
        400,
        [
          {
            errorCode: 'EXCEEDED_ID_LIMIT',
            message: 'record limit reached. cannot submit more than 200 records into this call',
          },
        ],
        headers,
      );
    const results = records.map((record) => {
      const id = String(record.id);
      const attempt = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempt);
      const error = this.validate?.(record, attempt);
      if (error !== undefined) return { success: false, errors: [error] };
      const type = (record.attributes as { type: string }).type;
      const row = (this.tables[type] ?? []).find((r) => r.Id === id);
      if (row === undefined)
        return {
          success: false,
          errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
        };
      for (const [k, v] of Object.entries(record)) if (k !== 'id' && k !== 'attributes') row[k] = v;
      return { id, success: true, errors: [] };
    });
    this.send(res, 200, results, headers);
  }
}

/** An 18-character id: `prefix` (3 characters) + a zero-padded number + 'AAA'. */
export function sfId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(12, '0')}AAA`;
}

/** `2024-01-05T10:00:00.000+0000`, the REST dateTime format (NOTES §4), `minutes` after a base time. */
export function sfDateTime(minutes: number): string {
  return new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString().replace('Z', '+0000');
}
