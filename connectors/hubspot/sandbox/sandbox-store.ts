/**
 * The sandbox portal's state, in memory: objects per type in id order (the list cursor is the next record's
 * id, NOTES §4.1), property definitions and groups, owners, pipelines and association edges. Mutations go
 * through `writeProperties` so `updatedAt` and the last-modified property always move together (NOTES §9.7).
 */

import { lastModifiedProperty } from './default-properties';
import type {
  AssociationEdge,
  ObjectType,
  Owner,
  Pipeline,
  PropertyDefinition,
  PropertyGroup,
  SandboxObject,
} from './types';
import { OBJECT_TYPES } from './types';

export type ObjectTable = {
  /** Ids in ascending numeric order (creation order). */
  ids: string[];
  byId: Map<string, SandboxObject>;
  /** Position of each id in `ids`, so an `after` cursor resolves in O(1). */
  position: Map<string, number>;
};

export type SandboxStore = {
  portalId: string;
  objects: Record<ObjectType, ObjectTable>;
  properties: Record<ObjectType, Map<string, PropertyDefinition>>;
  groups: Record<ObjectType, Map<string, PropertyGroup>>;
  owners: Owner[];
  pipelines: Partial<Record<ObjectType, Pipeline[]>>;
  /** Key `${fromType}|${toType}` → from id → edges. */
  associations: Map<string, Map<string, AssociationEdge[]>>;
};

function byType<T>(make: () => T): Record<ObjectType, T> {
  const out = {} as Record<ObjectType, T>;
  for (const type of OBJECT_TYPES) out[type] = make();
  return out;
}

export function createEmptyStore(portalId: string): SandboxStore {
  return {
    portalId,
    objects: byType<ObjectTable>(() => ({ ids: [], byId: new Map(), position: new Map() })),
    properties: byType(() => new Map<string, PropertyDefinition>()),
    groups: byType(() => new Map<string, PropertyGroup>()),
    owners: [],
    pipelines: {},
    associations: new Map(),
  };
}

/** Appends an object; ids must arrive in ascending order (the seed and creates allocate them so). */
export function insertObject(store: SandboxStore, type: ObjectType, object: SandboxObject): void {
  const table = store.objects[type];
  table.position.set(object.id, table.ids.length);
  table.ids.push(object.id);
  table.byId.set(object.id, object);
}

/** Records a HubSpot-defined association in both directions (type ids per NOTES §4.2). */
export function associate(
  store: SandboxStore,
  from: { type: ObjectType; id: string; typeId: number },
  to: { type: ObjectType; id: string; typeId: number },
): void {
  addEdge(store, `${from.type}|${to.type}`, from.id, { toId: to.id, typeId: from.typeId });
  addEdge(store, `${to.type}|${from.type}`, to.id, { toId: from.id, typeId: to.typeId });
}

function addEdge(store: SandboxStore, key: string, fromId: string, edge: AssociationEdge): void {
  let byFrom = store.associations.get(key);
  if (!byFrom) store.associations.set(key, (byFrom = new Map()));
  const edges = byFrom.get(fromId);
  if (edges) edges.push(edge);
  else byFrom.set(fromId, [edge]);
}

export function associationsOf(
  store: SandboxStore,
  fromType: ObjectType,
  toType: ObjectType,
  id: string,
): AssociationEdge[] {
  return store.associations.get(`${fromType}|${toType}`)?.get(id) ?? [];
}

/**
 * Applies already-validated values; `""` clears a value (NOTES §4.5). Touches updatedAt and the type's
 * last-modified property even when a value is unchanged, as HubSpot does for any write.
 */
export function writeProperties(
  store: SandboxStore,
  type: ObjectType,
  object: SandboxObject,
  values: Record<string, string>,
  at: string,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === '') delete object.properties[name];
    else object.properties[name] = value;
  }
  object.updatedAt = at;
  object.properties[lastModifiedProperty(type)] = at;
}
