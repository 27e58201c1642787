/**
 * Creating and archiving objects (NOTES §4.1; codes from the endpoints TSV): create → 201, batch create → 201,
 * archive and batch archive → 204. New ids continue the type's ascending sequence so list cursors stay valid.
 * Create-time associations name only a type id, so the target type is inferred from it (NOTES §4.2 ids;
 * contact↔ticket 15/16 [U]; task→contact 204 and contact→task 203, the tasks guide's create example). A type's
 * required properties (a task's `hs_timestamp`) missing from a create is HubSpot's 400 (requiredPropertiesError).
 */

import { Router, type Request } from 'express';
import { readBatchInputs } from './batch-input';
import { lastModifiedProperty, REQUIRED_PROPERTIES } from './default-properties';
import {
  HubSpotApiError,
  notFoundError,
  propertyValuesError,
  validationError,
  type PropertyValueProblem,
} from './hubspot-error';
import { journalEntry, type JournalEntry } from './journal';
import { resolveObjectType } from './object-type-name';
import { checkValueTypes, validatePropertyValues } from './property-values';
import type { SandboxContext } from './sandbox-context';
import { associate, insertObject } from './sandbox-store';
import type { ObjectType, SandboxObject } from './types';
import { toWireObject } from './wire-object';

/** typeId → [from type, to type, reverse type id]. */
const ASSOCIATION_TYPES: Record<number, [ObjectType, ObjectType, number]> = {
  4: ['contacts', 'deals', 3],
  3: ['deals', 'contacts', 4],
  19: ['deals', 'line_items', 20],
  20: ['line_items', 'deals', 19],
  15: ['contacts', 'tickets', 16],
  16: ['tickets', 'contacts', 15],
  204: ['tasks', 'contacts', 203],
  203: ['contacts', 'tasks', 204],
};

/** HubSpot's answer to a create without a required property (default-properties.ts, REQUIRED_PROPERTIES). */
function requiredPropertiesError(type: ObjectType, properties: unknown): HubSpotApiError | undefined {
  const required = REQUIRED_PROPERTIES[type];
  if (required === undefined) return undefined;
  const values = (properties && typeof properties === 'object' ? properties : {}) as Record<string, unknown>;
  const missing = required.names.filter((name) => {
    const value = values[name];
    return value === undefined || value === null || value === '';
  });
  if (missing.length === 0) return undefined;
  return validationError(`Error creating ${required.label}. Some required properties were not set.`, {
    context: { properties: missing },
  });
}

type CreateInput = { properties?: unknown; associations?: unknown };

export function createObjectWriteRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  /** Creates one object; `written` receives its journal entry. */
  const create = (
    type: ObjectType,
    input: CreateInput,
    req: Request,
    written: JournalEntry[],
  ): SandboxObject => {
    checkValueTypes(input.properties, ['properties']);
    const missing = requiredPropertiesError(type, input.properties);
    if (missing) throw missing;
    const values = input.properties && typeof input.properties === 'object' ? input.properties : {};
    const checked = validatePropertyValues(store.properties[type], values as Record<string, unknown>);
    if (!checked.ok) throw propertyValuesError(checked.problems, store.portalId);
    const edges = readAssociations(type, input.associations);
    const table = store.objects[type];
    const last = table.ids[table.ids.length - 1];
    const id = String(last === undefined ? 1 : Number(last) + 1);
    const at = new Date(ctx.now()).toISOString();
    const object: SandboxObject = {
      id,
      properties: { ...checked.values, hs_object_id: id, createdate: at, [lastModifiedProperty(type)]: at },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    insertObject(store, type, object);
    for (const { toId, typeId } of edges) {
      const [, toType, reverse] = ASSOCIATION_TYPES[typeId];
      associate(store, { type, id, typeId }, { type: toType, id: toId, typeId: reverse });
    }
    written.push(journalEntry(req, at, type, id, checked.values));
    return object;
  };

  const readAssociations = (type: ObjectType, raw: unknown): { toId: string; typeId: number }[] => {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw validationError('associations must be an array');
    return raw.flatMap((a: { to?: { id?: unknown }; types?: { associationTypeId?: unknown }[] }) =>
      (a.types ?? []).map((t) => {
        const typeId = Number(t.associationTypeId);
        const known = ASSOCIATION_TYPES[typeId];
        const toId = String(a.to?.id ?? '');
        if (!known || known[0] !== type || !store.objects[known[1]].byId.has(toId)) {
          throw validationError(`Invalid association: type ${typeId} to ${toId} from ${type}`);
        }
        return { toId, typeId };
      }),
    );
  };

  const archive = (type: ObjectType, id: string, req: Request, written: JournalEntry[]): void => {
    const object = store.objects[type].byId.get(id);
    if (!object) return; // HubSpot answers 204 for ids that are already gone.
    object.archived = true;
    object.archivedAt = object.updatedAt = new Date(ctx.now()).toISOString();
    written.push(journalEntry(req, object.archivedAt, type, id, {}, true));
  };

  router.post('/crm/v3/objects/:type', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const written: JournalEntry[] = [];
    const object = create(type, (req.body ?? {}) as CreateInput, req, written);
    ctx.journal(written);
    res.status(201).json(toWireObject(store, type, object, Object.keys(object.properties)));
  });

  router.post('/crm/v3/objects/:type/batch/create', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const startedAt = new Date(ctx.now()).toISOString();
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('Invalid input JSON: "inputs" must be an array');
    if (inputs.length > 100)
      throw validationError(`Batch input is limited to 100 inputs, but ${inputs.length} were provided.`, {
        context: { inputs: [String(inputs.length)] },
      });
    // Validate every input before writing any, so a bad batch is a 400 with nothing created (NOTES §4.1 [U]).
    (inputs as CreateInput[]).forEach((input, i) =>
      checkValueTypes(input?.properties, ['inputs', i, 'properties']),
    );
    const problems: PropertyValueProblem[] = [];
    for (const input of inputs as CreateInput[]) {
      const checked = validatePropertyValues(
        store.properties[type],
        (input?.properties ?? {}) as Record<string, unknown>,
      );
      if (!checked.ok) problems.push(...checked.problems);
    }
    if (problems.length > 0) throw propertyValuesError(problems, store.portalId);
    for (const input of inputs as CreateInput[]) {
      const missing = requiredPropertiesError(type, input?.properties);
      if (missing) throw missing;
    }
    for (const input of inputs as CreateInput[]) readAssociations(type, input?.associations);
    const written: JournalEntry[] = [];
    const results = (inputs as CreateInput[]).map((input) => {
      const object = create(type, input, req, written);
      return toWireObject(store, type, object, Object.keys(object.properties));
    });
    ctx.journal(written);
    res
      .status(201)
      .json({ status: 'COMPLETE', results, startedAt, completedAt: new Date(ctx.now()).toISOString() });
  });

  router.delete('/crm/v3/objects/:type/:id', (req, res) => {
    const type = resolveObjectType(req.params.type);
    if (!store.objects[type].byId.has(req.params.id))
      throw notFoundError('Object not found.  objectId are usually numeric.');
    const written: JournalEntry[] = [];
    archive(type, req.params.id, req, written);
    ctx.journal(written);
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:type/batch/archive', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const written: JournalEntry[] = [];
    for (const { id } of readBatchInputs(req.body, 100)) archive(type, id, req, written);
    ctx.journal(written);
    res.status(204).end();
  });

  return router;
}
