/**
 * The route modules. `/objects/:type/search` and `/batch/*` are POSTs while `/:id` is GET/PATCH/DELETE, so
 * mounting order does not change which route answers.
 */

import type { Router } from 'express';
import { createAssociationRoutes } from './association-routes';
import { createCampaignRoutes } from './campaign-routes';
import { createListRoutes } from './list-routes';
import { createObjectRoutes } from './object-routes';
import { createObjectWriteRoutes } from './object-write-routes';
import { createPropertyRoutes } from './property-routes';
import { createReferenceRoutes } from './reference-routes';
import type { SandboxContext } from './sandbox-context';
import { createSearchRoutes } from './search-routes';

export function sandboxRouters(ctx: SandboxContext): Router[] {
  return [
    createSearchRoutes(ctx),
    createObjectRoutes(ctx),
    createObjectWriteRoutes(ctx),
    createPropertyRoutes(ctx),
    createReferenceRoutes(ctx),
    createAssociationRoutes(ctx),
    createListRoutes(ctx),
    createCampaignRoutes(ctx),
  ];
}
