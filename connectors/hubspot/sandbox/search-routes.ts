/**
 * `POST /crm/v3/objects/{type}/search` (NOTES §4.1 Search): limit ≤ 200 (default 10), integer `after`,
 * a 10,000-result cap per query, body ≤ 3,000 characters, `total` in every answer, archived objects never
 * returned. Its own 5/s limit is applied by the rate-limit middleware.
 */

import { Router } from 'express';
import { validationError } from './hubspot-error';
import { resolveObjectType } from './object-type-name';
import type { SandboxContext } from './sandbox-context';
import { associationsOf } from './sandbox-store';
import { compileFilterGroups, compileSort, sortObjects } from './search-filter';
import type { SandboxObject } from './types';
import { toWireObject } from './wire-object';

const MAX_LIMIT = 200;
const RESULT_CAP = 10_000;
const MAX_BODY_CHARS = 3000;

/** Properties the free-text `query` looks in (HubSpot searches default text properties). */
const QUERY_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'name',
  'dealname',
  'subject',
  'hs_sku',
  'hs_task_subject',
];

type SearchBody = {
  filterGroups?: unknown;
  sorts?: unknown;
  properties?: unknown;
  limit?: unknown;
  after?: unknown;
  query?: unknown;
};

export function createSearchRoutes(ctx: SandboxContext): Router {
  const router = Router();

  router.post('/crm/v3/objects/:type/search', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const length = Number(req.headers['content-length'] ?? JSON.stringify(req.body ?? {}).length);
    if (length > MAX_BODY_CHARS)
      throw validationError(`Search request body is limited to ${MAX_BODY_CHARS} characters`);
    const body = (req.body ?? {}) as SearchBody;
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
      throw validationError(`limit must be an integer between 0 and ${MAX_LIMIT}`);
    }
    const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0) throw validationError('after must be formatted as an integer');
    if (after >= RESULT_CAP) throw validationError(`Paging beyond ${RESULT_CAP} results is not supported`);
    const definitions = ctx.store.properties[type];
    const predicate = compileFilterGroups(body.filterGroups, definitions, (object, toType) =>
      associationsOf(ctx.store, type, resolveObjectType(toType), object.id).map((edge) => edge.toId),
    );
    const sort = compileSort(body.sorts, definitions);
    const query = typeof body.query === 'string' && body.query !== '' ? body.query.toLowerCase() : undefined;
    const properties =
      Array.isArray(body.properties) && body.properties.length > 0 ? body.properties.map(String) : undefined;

    const table = ctx.store.objects[type];
    const matches: SandboxObject[] = [];
    for (const id of table.ids) {
      const object = table.byId.get(id) as SandboxObject;
      if (object.archived || !predicate(object)) continue;
      if (query && !QUERY_PROPERTIES.some((p) => object.properties[p]?.toLowerCase().includes(query)))
        continue;
      matches.push(object);
    }
    const end = Math.min(after + limit, matches.length, RESULT_CAP);
    const ordered = sort ? sortObjects(matches, sort) : matches;
    const results = ordered.slice(after, end).map((o) => toWireObject(ctx.store, type, o, properties));
    const out: { total: number; results: typeof results; paging?: { next: { after: string } } } = {
      total: matches.length,
      results,
    };
    if (end < matches.length && end < RESULT_CAP) out.paging = { next: { after: String(end) } };
    res.json(out);
  });

  return router;
}
