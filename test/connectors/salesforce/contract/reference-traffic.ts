/**
 * The reference requests: the captured jsforce 3.10.16 traffic (`captures-jsforce-3.10.16.jsonl`: step
 * markers, then one line per request with method, url, headers and body; NOTES §2) and the Salesforce Platform
 * APIs Postman collection's requests (`postman-salesforce-apis/src-2021-01`, one JSON per request), both in
 * ../shared/contracts/salesforce, as shapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../../helpers/run-cli';
import { isRecordBody, jsonShape, pathTemplate, requestShape, type RawRequest } from './request-shape';
import type { CaptureRef, PostmanRef } from './shape-match';

export const SALESFORCE_CONTRACTS = resolve(REPO_ROOT, '../shared/contracts/salesforce');
export const CAPTURES_FILE = join(SALESFORCE_CONTRACTS, 'captures-jsforce-3.10.16.jsonl');
export const POSTMAN_DIR = join(
  SALESFORCE_CONTRACTS,
  'postman-salesforce-apis/src-2021-01/src/collections/salesforce_apis',
);

export type Capture = RawRequest & { n: number; step: string };

export function readCaptures(text = readFileSync(CAPTURES_FILE, 'utf8')): Capture[] {
  const out: Capture[] = [];
  let step = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as Partial<Capture> & { note?: string };
    if (typeof entry.step === 'string' && entry.method === undefined) step = entry.step;
    else if (typeof entry.method === 'string')
      out.push({
        n: entry.n!,
        step,
        method: entry.method,
        url: entry.url!,
        headers: entry.headers ?? {},
        body: entry.body ?? '',
      });
  }
  return out;
}

export const captureRefs = (captures: readonly Capture[]): CaptureRef[] =>
  captures.map((c) => ({ source: `capture #${c.n} (${c.step})`, shape: requestShape(c) }));

type PostmanFile = {
  method: string;
  url: string;
  headerData?: { key: string; value: string; enabled?: boolean }[] | null;
  queryParams?: { key: string }[] | null;
  auth?: { type: string } | null;
  dataMode?: string | null;
  rawModeData?: string | null;
  data?: { key: string; value: string }[] | null;
};

function header(file: PostmanFile, name: string): string | undefined {
  const h = (file.headerData ?? []).find((x) => x.key.toLowerCase() === name && x.enabled !== false);
  return h?.value.toLowerCase().split(';')[0].trim();
}

export function postmanRef(source: string, file: PostmanFile): PostmanRef {
  const at = file.url.search(/\/services\/|\/id\//);
  const url = new URL(at >= 0 ? file.url.slice(at) : '/', 'http://x');
  const path = pathTemplate(url.pathname);
  const method = file.method.toUpperCase();
  const query = [...new Set([...url.searchParams.keys(), ...(file.queryParams ?? []).map((q) => q.key)])];
  const ref: PostmanRef = {
    source,
    method,
    path,
    query,
    authorization: file.auth?.type === 'noauth' ? 'none' : 'Bearer',
    ...(header(file, 'content-type') ? { contentType: header(file, 'content-type') } : {}),
    ...(header(file, 'accept') ? { accept: header(file, 'accept') } : {}),
  };
  if (file.dataMode === 'urlencoded' && file.data) {
    ref.bodyKeys = file.data.map((d) => d.key);
    const grant = file.data.find((d) => d.key === 'grant_type');
    if (grant) ref.grantType = grant.value;
  } else if (file.dataMode === 'raw' && file.rawModeData) {
    try {
      const template = JSON.parse(file.rawModeData) as Record<string, unknown>;
      if (isRecordBody(method, path)) ref.recordBody = jsonShape(template, true);
      else ref.bodyKeys = Object.keys(template);
    } catch {
      // a non-JSON template (SOAP XML): nothing to compare keys with
    }
  }
  return ref;
}

export function readPostman(dir = POSTMAN_DIR): PostmanRef[] {
  const out: PostmanRef[] = [];
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const name of readdirSync(join(dir, folder.name))) {
      if (!name.endsWith('.json') || name === 'index.json') continue;
      const file = JSON.parse(readFileSync(join(dir, folder.name, name), 'utf8')) as PostmanFile;
      if (typeof file.method === 'string' && typeof file.url === 'string')
        out.push(postmanRef(`postman ${folder.name}/${name}`, file));
    }
  }
  return out;
}
