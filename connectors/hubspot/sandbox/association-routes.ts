/**
 * Associations v4 batch read (NOTES §4.2): up to 1,000 inputs; wire key `from` (the SDK renames it `_from`),
 * `toObjectId` a JSON number, HubSpot-defined type ids. An id with no associations gets an empty `to` list
 * [U: HubSpot may instead report it in a 207].
 */

import { Router } from 'express';
import { readBatchInputs } from './batch-input';
import { notFoundError, validationError } from './hubspot-error';
import { resolveObjectType } from './object-type-name';
import type { SandboxContext } from './sandbox-context';
import { associationsOf } from './sandbox-store';
import type { AssociationEdge } from './types';

const MAX_INPUTS = 1000;

export function createAssociationRoutes(ctx: SandboxContext): Router {
  const router = Router();

  router.post('/crm/v4/associations/:fromType/:toType/batch/read', (req, res) => {
    const fromType = resolveObjectType(req.params.fromType);
    const toType = resolveObjectType(req.params.toType);
    const startedAt = new Date(ctx.now()).toISOString();
    const inputs = readBatchInputs(req.body, MAX_INPUTS);
    const results = [];
    const missing: string[] = [];
    for (const { id } of inputs) {
      if (!ctx.store.objects[fromType].byId.has(id)) {
        missing.push(id);
        continue;
      }
      const to = associationsOf(ctx.store, fromType, toType, id).map(toWire);
      results.push({ from: { id }, to });
    }
    const completedAt = new Date(ctx.now()).toISOString();
    if (missing.length === 0) {
      res.status(200).json({ status: 'COMPLETE', results, startedAt, completedAt });
      return;
    }
    res.status(207).json({
      status: 'COMPLETE',
      results,
      numErrors: missing.length,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not find ${fromType} with ids ${missing.join(', ')}`,
          context: { ids: missing },
        },
      ],
      startedAt,
      completedAt,
    });
  });

  // Per-record read (NOTES §4.2): the page size the SDK passes is ours to honour; max 500 [U].
  router.get('/crm/v4/objects/:type/:id/associations/:toType', (req, res) => {
    const fromType = resolveObjectType(req.params.type);
    const toType = resolveObjectType(req.params.toType);
    if (!ctx.store.objects[fromType].byId.has(req.params.id))
      throw notFoundError(`${fromType} ${req.params.id} not found`);
    const limit = req.query.limit === undefined ? 500 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw validationError('limit must be between 1 and 500');
    const start = req.query.after === undefined ? 0 : Number(req.query.after);
    if (!Number.isInteger(start) || start < 0) throw validationError('after must be formatted as an integer');
    const edges = associationsOf(ctx.store, fromType, toType, req.params.id);
    const results = edges.slice(start, start + limit).map(toWire);
    const end = start + results.length;
    res.json(end < edges.length ? { results, paging: { next: { after: String(end) } } } : { results });
  });

  return router;
}

function toWire(edge: AssociationEdge) {
  return {
    toObjectId: Number(edge.toId),
    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: edge.typeId, label: null }],
  };
}
