/**
 * Lists API v3 (segments) for contacts, as the SDK 14.0.1 calls it (`client.crm.lists.listsApi`,
 * `.membershipsApi`) and HubSpot documents it (https://developers.hubspot.com/docs/api-reference/crm-lists-v3,
 * "Create List" and the lists overview):
 * - `POST /crm/v3/lists/` {name, objectTypeId, processingType MANUAL|DYNAMIC|SNAPSHOT, filterBranch} → 200
 *   `{list}`; the name must be unique among the portal's lists ("Must be globally unique"); a DYNAMIC list needs
 *   a filterBranch (root OR of AND branches, see list-filter.ts).
 * - `GET /crm/v3/lists/object-type-id/{objectTypeId}/name/{listName}?includeFilters` and
 *   `GET /crm/v3/lists/{listId}?includeFilters` → `{list}`; the filterBranch only with includeFilters=true.
 * - `PUT /crm/v3/lists/{listId}/update-list-filters` {filterBranch} → `{updatedList}`, listVersion + 1.
 * - `POST /crm/v3/lists/search` {query, offset, count, processingTypes} → `{lists, total, offset, hasMore}`.
 * - `GET /crm/v3/lists/{listId}/memberships?after&limit` → `{results: [{recordId, membershipTimestamp}], total,
 *   paging}`; `DELETE /crm/v3/lists/{listId}` → 204.
 * A DYNAMIC list is "processed in the background … to ensure that the list only contains records that match
 * the list's filters": here membership is the filter evaluated over the live contacts at each read, so it is
 * always processed (processingStatus COMPLETE).
 * Error bodies are the standard shape (NOTES §4.7). Exact messages and codes are not documented [U]: a
 * duplicate name answers 409 OBJECT_ALREADY_EXISTS (code LIST_NAME_ALREADY_EXISTS), an unknown list 404
 * OBJECT_NOT_FOUND, a filter on a missing property 400 VALIDATION_ERROR (code INVALID_FILTER_PROPERTY), an
 * enumeration value that is no option 400 (code INVALID_OPTION).
 */

import { Router } from 'express';
import { errorBody, HubSpotApiError, notFoundError, validationError } from './hubspot-error';
import { compileFilterBranch, echoFilterBranch } from './list-filter';
import type { SandboxContext } from './sandbox-context';
import type { SandboxStore } from './sandbox-store';

export const CONTACT_OBJECT_TYPE_ID = '0-1';
const PROCESSING_TYPES = ['MANUAL', 'DYNAMIC', 'SNAPSHOT'] as const;
const MAX_SEARCH_COUNT = 500;
const MAX_MEMBERSHIP_PAGE = 250;

export type SandboxList = {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: (typeof PROCESSING_TYPES)[number];
  listVersion: number;
  filterBranch?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  filtersUpdatedAt: string;
  /** Record ids of a MANUAL list, or a SNAPSHOT list's members at creation. */
  fixedMembers?: string[];
};

type ListTable = { byId: Map<string, SandboxList>; nextId: number };

const tables = new WeakMap<SandboxStore, ListTable>();

/** The portal's lists (tests read them to check nothing was duplicated). */
export function sandboxLists(store: SandboxStore): SandboxList[] {
  return [...tableOf(store).byId.values()];
}

function tableOf(store: SandboxStore): ListTable {
  let table = tables.get(store);
  if (table === undefined) {
    table = { byId: new Map(), nextId: 1 };
    tables.set(store, table);
  }
  return table;
}

function duplicateName(name: string) {
  return new HubSpotApiError(
    409,
    errorBody('OBJECT_ALREADY_EXISTS', `A list named '${name}' already exists`, {
      errors: [{ message: `List name '${name}' is taken`, code: 'LIST_NAME_ALREADY_EXISTS' }],
    }),
  );
}

function listNotFound(what: string) {
  return notFoundError(`List ${what} does not exist`);
}

export function createListRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const table = () => tableOf(ctx.store);
  const nowIso = () => new Date(ctx.now()).toISOString();

  const predicateOf = (list: SandboxList) =>
    compileFilterBranch(list.filterBranch, ctx.store.properties.contacts);

  function members(list: SandboxList): string[] {
    if (list.fixedMembers !== undefined)
      return list.fixedMembers.filter((id) => ctx.store.objects.contacts.byId.get(id)?.archived === false);
    const matches = predicateOf(list);
    const contacts = ctx.store.objects.contacts;
    return contacts.ids.filter((id) => {
      const object = contacts.byId.get(id);
      return object !== undefined && !object.archived && matches(object);
    });
  }

  function wire(list: SandboxList, includeFilters: boolean) {
    const { fixedMembers: _fixed, filterBranch, ...rest } = list;
    return {
      ...rest,
      processingStatus: 'COMPLETE',
      size: members(list).length,
      createdById: '1',
      updatedById: '1',
      ...(includeFilters && filterBranch ? { filterBranch: echoFilterBranch(filterBranch) } : {}),
    };
  }

  function byName(name: string): SandboxList | undefined {
    const wanted = name.toLowerCase();
    for (const list of table().byId.values()) if (list.name.toLowerCase() === wanted) return list;
    return undefined;
  }

  function listOr404(listId: string): SandboxList {
    const list = table().byId.get(listId);
    if (list === undefined) throw listNotFound(`with id ${listId}`);
    return list;
  }

  function checkedObjectType(objectTypeId: unknown): string {
    if (objectTypeId === CONTACT_OBJECT_TYPE_ID || objectTypeId === 'contacts') return CONTACT_OBJECT_TYPE_ID;
    throw validationError(
      `objectTypeId ${JSON.stringify(objectTypeId)} is not served: the sandbox holds contact lists (0-1) only`,
    );
  }

  const includeFilters = (query: unknown) => String(query) === 'true';

  router.post(['/crm/v3/lists', '/crm/v3/lists/'], (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || body.name.trim() === '')
      throw validationError('name is required', {
        errors: [{ message: 'name is required', code: 'REQUIRED' }],
      });
    const objectTypeId = checkedObjectType(body.objectTypeId);
    const processingType = body.processingType;
    if (!(PROCESSING_TYPES as readonly unknown[]).includes(processingType))
      throw validationError(`processingType must be one of ${PROCESSING_TYPES.join(', ')}`);
    if (byName(body.name) !== undefined) throw duplicateName(body.name);
    const now = nowIso();
    const list: SandboxList = {
      listId: String(table().nextId),
      name: body.name,
      objectTypeId,
      processingType: processingType as SandboxList['processingType'],
      listVersion: 1,
      createdAt: now,
      updatedAt: now,
      filtersUpdatedAt: now,
    };
    if (processingType === 'MANUAL') {
      list.fixedMembers = [];
    } else {
      compileFilterBranch(body.filterBranch, ctx.store.properties.contacts);
      list.filterBranch = body.filterBranch as Record<string, unknown>;
      if (processingType === 'SNAPSHOT') list.fixedMembers = members(list);
    }
    table().nextId++;
    table().byId.set(list.listId, list);
    res.json({ list: wire(list, true) });
  });

  router.post('/crm/v3/lists/search', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const offset = body.offset === undefined ? 0 : Number(body.offset);
    const count = body.count === undefined ? 20 : Number(body.count);
    if (!Number.isInteger(offset) || offset < 0)
      throw validationError('offset must be a non-negative integer');
    if (!Number.isInteger(count) || count < 1 || count > MAX_SEARCH_COUNT)
      throw validationError(`count must be an integer between 1 and ${MAX_SEARCH_COUNT}`);
    const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    const types = Array.isArray(body.processingTypes) ? body.processingTypes.map(String) : undefined;
    const matches = [...table().byId.values()].filter(
      (l) =>
        l.name.toLowerCase().includes(query) && (types === undefined || types.includes(l.processingType)),
    );
    const page = matches.slice(offset, offset + count).map((l) => {
      const {
        filterBranch: _f,
        size,
        ...rest
      } = wire(l, false) as ReturnType<typeof wire> & {
        filterBranch?: unknown;
      };
      return { ...rest, additionalProperties: { hs_list_size: String(size) } };
    });
    res.json({
      lists: page,
      total: matches.length,
      offset: offset + page.length,
      hasMore: offset + count < matches.length,
    });
  });

  router.get('/crm/v3/lists/object-type-id/:objectTypeId/name/:listName', (req, res) => {
    checkedObjectType(req.params.objectTypeId);
    const list = byName(req.params.listName);
    if (list === undefined) throw listNotFound(`named '${req.params.listName}'`);
    res.json({ list: wire(list, includeFilters(req.query.includeFilters)) });
  });

  router.get('/crm/v3/lists/:listId/memberships', (req, res) => {
    const list = listOr404(req.params.listId);
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBERSHIP_PAGE)
      throw validationError(`limit must be an integer between 1 and ${MAX_MEMBERSHIP_PAGE}`);
    const all = members(list);
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    if (!Number.isInteger(after) || after < 0)
      throw validationError('after must be a cursor this API returned');
    const page = all.slice(after, after + limit).map((recordId) => ({
      recordId,
      membershipTimestamp: list.filtersUpdatedAt,
    }));
    const next = after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {};
    res.json({ total: all.length, results: page, ...next });
  });

  router.get('/crm/v3/lists/:listId', (req, res) => {
    res.json({ list: wire(listOr404(req.params.listId), includeFilters(req.query.includeFilters)) });
  });

  router.put('/crm/v3/lists/:listId/update-list-filters', (req, res) => {
    const list = listOr404(req.params.listId);
    if (list.processingType === 'MANUAL')
      throw validationError(`List ${list.listId} is a MANUAL list: it has no filters to update`);
    const branch = ((req.body ?? {}) as Record<string, unknown>).filterBranch;
    compileFilterBranch(branch, ctx.store.properties.contacts);
    const now = nowIso();
    Object.assign(list, {
      filterBranch: branch,
      listVersion: list.listVersion + 1,
      updatedAt: now,
      filtersUpdatedAt: now,
    });
    res.json({ updatedList: wire(list, true) });
  });

  router.delete('/crm/v3/lists/:listId', (req, res) => {
    listOr404(req.params.listId);
    table().byId.delete(req.params.listId);
    res.status(204).end();
  });

  return router;
}
