/**
 * Marketing Campaigns API v3, the part the connector reads. @hubspot/api-client 14.0.1 has no wrapper for it
 * (the client calls it through `apiRequest`). Sources: HubSpot's OpenAPI document "Marketing Campaigns Public
 * Api" v3 (as published in ballerina-platform/module-ballerinax-hubspot.marketing.campaigns
 * docs/spec/openapi.json, taken from https://developers.hubspot.com/docs/reference/api/marketing/campaigns) and
 * the campaigns guide (https://developers.hubspot.com/docs/api/marketing/campaigns):
 * - Product: Marketing Hub Professional or higher (`x-hubspot-product-tier-requirements`). Scopes: every
 *   endpoint here needs `marketing.campaigns.read`; `/reports/revenue` needs `marketing.campaigns.revenue.read`
 *   instead (not served: the connector computes revenue from the members' own won deals).
 * - `GET /marketing/v3/campaigns?sort&after&limit&name&properties` → 200 `{total, results: [PublicCampaign],
 *   paging?: {next: {after, link?}}}`; `limit` 1–100, default 50; `sort` one of hs_name, createdAt, updatedAt
 *   with an optional leading `-` for descending, default hs_name; `name` keeps campaigns whose name contains it;
 *   `after` is an opaque cursor (the spec's example is base64, "NTI1Cg%3D%3D").
 * - PublicCampaign: `{id (the campaignGuid, a UUID), properties: {name: string}, createdAt, updatedAt}`; only
 *   the properties asked for with `properties` are returned, and "if any of the specified properties has empty
 *   value … they will be ignored and not returned". Property names from the guide: hs_name, hs_start_date and
 *   hs_end_date (YYYY-MM-DD), hs_campaign_status, hs_currency_code, hs_budget_items_sum_amount,
 *   hs_spend_items_sum_amount (the sums of the campaign's budget and spend items), hs_notes, hs_audience,
 *   hs_owner, hs_utm, hs_color_hex, hs_object_id. hs_campaign_status values here: in_progress, completed [U].
 *   No modified-since filter exists: a client re-reads the list.
 * - `GET /marketing/v3/campaigns/{campaignGuid}?properties&startDate&endDate` → PublicCampaignWithAssets (the
 *   campaign plus `assets: {assetType: {results, paging}}`; empty here).
 * - `GET /marketing/v3/campaigns/{campaignGuid}/reports/contacts/{contactType}?startDate&endDate&limit&after`
 *   → 200 `{results: [{id}], paging?}`; contactType one of contactFirstTouch, contactLastTouch,
 *   influencedContacts; limit default 100, its maximum undocumented [U] (100 here); startDate/endDate are
 *   YYYY-MM-DD (defaults 2006-01-01 and today) and filter by interaction date: the sandbox keeps no
 *   interaction dates, so it checks their format and lists every attributed contact.
 * Errors are the standard body (NOTES §4.7): an unknown campaignGuid 404 OBJECT_NOT_FOUND, a bad parameter
 * 400 VALIDATION_ERROR (messages [U]), a token without the scope 403 MISSING_SCOPES. What a portal without
 * Marketing Hub Professional answers is not documented [U]: the sandbox's `no-product` setting answers 404
 * OBJECT_NOT_FOUND, and the connector treats 403 and 404 on the list alike (no campaigns to read).
 * Rate limits are the general ones (NOTES §4.6), applied before any route.
 */

import { Router, type Request } from 'express';
import { missingScopesError, notFoundError, validationError } from './hubspot-error';
import type { SandboxContext } from './sandbox-context';
import type { SandboxStore } from './sandbox-store';
import { CONTACT_TYPES, seedCampaigns, type ContactType, type SandboxCampaign } from './seed-campaigns';

export const CAMPAIGNS_READ_SCOPE = 'marketing.campaigns.read';
const LIST_DEFAULT = 50;
const LIST_MAX = 100;
const REPORT_DEFAULT = 100;
const REPORT_MAX = 100;
const SORTS = ['hs_name', 'createdAt', 'updatedAt'] as const;

/** What the portal grants: the campaigns, a token without the read scope, or no Marketing Hub at all. */
export type CampaignAccess = 'granted' | 'missing-scope' | 'no-product';

type CampaignTable = { campaigns: SandboxCampaign[]; access: CampaignAccess };

const tables = new WeakMap<SandboxStore, CampaignTable>();

/** Seeds the portal's campaigns (createHubSpotSandbox calls it once, after the objects are seeded). */
export function installCampaigns(
  store: SandboxStore,
  observationEndMs: number,
  access: CampaignAccess,
): void {
  tables.set(store, { campaigns: seedCampaigns(store, { observationEndMs }), access });
}

/** The portal's campaigns (tests read them for the expected figures). */
export function sandboxCampaigns(store: SandboxStore): readonly SandboxCampaign[] {
  return tables.get(store)?.campaigns ?? [];
}

/** Changes what the portal grants, live (tests flip it between syncs). */
export function setCampaignAccess(store: SandboxStore, access: CampaignAccess): void {
  const table = tables.get(store);
  if (table !== undefined) table.access = access;
}

const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64');

function decodeCursor(raw: unknown): number {
  if (raw === undefined) return 0;
  const offset = Number(Buffer.from(String(raw), 'base64').toString('utf8'));
  // Only cursors this API handed out: one that does not encode back to itself was made up or mangled.
  if (typeof raw !== 'string' || !Number.isInteger(offset) || offset < 0 || encodeCursor(offset) !== raw)
    throw validationError(`after: ${JSON.stringify(raw)} is not a paging cursor this API returned`);
  return offset;
}

function integerParam(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || value < min || value > max)
    throw validationError(`${name}: ${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
  return value;
}

function dateParam(raw: unknown, name: string): void {
  if (raw === undefined) return;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || !Number.isFinite(Date.parse(raw)))
    throw validationError(`${name}: ${JSON.stringify(raw)} must be a date formatted as YYYY-MM-DD`);
}

/** `properties=a,b` and `properties=a&properties=b` (the spec's exploded array) both name properties. */
function propertyNames(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function wire(campaign: SandboxCampaign, names: readonly string[]) {
  const properties: Record<string, string> = {};
  for (const name of names) {
    const value = campaign.properties[name];
    if (value !== undefined && value !== '') properties[name] = value;
  }
  return { id: campaign.id, properties, createdAt: campaign.createdAt, updatedAt: campaign.updatedAt };
}

function sorted(campaigns: readonly SandboxCampaign[], raw: unknown): SandboxCampaign[] {
  const spec = raw === undefined ? 'hs_name' : String(raw);
  const descending = spec.startsWith('-');
  const key = descending ? spec.slice(1) : spec;
  if (!(SORTS as readonly string[]).includes(key))
    throw validationError(
      `sort: ${JSON.stringify(spec)} must be one of ${SORTS.join(', ')}, optionally with '-'`,
    );
  const value = (c: SandboxCampaign) =>
    key === 'hs_name' ? (c.properties.hs_name ?? '') : key === 'createdAt' ? c.createdAt : c.updatedAt;
  // Ties keep creation order, so paging through a sort is stable.
  const out = campaigns.map((c, i) => ({ c, i }));
  out.sort((a, b) => {
    const order = value(a.c) < value(b.c) ? -1 : value(a.c) > value(b.c) ? 1 : 0;
    return (descending ? -order : order) || a.i - b.i;
  });
  return out.map((x) => x.c);
}

export function createCampaignRoutes(ctx: SandboxContext): Router {
  const router = Router();

  const table = (): CampaignTable => {
    const found = tables.get(ctx.store);
    if (found === undefined) return { campaigns: [], access: 'granted' };
    if (found.access === 'missing-scope') throw missingScopesError([CAMPAIGNS_READ_SCOPE]);
    if (found.access === 'no-product')
      throw notFoundError('Marketing campaigns are not available for this portal');
    return found;
  };
  const campaignOr404 = (guid: string): SandboxCampaign => {
    const campaign = table().campaigns.find((c) => c.id === guid);
    if (campaign === undefined) throw notFoundError(`Campaign ${guid} does not exist`);
    return campaign;
  };
  const linkOf = (req: Request, after: string) =>
    `${req.protocol}://${req.get('host')}${req.path}?after=${encodeURIComponent(after)}`;

  router.get(['/marketing/v3/campaigns', '/marketing/v3/campaigns/'], (req, res) => {
    const campaigns = table().campaigns;
    const limit = integerParam(req.query.limit, 'limit', LIST_DEFAULT, 1, LIST_MAX);
    const offset = decodeCursor(req.query.after);
    const name = req.query.name === undefined ? undefined : String(req.query.name).toLowerCase();
    const matching = sorted(
      name === undefined
        ? campaigns
        : campaigns.filter((c) => (c.properties.hs_name ?? '').toLowerCase().includes(name)),
      req.query.sort,
    );
    const names = propertyNames(req.query.properties);
    const page = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? encodeCursor(offset + limit) : undefined;
    res.json({
      total: matching.length,
      results: page.map((c) => wire(c, names)),
      ...(next === undefined ? {} : { paging: { next: { after: next, link: linkOf(req, next) } } }),
    });
  });

  router.get('/marketing/v3/campaigns/:guid', (req, res) => {
    const campaign = campaignOr404(req.params.guid);
    dateParam(req.query.startDate, 'startDate');
    dateParam(req.query.endDate, 'endDate');
    res.json({ ...wire(campaign, propertyNames(req.query.properties)), assets: {} });
  });

  router.get('/marketing/v3/campaigns/:guid/reports/contacts/:contactType', (req, res) => {
    const campaign = campaignOr404(req.params.guid);
    const contactType = req.params.contactType;
    if (!(CONTACT_TYPES as readonly string[]).includes(contactType))
      throw validationError(
        `contactType: ${JSON.stringify(contactType)} must be one of ${CONTACT_TYPES.join(', ')}`,
      );
    dateParam(req.query.startDate, 'startDate');
    dateParam(req.query.endDate, 'endDate');
    const limit = integerParam(req.query.limit, 'limit', REPORT_DEFAULT, 1, REPORT_MAX);
    const offset = decodeCursor(req.query.after);
    const ids = campaign.contacts[contactType as ContactType].filter(
      (id) => ctx.store.objects.contacts.byId.get(id)?.archived === false,
    );
    const next = offset + limit < ids.length ? encodeCursor(offset + limit) : undefined;
    res.json({
      results: ids.slice(offset, offset + limit).map((id) => ({ id })),
      ...(next === undefined ? {} : { paging: { next: { after: next, link: linkOf(req, next) } } }),
    });
  });

  return router;
}
