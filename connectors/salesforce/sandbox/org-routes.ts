/**
 * The org-level REST resources jsforce reads (NOTES §2.4): the resource map `GET /services/data/vXX.X`
 * (jsforce's identity() follows its `identity` URL), `/limits` (`{Name: {Max, Remaining}}`), and the identity
 * URL `/id/<orgId>/<userId>`.
 */

import { Router } from 'express';
import type { ApiUsage } from './request-guards';
import type { SandboxContext } from './sandbox-context';
import { versionOf } from './wire-record';

export function orgRoutes(ctx: SandboxContext, usage: ApiUsage, baseUrl: () => string): Router {
  const router = Router({ mergeParams: true });
  router.get('/', (req, res) => {
    const base = `/services/data/${versionOf(req)}`;
    res.json({
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
      composite: `${base}/composite`,
      identity: `${baseUrl()}/id/${ctx.store.orgId}/${ctx.store.apiUserId}`,
    });
  });
  router.get('/limits', (_req, res) => {
    res.json({
      DailyApiRequests: { Max: usage.max, Remaining: Math.max(0, usage.max - usage.used) },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkV2QueryFileStorageMB: { Max: 1048576, Remaining: 1048576 },
    });
  });
  return router;
}

export function identityRoute(ctx: SandboxContext, baseUrl: () => string): Router {
  const router = Router();
  router.get('/:orgId/:userId', (req, res, next) => {
    const user = ctx.store.records.get('User')!.get(req.params.userId);
    if (req.params.orgId !== ctx.store.orgId || !user) return next();
    res.json({
      id: `${baseUrl()}/id/${ctx.store.orgId}/${user.Id}`,
      user_id: user.Id,
      organization_id: ctx.store.orgId,
      username: user.Username,
      display_name: user.Name,
      email: user.Email,
      active: user.IsActive,
      user_type: 'STANDARD',
      urls: {
        rest: `${baseUrl()}/services/data/v{version}/`,
        query: `${baseUrl()}/services/data/v{version}/query/`,
      },
    });
  });
  return router;
}
