/**
 * CRM v3 object routes (NOTES §4.1; codes from the endpoints TSV): list with `after` cursor, get by id, batch
 * read, batch update (200; 207 listing missing or fault-injected inputs; 400 for the whole batch when any value is
 * invalid) and single PATCH. Archived objects are only listed with `archived=true`.
 */

import { Router, type Request } from 'express';
import { readBatchInputs, type BatchError } from './batch-input';
import {
  notFoundError,
  propertyValuesError,
  validationError,
  type PropertyValueProblem,
} from './hubspot-error';
import { journalEntry, type JournalEntry } from './journal';
import { resolveObjectType } from './object-type-name';
import { checkValueTypes, validatePropertyValues } from './property-values';
import type { SandboxContext } from './sandbox-context';
import { writeProperties } from './sandbox-store';
import type { ObjectType, SandboxObject } from './types';
import { queryList, toWireObject, type WireObject } from './wire-object';

const MAX_PAGE = 100;
const MAX_BATCH = 100;

function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    // [U] HubSpot may clamp instead; a 400 makes a connector bug visible (NOTES §4.1 "retrieve up to 100").
    throw validationError(`limit must be an integer between 1 and ${max}, got ${String(raw)}`);
  }
  return limit;
}

function requestedProperties(req: Request): string[] | undefined {
  return queryList(req.query.properties);
}

export function createObjectRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  router.get('/crm/v3/objects/:type', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const table = store.objects[type];
    const limit = parseLimit(req.query.limit, 10, MAX_PAGE);
    const archived = String(req.query.archived) === 'true';
    const properties = requestedProperties(req);
    const associationTypes = queryList(req.query.associations);
    let start = 0;
    if (req.query.after !== undefined) {
      const position = table.position.get(String(req.query.after));
      if (position === undefined) throw validationError(`Invalid after cursor: ${String(req.query.after)}`);
      start = position;
    }
    const results: WireObject[] = [];
    let i = start;
    const ids = table.ids;
    for (; i < ids.length && results.length < limit; i++) {
      const object = table.byId.get(ids[i]) as SandboxObject;
      if (object.archived !== archived) continue;
      results.push(toWireObject(store, type, object, properties, associationTypes));
    }
    // Skip to the next matching object so the last page carries no `paging` (NOTES §4.1).
    while (i < ids.length && (table.byId.get(ids[i]) as SandboxObject).archived !== archived) i++;
    const body: { results: WireObject[]; paging?: { next: { after: string; link: string } } } = { results };
    if (i < ids.length) body.paging = { next: { after: ids[i], link: `?after=${ids[i]}` } };
    res.json(body);
  });

  router.get('/crm/v3/objects/:type/:id', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const object = findObject(ctx, type, req.params.id, req.query.idProperty);
    if (!object || object.archived !== (String(req.query.archived) === 'true')) {
      throw notFoundError(`Object not found.  objectId are usually numeric.`);
    }
    res.json(toWireObject(store, type, object, requestedProperties(req), queryList(req.query.associations)));
  });

  router.post('/crm/v3/objects/:type/batch/read', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const startedAt = new Date(ctx.now()).toISOString();
    const inputs = readBatchInputs(req.body, MAX_BATCH);
    const body = req.body as { properties?: unknown; idProperty?: unknown };
    const properties =
      Array.isArray(body.properties) && body.properties.length > 0 ? body.properties.map(String) : undefined;
    const results: WireObject[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const object = findObject(ctx, type, input.id, body.idProperty);
      if (object && !object.archived) results.push(toWireObject(store, type, object, properties));
      else missing.push(input.id);
    }
    const errors: BatchError[] =
      missing.length === 0
        ? []
        : [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${type.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
              context: { ids: missing },
            },
          ];
    sendBatch(res, results, errors, startedAt, ctx.now());
  });

  router.post('/crm/v3/objects/:type/batch/update', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const startedAt = new Date(ctx.now()).toISOString();
    const inputs = readBatchInputs(req.body, MAX_BATCH);
    const seen = new Set<string>();
    for (const input of inputs) {
      if (seen.has(input.id))
        throw validationError(`Duplicate IDs found in batch input: [${input.id}]. IDs must be unique`);
      seen.add(input.id);
    }
    // Every input's values are validated before any is written: one invalid value (an unknown option, say) is a
    // 400 for the whole batch with nothing stored, not a 207 (NOTES §4.1, §7).
    const problems: PropertyValueProblem[] = [];
    const valid = new Map<string, Record<string, string>>();
    for (const input of inputs) {
      const checked = validatePropertyValues(store.properties[type], input.properties ?? {});
      if (checked.ok) valid.set(input.id, checked.values);
      else problems.push(...checked.problems);
    }
    if (problems.length > 0) throw propertyValuesError(problems, store.portalId);

    const results: WireObject[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    const errors: BatchError[] = [];
    const written: JournalEntry[] = [];
    const at = new Date(ctx.now()).toISOString();
    for (const input of inputs) {
      const object = store.objects[type].byId.get(input.id);
      if (!object || object.archived) {
        missing.push(input.id);
        continue;
      }
      if (ctx.faults.partialFailureIds.has(input.id)) {
        injected.push(input.id);
        continue;
      }
      const values = valid.get(input.id) ?? {};
      writeProperties(store, type, object, values, at);
      results.push(toWireObject(store, type, object, Object.keys(values)));
      written.push(journalEntry(req, at, type, object.id, values));
    }
    if (missing.length > 0) {
      errors.unshift({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `Could not get some ${type.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
        context: { ids: missing },
      });
    }
    if (injected.length > 0) {
      // Category of an injected failure is ours [U]; the connector should key on `context.ids`.
      errors.push({
        status: 'error',
        category: 'INTERNAL_ERROR',
        message: 'Simulated failure (sandbox fault injection)',
        context: { ids: injected },
      });
    }
    ctx.journal(written);
    sendBatch(res, results, errors, startedAt, ctx.now());
  });

  router.patch('/crm/v3/objects/:type/:id', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const object = findObject(ctx, type, req.params.id, req.query.idProperty);
    if (!object || object.archived) throw notFoundError('Object not found.  objectId are usually numeric.');
    const values = (req.body as { properties?: unknown } | undefined)?.properties;
    checkValueTypes(values, ['properties']);
    const checked = validatePropertyValues(store.properties[type], (values ?? {}) as Record<string, unknown>);
    if (!checked.ok) throw propertyValuesError(checked.problems, store.portalId);
    const at = new Date(ctx.now()).toISOString();
    writeProperties(store, type, object, checked.values, at);
    ctx.journal([journalEntry(req, at, type, object.id, checked.values)]);
    res.json({ ...toWireObject(store, type, object, Object.keys(checked.values)) });
  });

  return router;
}

/** Looks an object up by id, or by a unique property (`idProperty`, e.g. email; NOTES §4.1). */
function findObject(
  ctx: SandboxContext,
  type: ObjectType,
  id: string,
  idProperty: unknown,
): SandboxObject | undefined {
  const table = ctx.store.objects[type];
  if (idProperty === undefined || idProperty === 'hs_object_id') return table.byId.get(id);
  const name = String(idProperty);
  const definition = ctx.store.properties[type].get(name);
  if (!definition || !(definition.hasUniqueValue || name === 'email')) {
    throw validationError(`${name} is not a unique property and cannot be used as idProperty`);
  }
  for (const object of table.byId.values()) if (object.properties[name] === id) return object;
  return undefined;
}

function sendBatch(
  res: import('express').Response,
  results: WireObject[],
  errors: BatchError[],
  startedAt: string,
  nowMs: number,
): void {
  const completedAt = new Date(nowMs).toISOString();
  if (errors.length === 0) {
    res.status(200).json({ status: 'COMPLETE', results, startedAt, completedAt });
    return;
  }
  const numErrors = errors.reduce((n, e) => n + (e.context.ids?.length ?? 1), 0);
  res.status(207).json({ status: 'COMPLETE', results, numErrors, errors, startedAt, completedAt });
}
