/**
 * Owners (NOTES §4.3: the SDK calls `/crm/v3/owners/` with a trailing slash, so both spellings are routed) and
 * pipelines (NOTES §4.4: no paging, stage metadata as strings).
 */

import { Router, type Request, type Response } from 'express';
import { notFoundError, validationError } from './hubspot-error';
import { resolveObjectType } from './object-type-name';
import type { SandboxContext } from './sandbox-context';

export function createReferenceRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  const listOwners = (req: Request, res: Response): void => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw validationError('limit must be between 1 and 500');
    const archived = String(req.query.archived) === 'true';
    const email = req.query.email === undefined ? undefined : String(req.query.email).toLowerCase();
    const owners = store.owners.filter(
      (o) => o.archived === archived && (email === undefined || o.email === email),
    );
    const start =
      req.query.after === undefined ? 0 : owners.findIndex((o) => o.id === String(req.query.after));
    if (start < 0) throw validationError(`Invalid after cursor: ${String(req.query.after)}`);
    const results = owners.slice(start, start + limit);
    const next = owners[start + limit];
    res.json(
      next ? { results, paging: { next: { after: next.id, link: `?after=${next.id}` } } } : { results },
    );
  };
  // Express (non-strict routing) already treats `/owners` and `/owners/` alike; both are spelt out for clarity.
  router.get('/crm/v3/owners', listOwners);
  router.get('/crm/v3/owners/', listOwners);

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    const byUserId = req.query.idProperty === 'userId';
    const archived = String(req.query.archived) === 'true';
    const owner = store.owners.find(
      (o) => (byUserId ? String(o.userId) : o.id) === req.params.ownerId && o.archived === archived,
    );
    if (!owner) throw notFoundError(`Owner ${req.params.ownerId} not found`);
    res.json(owner);
  });

  router.get('/crm/v3/pipelines/:type', (req, res) => {
    res.json({ results: store.pipelines[resolveObjectType(req.params.type)] ?? [] });
  });

  router.get('/crm/v3/pipelines/:type/:pipelineId', (req, res) => {
    const pipeline = store.pipelines[resolveObjectType(req.params.type)]?.find(
      (p) => p.id === req.params.pipelineId,
    );
    if (!pipeline) throw notFoundError(`Pipeline ${req.params.pipelineId} not found`);
    res.json(pipeline);
  });

  router.get('/crm/v3/pipelines/:type/:pipelineId/stages', (req, res) => {
    const pipeline = store.pipelines[resolveObjectType(req.params.type)]?.find(
      (p) => p.id === req.params.pipelineId,
    );
    if (!pipeline) throw notFoundError(`Pipeline ${req.params.pipelineId} not found`);
    res.json({ results: pipeline.stages });
  });

  return router;
}
