/**
 * Matching request shapes (request-shape.ts) against references, and responses against documented examples.
 *
 * A request matches a capture of the same endpoint (method and path template) when every aspect is equal,
 * with two allowances, each with its source:
 * - query parameters the capture did not use but the Postman collection documents for that endpoint (e.g.
 *   Bulk 2.0 results' `maxRecords`): the request keeps the capture's names and may add documented ones;
 * - Sforce-Call-Options: jsforce adds it to any REST request it is given for (NOTES §1.1, captured on a query),
 *   so its presence is not the endpoint's; its form must be a captured one (`client={client}`).
 * Where no capture has the endpoint, the Postman collection's request for it is the reference: a template, so
 * the request may use fewer query parameters and body keys than it lists, with the same auth, media type and
 * (for the OAuth form) grant type.
 */
import { requestLines, shapeText, type RequestShape, type ResponseShape, type Shape } from './request-shape';

export type CaptureRef = { source: string; shape: RequestShape };

export type PostmanRef = {
  source: string;
  method: string;
  path: string;
  /** Documented parameter names, enabled or not. */
  query: string[];
  /** `none` for noauth, else the collection's Bearer. */
  authorization: string;
  /** Media type of an enabled Content-Type header, if any. */
  contentType?: string;
  accept?: string;
  /** Top-level keys of a JSON template, or the fields of a form template. */
  bodyKeys?: string[];
  grantType?: string;
  /** A JSON template that is one sObject record, as a shape. */
  recordBody?: Shape;
};

export type Verdict =
  | {
      ok: true;
      source: string;
      via: 'capture' | 'postman';
      documentedQuery?: { names: string[]; source: string };
    }
  | { ok: false; problem: string };

const endpointOf = (s: { method: string; path: string }) => `${s.method} ${s.path}`;
const mediaType = (contentType: string) => contentType.split(';')[0];

function diffLines(request: RequestShape, reference: RequestShape, source: string): string[] {
  const sent = requestLines(request);
  const want = requestLines(reference);
  return Object.keys(sent)
    .filter((k) => sent[k] !== want[k])
    .map((k) => `  ${k}: sent ${sent[k]}\n  ${' '.repeat(k.length)}  ${source} has ${want[k]}`);
}

export function matchRequest(
  request: RequestShape,
  captures: readonly CaptureRef[],
  postman: readonly PostmanRef[],
): Verdict {
  const callForms = new Set(captures.map((c) => c.shape.headers.callOptions));
  const endpoint = endpointOf(request);
  const documented = postman.filter((p) => endpointOf(p) === endpoint);
  const callOk = callForms.has(request.headers.callOptions);
  const callProblem = `  sforce-call-options: sent ${request.headers.callOptions}; captured forms: ${[...callForms].join(', ')}`;

  const same = captures.filter((c) => endpointOf(c.shape) === endpoint);
  if (same.length > 0) {
    let found: Extract<Verdict, { ok: true }> | undefined;
    let closest: { lines: string[]; likeness: number } | undefined;
    for (const c of same) {
      const lines = diffLines(
        { ...request, headers: { ...request.headers, callOptions: c.shape.headers.callOptions } },
        c.shape,
        c.source,
      ).filter((l) => !l.startsWith('  query:'));
      const extra = request.query.filter((q) => !c.shape.query.includes(q));
      const missing = c.shape.query.filter((q) => !request.query.includes(q));
      const doc = documented.find((p) => extra.every((q) => p.query.includes(q)));
      if (missing.length > 0 || (extra.length > 0 && doc === undefined))
        lines.push(
          `  query: sent ${request.query.join('&') || 'none'}\n         ${c.source} has ${c.shape.query.join('&') || 'none'}` +
            (extra.length > 0 ? `; ${extra.join(', ')} not documented in Postman for ${endpoint}` : ''),
        );
      if (!callOk) lines.push(callProblem);
      if (lines.length === 0) {
        // The capture that needs the fewest documented extras is the closest reference.
        if (found === undefined || extra.length < (found.documentedQuery?.names.length ?? 0))
          found = {
            ok: true,
            source: c.source,
            via: 'capture',
            ...(extra.length > 0 && doc ? { documentedQuery: { names: extra, source: doc.source } } : {}),
          };
        continue;
      }
      const likeness = bodyLikeness(request.body, c.shape.body);
      if (
        closest === undefined ||
        lines.length < closest.lines.length ||
        (lines.length === closest.lines.length && likeness > closest.likeness)
      )
        closest = { lines, likeness };
    }
    if (found) return found;
    return {
      ok: false,
      problem: `${endpoint}: no capture of this endpoint has its shape; closest:\n${closest!.lines.join('\n')}`,
    };
  }

  if (documented.length === 0)
    return {
      ok: false,
      problem: `${endpoint}: neither the captures nor the Postman collection have this call`,
    };
  let best: string[] | undefined;
  for (const p of documented) {
    const problems = postmanProblems(request, p);
    if (!callOk) problems.push(callProblem);
    if (problems.length === 0) return { ok: true, source: p.source, via: 'postman' };
    if (best === undefined || problems.length < best.length) best = problems;
  }
  return {
    ok: false,
    problem: `${endpoint}: not captured; the Postman request differs:\n${best!.join('\n')}`,
  };
}

/** Names two body shapes share, to pick the closest capture for a diff. */
function bodyLikeness(a: Shape, b: Shape): number {
  const words = (s: Shape) =>
    new Set(
      shapeText(s)
        .split(/[^\w:=<>-]+/)
        .filter(Boolean),
    );
  const left = words(a);
  return [...words(b)].filter((w) => left.has(w)).length;
}

function postmanProblems(request: RequestShape, p: PostmanRef): string[] {
  const problems: string[] = [];
  const extra = request.query.filter((q) => !p.query.includes(q));
  if (extra.length > 0)
    problems.push(`  query: ${extra.join(', ')} not in ${p.source} (${p.query.join(', ')})`);
  if (request.headers.authorization !== p.authorization)
    problems.push(
      `  authorization: sent ${request.headers.authorization}, ${p.source} uses ${p.authorization}`,
    );
  const hasBody = request.body.kind !== 'none';
  if (hasBody && p.contentType !== undefined && mediaType(request.headers.contentType) !== p.contentType)
    problems.push(`  content-type: sent ${request.headers.contentType}, ${p.source} has ${p.contentType}`);
  if (p.accept !== undefined && request.headers.accept !== p.accept)
    problems.push(`  accept: sent ${request.headers.accept}, ${p.source} has ${p.accept}`);
  const body = request.body;
  if (p.recordBody !== undefined) {
    if (shapeText(body) !== shapeText(p.recordBody))
      problems.push(`  body: sent ${shapeText(body)}, ${p.source} has ${shapeText(p.recordBody)}`);
  } else if (body.kind === 'object' && p.bodyKeys !== undefined) {
    const unknown = Object.keys(body.keys).filter((k) => !p.bodyKeys!.includes(k));
    if (unknown.length > 0) problems.push(`  body: keys ${unknown.join(', ')} not in ${p.source}`);
  } else if (body.kind === 'form') {
    const unknown = Object.keys(body.fields).filter((k) => !(p.bodyKeys ?? []).includes(k));
    if (unknown.length > 0) problems.push(`  body: form fields ${unknown.join(', ')} not in ${p.source}`);
    if (p.grantType !== undefined && body.fields.grant_type !== p.grantType)
      problems.push(`  body: grant_type ${body.fields.grant_type}, ${p.source} has ${p.grantType}`);
  } else if (hasBody && p.bodyKeys !== undefined)
    problems.push(`  body: sent ${shapeText(body)}, ${p.source} has a JSON body`);
  return problems;
}

/**
 * Where `actual` lacks what `expected` documents: every key of an expected object (extra keys are fine),
 * every item of an actual array fitting one expected item, equal scalar types (`null` in an example stands for
 * "any value, possibly null"), equal CSV columns, expected XML children found among the actual ones.
 */
export function uncovered(expected: Shape, actual: Shape, at = '$'): string[] {
  const mismatch = [`${at}: expected ${shapeText(expected)}, got ${shapeText(actual)}`];
  switch (expected.kind) {
    case 'none':
    case 'text':
      return actual.kind === expected.kind ? [] : mismatch;
    case 'scalar':
      if (expected.type === 'null') return [];
      return actual.kind === 'scalar' && actual.type === expected.type ? [] : mismatch;
    case 'union': {
      const options = actual.kind === 'union' ? actual.options : [actual];
      return options.every((o) => expected.options.some((e) => uncovered(e, o).length === 0)) ? [] : mismatch;
    }
    case 'object': {
      if (actual.kind !== 'object') return mismatch;
      return Object.entries(expected.keys).flatMap(([k, v]) =>
        k in actual.keys ? uncovered(v, actual.keys[k], `${at}.${k}`) : [`${at}.${k}: missing`],
      );
    }
    case 'array': {
      if (actual.kind !== 'array') return mismatch;
      if (expected.items.length === 0) return [];
      return actual.items.flatMap((item, i) => {
        const fits = expected.items.map((e) => uncovered(e, item, `${at}[${i}]`));
        return fits.some((p) => p.length === 0) ? [] : fits.reduce((a, b) => (b.length < a.length ? b : a));
      });
    }
    case 'form':
      return actual.kind === 'form' && Object.keys(expected.fields).every((k) => k in actual.fields)
        ? []
        : mismatch;
    case 'csv':
      return actual.kind === 'csv' && !actual.ragged && shapeText(actual) === shapeText(expected)
        ? []
        : mismatch;
    case 'xml': {
      if (actual.kind !== 'xml' || actual.name !== expected.name) return mismatch;
      const problems = expected.attributes
        .filter((a) => !actual.attributes.includes(a))
        .map((a) => `${at}.${expected.name}: attribute ${a} missing`);
      for (const child of expected.children) {
        const path = `${at}.${expected.name}`;
        const fits = actual.children.filter(
          (c) => c.kind === 'xml' && c.name === (child as { name: string }).name,
        );
        if (fits.length === 0) problems.push(`${path}.${(child as { name: string }).name}: missing`);
        else if (!fits.some((c) => uncovered(child, c, path).length === 0))
          problems.push(...uncovered(child, fits[0], path));
      }
      return problems;
    }
  }
}

export type ResponseExample = {
  /** `METHOD path-template`. */
  endpoint: string;
  status: number;
  contentType: string;
  /** Response headers the NOTES say come with it. */
  headers: string[];
  body: Shape;
  note: string;
};

/** Problems of an answer against the examples documented for its endpoint and status; undefined when none is. */
export function responseProblems(
  endpoint: string,
  response: ResponseShape,
  examples: readonly ResponseExample[],
): string[] | undefined {
  const same = examples.filter((e) => e.endpoint === endpoint);
  if (same.length === 0) return undefined;
  const candidates = same.filter((e) => e.status === response.status);
  if (candidates.length === 0)
    return [`status ${response.status}; documented: ${[...new Set(same.map((e) => e.status))].join(', ')}`];
  let best: string[] | undefined;
  for (const e of candidates) {
    const problems: string[] = [];
    if (response.contentType !== e.contentType)
      problems.push(`content-type ${response.contentType}, ${e.note} has ${e.contentType}`);
    for (const h of e.headers)
      if (!response.headers.includes(h)) problems.push(`header ${h} missing (${e.note})`);
    problems.push(...uncovered(e.body, response.body).map((p) => `${p} (${e.note})`));
    if (problems.length === 0) return [];
    if (best === undefined || problems.length < best.length) best = problems;
  }
  return best;
}
