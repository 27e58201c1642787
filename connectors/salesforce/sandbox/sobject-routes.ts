/**
 * `/sobjects` (describeGlobal), `/sobjects/{Type}/describe`, single-record create / read / update / delete
 * (`POST /sobjects/{Type}` → 201 `{id, success, errors}`, `PATCH|DELETE /sobjects/{Type}/{id}` → 204; NOTES §2.3)
 * and sObject Collections (`/composite/sobjects`: POST create, PATCH update, DELETE ?ids=, GET ?ids=&fields=,
 * POST /composite/sobjects/{Type} retrieve) with the 200-record cap and allOrNone (NOTES §2.3, §7.4).
 */

import { Router, type Request } from 'express';
import { describeGlobal, describeSObject } from './describe';
import { fieldDef, findRecord, objectDef, type OrgStore } from './org-store';
import {
  exceededIdLimit,
  jsonParserError,
  notFound,
  notFoundType,
  SalesforceApiError,
} from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SandboxContext } from './sandbox-context';
import { deleteRecords, saveRecords, type WriteInput } from './save-records';
import type { SObjectDef } from './sobject-schema';
import { versionOf, wireRecord } from './wire-record';

const COLLECTION_LIMIT = 200;

function typeOrThrow(store: OrgStore, name: string): SObjectDef {
  const def = objectDef(store, name);
  if (!def) throw notFoundType(name);
  return def;
}

/** Field list of `?fields=a,b`; INVALID_FIELD for an unknown one. */
function fieldList(def: SObjectDef, raw: unknown): string[] | undefined {
  const list = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string' && raw !== ''
      ? raw.split(',')
      : undefined;
  return list?.map((name) => {
    const f = fieldDef(def, name.trim());
    if (!f)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name.trim()}' on entity '${def.name}'.`,
      );
    return f.name;
  });
}

function bodyObject(req: Request): Record<string, unknown> {
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))
    throw jsonParserError('The request body must be a JSON object');
  return req.body as Record<string, unknown>;
}

function collectionRecords(req: Request): { records: Record<string, unknown>[]; allOrNone: boolean } {
  const body = bodyObject(req);
  if (!Array.isArray(body.records)) throw jsonParserError("Required field 'records' is missing");
  if (body.records.length > COLLECTION_LIMIT) throw exceededIdLimit();
  return { records: body.records as Record<string, unknown>[], allOrNone: body.allOrNone === true };
}

function typeOfInput(r: Record<string, unknown>): string | undefined {
  const attributes = r.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
}

export function sobjectRoutes(ctx: SandboxContext): Router {
  const router = Router({ mergeParams: true });
  const { store } = ctx;

  router.get('/sobjects', (req, res) => {
    res.json(describeGlobal(store, versionOf(req)));
  });

  router.get('/sobjects/:type/describe', (req, res) => {
    res.json(describeSObject(store, versionOf(req), typeOrThrow(store, req.params.type)));
  });

  router.post('/sobjects/:type', (req, res) => {
    const def = typeOrThrow(store, req.params.type);
    const [result] = saveRecords(ctx, req, 'create', [{ type: def.name, values: bodyObject(req) }], true);
    if (!result.success) {
      const [first] = result.errors;
      res
        .status(400)
        .json(result.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));
      void first;
      return;
    }
    res.status(201).json({ id: result.id, success: true, errors: [] });
  });

  router.get('/sobjects/:type/:id', (req, res) => {
    const def = typeOrThrow(store, req.params.type);
    const id = normalizeId(req.params.id);
    const found = id && findRecord(store, id);
    if (!found || found.type !== def.name || found.record.IsDeleted) throw notFound();
    res.json(wireRecord(versionOf(req), def.name, found.record, fieldList(def, req.query.fields)));
  });

  const single = (mode: 'update' | 'delete') => (req: Request, res: import('express').Response) => {
    const def = typeOrThrow(store, req.params.type);
    const id = normalizeId(req.params.id);
    const found = id && findRecord(store, id);
    if (!id || !found || found.type !== def.name) throw notFound();
    const [result] =
      mode === 'update'
        ? saveRecords(ctx, req, 'update', [{ type: def.name, id, values: bodyObject(req) }], true)
        : deleteRecords(ctx, req, [id], true);
    if (!result.success) {
      const status = result.errors[0]?.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400;
      res
        .status(status)
        .json(result.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));
      return;
    }
    res.status(204).end();
  };
  router.patch('/sobjects/:type/:id', single('update'));
  router.delete('/sobjects/:type/:id', single('delete'));

  router.post('/composite/sobjects', (req, res) => {
    const { records, allOrNone } = collectionRecords(req);
    const inputs: WriteInput[] = records.map((r) => ({
      type: typeOfInput(r),
      id: (r.Id ?? r.id) as string | undefined,
      values: r,
    }));
    res.json(saveRecords(ctx, req, 'create', inputs, allOrNone));
  });

  router.patch('/composite/sobjects', (req, res) => {
    const { records, allOrNone } = collectionRecords(req);
    const inputs: WriteInput[] = records.map((r) => ({
      type: typeOfInput(r),
      id: String(r.id ?? r.Id ?? ''),
      values: r,
    }));
    res.json(saveRecords(ctx, req, 'update', inputs, allOrNone));
  });

  const idsOf = (raw: unknown): string[] => {
    const ids = typeof raw === 'string' && raw !== '' ? raw.split(',') : [];
    if (ids.length > COLLECTION_LIMIT) throw exceededIdLimit();
    return ids;
  };

  router.delete('/composite/sobjects', (req, res) => {
    res.json(deleteRecords(ctx, req, idsOf(req.query.ids), req.query.allOrNone === 'true'));
  });

  const retrieve = (version: string, def: SObjectDef, ids: string[], fields: string[] | undefined) =>
    ids.map((raw) => {
      const id = normalizeId(raw);
      const found = id && findRecord(store, id);
      return found && found.type === def.name && !found.record.IsDeleted
        ? wireRecord(version, def.name, found.record, fields ?? [...def.fields.keys()])
        : null;
    });

  router.get('/composite/sobjects/:type', (req, res) => {
    const def = typeOrThrow(store, req.params.type);
    res.json(retrieve(versionOf(req), def, idsOf(req.query.ids), fieldList(def, req.query.fields)));
  });

  router.post('/composite/sobjects/:type', (req, res) => {
    const def = typeOrThrow(store, req.params.type);
    const body = bodyObject(req);
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    if (ids.length > 2000) throw exceededIdLimit();
    res.json(retrieve(versionOf(req), def, ids, fieldList(def, body.fields)));
  });

  return router;
}
