/**
 * The shape of a Salesforce API request or answer: what has to agree with the captured jsforce 3.10.16 traffic
 * (../shared/contracts/salesforce/captures-jsforce-3.10.16.jsonl, NOTES §2) once everything that is data is
 * taken out. Pure functions, no I/O.
 *
 * - Path: API versions, record, job and locator ids, org and user ids, and sObject type names become
 *   placeholders (`/services/data/v{version}/sobjects/{sobject}/describe`): the resource is the same for any.
 * - Query: the parameter names only.
 * - Headers: the Authorization scheme (`Bearer`, `OAuth`, none), Content-Type (lower case, no spaces), Accept,
 *   and Sforce-Call-Options with its values as placeholders (`client={client}`).
 * - Body by content type: JSON as keys and value types; form bodies as field names (the `grant_type` value
 *   kept: it names the OAuth flow); CSV as its header row; XML as element and attribute names.
 *   What is an org's own schema is a placeholder too: the fields of an sObject record (`<field>`, value `value`
 *   whatever its type) in JSON and CSV, and the content of a Metadata component (an element with an
 *   `xsi:type`, whose child elements are that type's fields: CustomField, PermissionSet…).
 */

export type RawRequest = { method: string; url: string; headers: Record<string, string>; body: string };
export type RawResponse = { status: number; headers: Record<string, string>; body: string };

export type Shape =
  | { kind: 'none' }
  | { kind: 'text' }
  | { kind: 'scalar'; type: 'string' | 'number' | 'boolean' | 'null' | 'value' }
  | { kind: 'object'; keys: Record<string, Shape> }
  | { kind: 'union'; options: Shape[] }
  | { kind: 'array'; items: Shape[] }
  | { kind: 'form'; fields: Record<string, string> }
  | { kind: 'csv'; columns: string[]; ragged: boolean }
  | { kind: 'xml'; name: string; attributes: string[]; children: Shape[]; component: boolean };

export type HeaderShape = { authorization: string; contentType: string; accept: string; callOptions: string };

export type RequestShape = {
  method: string;
  path: string;
  query: string[];
  headers: HeaderShape;
  body: Shape;
};

export type ResponseShape = { status: number; contentType: string; headers: string[]; body: Shape };

export const FIELD = '<field>';
const NONE = 'none';

/** `/services/data/v62.0/jobs/ingest/750R0…/batches` → `/services/data/v{version}/jobs/ingest/{jobId}/batches`. */
export function pathTemplate(path: string): string {
  const parts = path.replace(/\/+$/, '').split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const prev = out[out.length - 1];
    const prev2 = out[out.length - 2];
    if (prev === 'data' && prev2 === 'services' && part.startsWith('v')) out.push('v{version}');
    else if ((prev === 'm' || prev === 'u') && prev2 === 'Soap') out.push('{version}');
    else if (prev === 'cometd') out.push('{version}');
    else if (prev === 'sobjects' && part !== '') out.push('{sobject}');
    else if (prev === '{sobject}' && prev2 === 'sobjects' && out[out.length - 3] !== 'composite')
      out.push(['describe', 'updated', 'deleted'].includes(part) ? part : '{id}');
    else if ((prev === 'query' || prev === 'queryAll') && out.includes('data') && !out.includes('jobs'))
      out.push('{locator}');
    else if ((prev === 'ingest' || prev === 'query') && prev2 === 'jobs') out.push('{jobId}');
    else if (prev === 'id' && out.length === 2) out.push('{orgId}');
    else if (prev === '{orgId}') out.push('{userId}');
    else out.push(part);
  }
  return out.join('/') || '/';
}

export function queryNames(url: string): string[] {
  return [...new Set(new URL(url, 'http://x').searchParams.keys())].sort();
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
}

export function headerShape(headers: Record<string, string>): HeaderShape {
  const auth = headerValue(headers, 'authorization');
  const type = headerValue(headers, 'content-type');
  const accept = headerValue(headers, 'accept');
  const call = headerValue(headers, 'sforce-call-options');
  return {
    authorization: auth === undefined ? NONE : (auth.trim().split(/\s+/)[0] ?? NONE),
    contentType: type === undefined ? NONE : type.toLowerCase().replace(/\s+/g, ''),
    accept: accept === undefined ? NONE : accept.toLowerCase().replace(/\s+/g, ''),
    callOptions:
      call === undefined
        ? NONE
        : call
            .split(',')
            .map((pair) => pair.trim().split('=')[0])
            .map((name) => `${name}={${name}}`)
            .join(','),
  };
}

const scalar = (type: 'string' | 'number' | 'boolean' | 'null' | 'value'): Shape => ({
  kind: 'scalar',
  type,
});

/** Distinct shapes in a stable order (by their text). */
function distinct(shapes: Shape[]): Shape[] {
  const byText = new Map<string, Shape>();
  for (const s of shapes) byText.set(shapeText(s), s);
  return [...byText.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
}

function oneOf(shapes: Shape[]): Shape {
  const options = distinct(shapes.flatMap((s) => (s.kind === 'union' ? s.options : [s])));
  return options.length === 1 ? options[0] : { kind: 'union', options };
}

/**
 * JSON value → shape. An object with `attributes` is an sObject record, as is a body the caller marks
 * `record` (single-record create and update): its keys other than `attributes` and the collections' `id`
 * are fields.
 */
export function jsonShape(value: unknown, record = false): Shape {
  if (value === null) return scalar('null');
  if (Array.isArray(value)) return { kind: 'array', items: distinct(value.map((v) => jsonShape(v))) };
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const isRecord = record || entries.some(([k]) => k === 'attributes');
    const keys: Record<string, Shape> = {};
    const fields: Shape[] = [];
    for (const [k, v] of entries) {
      if (isRecord && k !== 'attributes' && k !== 'id')
        fields.push(v === null || typeof v !== 'object' ? scalar('value') : jsonShape(v));
      else keys[k] = jsonShape(v);
    }
    if (fields.length > 0) keys[FIELD] = oneOf(fields);
    return { kind: 'object', keys };
  }
  if (typeof value === 'string') return scalar('string');
  if (typeof value === 'number') return scalar('number');
  if (typeof value === 'boolean') return scalar('boolean');
  return { kind: 'text' };
}

export function formShape(body: string): Shape {
  const fields: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) fields[k] = k === 'grant_type' ? v : 'string';
  return { kind: 'form', fields };
}

/** RFC 4180 rows (quoted cells may hold commas, quotes doubled, line breaks). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Id and Bulk API result columns (sf__Id, sf__Created, sf__Error) stay; other columns are fields. */
export function csvShape(text: string): Shape {
  const [header, ...rows] = csvRows(text);
  if (header === undefined) return { kind: 'none' };
  const columns: string[] = [];
  for (const name of header) {
    const column = name === 'Id' || name.startsWith('sf__') ? name : FIELD;
    if (columns[columns.length - 1] !== column) columns.push(column);
  }
  return { kind: 'csv', columns, ragged: rows.some((r) => r.length !== header.length) };
}

type XmlNode = { name: string; attributes: string[]; children: XmlNode[] };

/** Element and attribute names of an XML document (no values); namespace prefixes on elements dropped. */
export function xmlTree(text: string): XmlNode | undefined {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  const tag =
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (const m of text.matchAll(tag)) {
    if (m[2] === undefined) continue;
    const local = m[2].slice(m[2].indexOf(':') + 1);
    if (m[1] === '/') {
      stack.pop();
      continue;
    }
    const attributes = [...m[3].matchAll(/([\w:.-]+)\s*=/g)]
      .map((a) => a[1])
      .filter((a) => a !== 'xmlns' && !a.startsWith('xmlns:'))
      .sort();
    const node: XmlNode = { name: local, attributes, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(node);
    else root ??= node;
    if (m[4] !== '/') stack.push(node);
  }
  return root;
}

function xmlNodeShape(node: XmlNode): Shape {
  const component = node.attributes.includes('xsi:type');
  const children: Shape[] = [];
  if (!component)
    for (const child of node.children.map(xmlNodeShape)) {
      const last = children[children.length - 1];
      if (last === undefined || shapeText(last) !== shapeText(child)) children.push(child);
    }
  return { kind: 'xml', name: node.name, attributes: node.attributes, children, component };
}

export function xmlShape(text: string): Shape {
  const root = xmlTree(text);
  return root === undefined ? { kind: 'text' } : xmlNodeShape(root);
}

/** The body's shape by its content type; `record` marks a body that is one sObject record. */
export function bodyShape(contentType: string, body: string, record = false): Shape {
  if (body.trim() === '') return { kind: 'none' };
  const type = contentType.toLowerCase();
  if (/^application\/json/.test(type)) {
    try {
      return jsonShape(JSON.parse(body), record);
    } catch {
      return { kind: 'text' };
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return formShape(body);
  if (type.startsWith('text/csv')) return csvShape(body);
  if (/^(text|application)\/xml/.test(type)) return xmlShape(body);
  return { kind: 'text' };
}

/** Single-record create and update bodies are one record without `attributes` (NOTES §2.3). */
export function isRecordBody(method: string, path: string): boolean {
  return (
    (method === 'POST' && /\/sobjects\/\{sobject\}$/.test(path) && !path.includes('/composite/')) ||
    (method === 'PATCH' && /\/sobjects\/\{sobject\}\/\{id\}$/.test(path))
  );
}

export function requestShape(raw: RawRequest): RequestShape {
  const method = raw.method.toUpperCase();
  const path = pathTemplate(new URL(raw.url, 'http://x').pathname);
  const headers = headerShape(raw.headers);
  return {
    method,
    path,
    query: queryNames(raw.url),
    headers,
    body: bodyShape(headers.contentType, raw.body, isRecordBody(method, path)),
  };
}

/** Response headers the NOTES name (lower case), present or not. */
const NOTED_RESPONSE_HEADERS = ['sforce-limit-info', 'sforce-locator', 'sforce-numberofrecords'];

export function responseShape(raw: RawResponse): ResponseShape {
  const type = headerValue(raw.headers, 'content-type') ?? '';
  return {
    status: raw.status,
    contentType: type.toLowerCase().split(';')[0].trim() || NONE,
    headers: NOTED_RESPONSE_HEADERS.filter((h) => headerValue(raw.headers, h) !== undefined),
    body: bodyShape(type, raw.body),
  };
}

export function shapeText(shape: Shape): string {
  switch (shape.kind) {
    case 'none':
      return '∅';
    case 'text':
      return 'text';
    case 'scalar':
      return shape.type;
    case 'object':
      return `{${Object.keys(shape.keys)
        .sort()
        .map((k) => `${k}:${shapeText(shape.keys[k])}`)
        .join(',')}}`;
    case 'union':
      return shape.options.map(shapeText).join('|');
    case 'array':
      return `[${shape.items.map(shapeText).join('|')}]`;
    case 'form':
      return `form{${Object.keys(shape.fields)
        .sort()
        .map((k) => (shape.fields[k] === 'string' ? k : `${k}=${shape.fields[k]}`))
        .join(',')}}`;
    case 'csv':
      return `csv(${shape.columns.join(',')})${shape.ragged ? ' ragged' : ''}`;
    case 'xml': {
      const attributes = shape.attributes.map((a) => `@${a}`).join('');
      if (shape.component) return `${shape.name}${attributes}{…}`;
      return `${shape.name}${attributes}${shape.children.length > 0 ? `(${shape.children.map(shapeText).join(',')})` : ''}`;
    }
  }
}

/** One line per aspect, for diffs. */
export function requestLines(shape: RequestShape): Record<string, string> {
  return {
    endpoint: `${shape.method} ${shape.path}`,
    query: shape.query.join('&') || NONE,
    authorization: shape.headers.authorization,
    'content-type': shape.headers.contentType,
    accept: shape.headers.accept,
    'sforce-call-options': shape.headers.callOptions,
    body: shapeText(shape.body),
  };
}
