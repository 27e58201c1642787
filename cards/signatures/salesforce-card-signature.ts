/**
 * How the Salesforce card's Apex callouts are signed (README "Salesforce card"). An Apex callout through a
 * Named Credential cannot make HubSpot's v3 signature, and Apex cannot read an External Credential's secret;
 * but a header value set in Apex may be a named-credential formula, evaluated by Salesforce at callout time
 * with the secret: `{!BASE64ENCODE(HMAC('SHA256', BLOB('<string to sign>'), BLOB($Credential.CrmClv.secret)))}`
 * (Named Credential Formula Functions: BASE64ENCODE, BLOB, HMAC with SHA-256 only). So the secret never
 * leaves Salesforce's credential store and never travels; each request carries
 *
 *   X-CrmClv-Timestamp: ms since the epoch
 *   X-CrmClv-Signature: base64(HMAC-SHA256(key = org key, "v1|" + METHOD + "|" + path?query + "|" + timestamp
 *                       + "|" + hex(SHA-256(body))))
 *
 * The org key is per org and derived, never stored: hex(HMAC-SHA256(SALESFORCE_CARD_SECRET, "salesforce-card:"
 * + orgId)). The org id is the signed URL's `orgId`, so an org's key signs only its own org's requests: an
 * admin of one org who reads the key cannot reach another org's contacts. The string to sign uses `|` and no
 * quotes or braces because Apex puts it inside a formula literal; the ids in the path are letters and digits.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CrmClvError } from '../../domain/errors';
import { equalInConstantTime } from './constant-time';
import { MAX_TIMESTAMP_SKEW_MS } from './signature-v3';

export const SALESFORCE_SIGNATURE_HEADER = 'x-crmclv-signature';
export const SALESFORCE_TIMESTAMP_HEADER = 'x-crmclv-timestamp';

/** An 18-character Salesforce org id (UserInfo.getOrganizationId()); the tenant is crmTenantId('salesforce', it). */
export const SALESFORCE_ORG_ID = /^00D[A-Za-z0-9]{15}$/;

export type SalesforceSignatureRejection =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_MISMATCH'
  | 'SIGNATURE_TIMESTAMP_MISSING'
  | 'SIGNATURE_TIMESTAMP_INVALID'
  | 'SIGNATURE_TIMESTAMP_EXPIRED'
  | 'SIGNATURE_TIMESTAMP_IN_FUTURE';

export class SalesforceSignatureError extends CrmClvError<SalesforceSignatureRejection> {
  constructor(code: SalesforceSignatureRejection, message: string) {
    super(code, message);
  }
}

/**
 * The key one org's External Credential holds (its `secret` parameter), derived from the deployment's secret.
 * Example, in a shell: printf 'salesforce-card:%s' "$ORG_ID" | openssl dgst -sha256 -hmac "$SALESFORCE_CARD_SECRET".
 */
export function salesforceOrgKey(secret: string, orgId: string): string {
  return createHmac('sha256', secret).update(`salesforce-card:${orgId}`, 'utf8').digest('hex');
}

export type SalesforceSignedRequest = {
  method: string;
  /** Path and query as sent, e.g. `/api/v1/cards/salesforce/contact?orgId=…&contactId=…`. */
  path: string;
  body: Buffer | string;
  timestamp: string;
};

/** What the Apex controller signs (ClvCardController.stringToSign builds the same text). */
export function salesforceStringToSign(request: SalesforceSignedRequest): string {
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  return ['v1', request.method.toUpperCase(), request.path, request.timestamp, bodyHash].join('|');
}

/** The signature header's value for a request of this org (tests; Salesforce computes it with the formula). */
export function salesforceSignature(orgKey: string, request: SalesforceSignedRequest): string {
  // BLOB($Credential.CrmClv.secret) is the key text's UTF-8 bytes: the hex text, not the bytes it spells.
  return createHmac('sha256', Buffer.from(orgKey, 'utf8'))
    .update(salesforceStringToSign(request), 'utf8')
    .digest('base64');
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The org id of a URL's query, or a 400's message. */
export function orgIdOfQuery(path: string): { orgId: string } | { problem: string } {
  const values = new URL(path, 'https://signed.invalid').searchParams.getAll('orgId');
  if (values.length === 0) return { problem: 'orgId: is required in the query but was not provided' };
  if (values.length > 1 || !SALESFORCE_ORG_ID.test(values[0]))
    return { problem: 'orgId: must be one 18-character Salesforce org id (00D…)' };
  return { orgId: values[0] };
}

/**
 * Returns when the request is signed with `orgKey` within ±5 minutes of `now`; throws
 * SalesforceSignatureError otherwise. The time is checked first: a stale request costs no HMAC.
 */
export function verifySalesforceSignature(
  orgKey: string,
  request: { method: string; path: string; body: Buffer; headers: IncomingHttpHeaders },
  now: number,
): void {
  const signature = header(request.headers, SALESFORCE_SIGNATURE_HEADER);
  const timestamp = header(request.headers, SALESFORCE_TIMESTAMP_HEADER);
  if (signature === undefined || signature === '')
    throw new SalesforceSignatureError('SIGNATURE_MISSING', 'the request has no X-CrmClv-Signature header');
  if (timestamp === undefined || timestamp === '')
    throw new SalesforceSignatureError(
      'SIGNATURE_TIMESTAMP_MISSING',
      'the signature needs the X-CrmClv-Timestamp header',
    );
  if (!/^\d{1,15}$/.test(timestamp))
    throw new SalesforceSignatureError(
      'SIGNATURE_TIMESTAMP_INVALID',
      'X-CrmClv-Timestamp must be milliseconds since the epoch',
    );
  const age = now - Number(timestamp);
  if (age > MAX_TIMESTAMP_SKEW_MS)
    throw new SalesforceSignatureError(
      'SIGNATURE_TIMESTAMP_EXPIRED',
      'the request was signed more than 5 minutes ago; the Apex controller signs each call afresh',
    );
  if (-age > MAX_TIMESTAMP_SKEW_MS)
    throw new SalesforceSignatureError(
      'SIGNATURE_TIMESTAMP_IN_FUTURE',
      "the request's timestamp is more than 5 minutes ahead of this server's clock",
    );
  const expected = salesforceSignature(orgKey, { ...request, timestamp });
  if (!equalInConstantTime(expected, signature))
    throw new SalesforceSignatureError(
      'SIGNATURE_MISMATCH',
      "the signature does not match the method, URL, body, timestamp and this org's key (set the External Credential's secret to the org key)",
    );
}
