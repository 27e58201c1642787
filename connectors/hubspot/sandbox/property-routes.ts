/**
 * Properties and property groups (NOTES §4.5): create → 201, an existing name → 409 OBJECT_ALREADY_EXISTS
 * (message and subCategory [U]); `type` must pair with a valid `fieldType`; PATCH replaces options (how the
 * connector adds enumeration options for new segments).
 */

import { Router } from 'express';
import {
  errorBody,
  HubSpotApiError,
  notFoundError,
  validationError,
  type HubSpotErrorBody,
} from './hubspot-error';
import { resolveObjectType } from './object-type-name';
import type { SandboxContext } from './sandbox-context';
import type { ObjectType, PropertyDefinition, PropertyGroup, PropertyOption } from './types';

/** type → allowed fieldType (NOTES §4.5). */
const FIELD_TYPES: Record<string, readonly string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
  phone_number: ['phonenumber'],
};

function readOptions(raw: unknown): PropertyOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError('options must be an array');
  return raw.map((o: unknown, i) => {
    const option = o as Partial<PropertyOption> | null;
    if (!option || typeof option.label !== 'string' || typeof option.value !== 'string') {
      throw validationError(`options[${i}] needs a label and a value`);
    }
    return {
      label: option.label,
      value: option.value,
      displayOrder: typeof option.displayOrder === 'number' ? option.displayOrder : i,
      hidden: option.hidden === true,
      ...(typeof option.description === 'string' ? { description: option.description } : {}),
    };
  });
}

function alreadyExists(kind: string, name: string): HubSpotApiError {
  return new HubSpotApiError(
    409,
    errorBody('OBJECT_ALREADY_EXISTS', `${kind} named '${name}' already exists.`, {
      subCategory:
        kind === 'Property'
          ? 'PropertyCrudError.NAME_ALREADY_TAKEN'
          : 'PropertyGroupError.GROUP_ALREADY_EXISTS',
      context: { name: [name] },
    }),
  );
}

export function createPropertyRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;
  const iso = (): string => new Date(ctx.now()).toISOString();

  router.get('/crm/v3/properties/:type', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const archived = String(req.query.archived) === 'true';
    res.json({ results: [...store.properties[type].values()].filter((p) => p.archived === archived) });
  });

  /** Validates and stores one PropertyCreate; throws the HubSpotApiError the single create would answer. */
  const createProperty = (type: ObjectType, raw: unknown): PropertyDefinition => {
    const body = (raw ?? {}) as Record<string, unknown>;
    for (const field of ['name', 'label', 'type', 'fieldType', 'groupName']) {
      if (typeof body[field] !== 'string' || body[field] === '') {
        throw validationError(`${field} is required but was not provided`, { context: { field: [field] } });
      }
    }
    const name = body.name as string;
    const propType = body.type as string;
    const fieldType = body.fieldType as string;
    if (store.properties[type].has(name)) throw alreadyExists('Property', name);
    if (!FIELD_TYPES[propType]?.includes(fieldType)) {
      throw validationError(`fieldType ${fieldType} is not valid for type ${propType}`);
    }
    if (!store.groups[type].has(body.groupName as string)) {
      throw validationError(`Property group ${String(body.groupName)} does not exist`);
    }
    const at = iso();
    const property: PropertyDefinition = {
      name,
      label: body.label as string,
      type: propType,
      fieldType,
      groupName: body.groupName as string,
      description: typeof body.description === 'string' ? body.description : '',
      options: readOptions(body.options),
      displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1,
      hasUniqueValue: body.hasUniqueValue === true,
      hidden: body.hidden === true,
      formField: body.formField === true,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    store.properties[type].set(name, property);
    return property;
  };

  router.post('/crm/v3/properties/:type', (req, res) => {
    res.status(201).json(createProperty(resolveObjectType(req.params.type), req.body));
  });

  // Batch create answers 201, or 207 listing the inputs that failed (the SDK throws on 200; NOTES §4.5).
  router.post('/crm/v3/properties/:type/batch/create', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const startedAt = iso();
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('Invalid input JSON: "inputs" must be an array');
    const results: PropertyDefinition[] = [];
    const errors: HubSpotErrorBody[] = [];
    for (const input of inputs) {
      try {
        results.push(createProperty(type, input));
      } catch (error) {
        if (!(error instanceof HubSpotApiError)) throw error;
        errors.push(error.body);
      }
    }
    const done = { status: 'COMPLETE', results, startedAt, completedAt: iso() };
    if (errors.length === 0) res.status(201).json(done);
    else res.status(207).json({ ...done, numErrors: errors.length, errors });
  });

  router.post('/crm/v3/properties/:type/batch/read', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const startedAt = iso();
    const body = (req.body ?? {}) as { inputs?: unknown; archived?: unknown };
    if (!Array.isArray(body.inputs)) throw validationError('Invalid input JSON: "inputs" must be an array');
    const archived = body.archived === true;
    const results: PropertyDefinition[] = [];
    const missing: string[] = [];
    for (const input of body.inputs as { name?: unknown }[]) {
      const property = store.properties[type].get(String(input?.name));
      if (property && property.archived === archived) results.push(property);
      else missing.push(String(input?.name));
    }
    const done = { status: 'COMPLETE', results, startedAt, completedAt: iso() };
    if (missing.length === 0) res.json(done);
    else {
      const error = errorBody('OBJECT_NOT_FOUND', `Unable to find properties: ${missing.join(', ')}`, {
        context: { name: missing },
      });
      res.status(207).json({ ...done, numErrors: missing.length, errors: [error] });
    }
  });

  router.get('/crm/v3/properties/:type/groups', (req, res) => {
    const type = resolveObjectType(req.params.type);
    res.json({ results: [...store.groups[type].values()] });
  });

  router.post('/crm/v3/properties/:type/groups', (req, res) => {
    const type = resolveObjectType(req.params.type);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || typeof body.label !== 'string') {
      throw validationError('name and label are required but were not provided');
    }
    if (store.groups[type].has(body.name)) throw alreadyExists('Property group', body.name);
    const group: PropertyGroup = {
      name: body.name,
      label: body.label,
      displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1,
      archived: false,
    };
    store.groups[type].set(group.name, group);
    res.status(201).json(group);
  });

  router.get('/crm/v3/properties/:type/groups/:name', (req, res) => {
    const group = store.groups[resolveObjectType(req.params.type)].get(req.params.name);
    if (!group) throw notFoundError(`Unable to find property group ${req.params.name}`);
    res.json(group);
  });

  router.get('/crm/v3/properties/:type/:name', (req, res) => {
    const property = store.properties[resolveObjectType(req.params.type)].get(req.params.name);
    if (!property) throw notFoundError(`Unable to find property ${req.params.name}`);
    res.json(property);
  });

  router.patch('/crm/v3/properties/:type/:name', (req, res) => {
    const property = store.properties[resolveObjectType(req.params.type)].get(req.params.name);
    if (!property) throw notFoundError(`Unable to find property ${req.params.name}`);
    if (property.modificationMetadata.readOnlyDefinition) {
      throw validationError(`Property ${property.name} is HubSpot-defined and cannot be changed`);
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.label === 'string') property.label = body.label;
    if (typeof body.description === 'string') property.description = body.description;
    if (typeof body.groupName === 'string') property.groupName = body.groupName;
    if (typeof body.hidden === 'boolean') property.hidden = body.hidden;
    if (typeof body.displayOrder === 'number') property.displayOrder = body.displayOrder;
    if (typeof body.type === 'string' || typeof body.fieldType === 'string') {
      const t = typeof body.type === 'string' ? body.type : property.type;
      const f = typeof body.fieldType === 'string' ? body.fieldType : property.fieldType;
      if (!FIELD_TYPES[t]?.includes(f)) throw validationError(`fieldType ${f} is not valid for type ${t}`);
      property.type = t;
      property.fieldType = f;
    }
    if (body.options !== undefined) property.options = readOptions(body.options);
    property.updatedAt = iso();
    res.json(property);
  });

  return router;
}
