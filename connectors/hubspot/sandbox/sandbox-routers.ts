/** The route modules in mounting order: specific object paths (search) are matched by method, so order is free. */

import type { Router } from 'express';
import { createAssociationRoutes } from './association-routes';
import { createObjectRoutes } from './object-routes';
import { createPropertyRoutes } from './property-routes';
import { createReferenceRoutes } from './reference-routes';
import type { SandboxContext } from './sandbox-context';
import { createSearchRoutes } from './search-routes';

export function sandboxRouters(ctx: SandboxContext): Router[] {
  return [
    createSearchRoutes(ctx),
    createObjectRoutes(ctx),
    createPropertyRoutes(ctx),
    createReferenceRoutes(ctx),
    createAssociationRoutes(ctx),
  ];
}
