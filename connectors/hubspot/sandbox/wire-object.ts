/**
 * Turns a stored object into HubSpot's `SimplePublicObject` wire shape (NOTES §4.1): only requested properties
 * that have a value (absent values are omitted), plus the always-returned `createdate`, `hs_object_id` and the
 * last-modified property; `associations` only when asked for.
 */

import { lastModifiedProperty } from './default-properties';
import { associationsOf, type SandboxStore } from './sandbox-store';
import { resolveObjectType } from './object-type-name';
import type { ObjectType, SandboxObject } from './types';

/** Default properties when none are requested (NOTES §4.1 search defaults; the list endpoint matches). */
const DEFAULT_PROPERTIES: Record<ObjectType, readonly string[]> = {
  contacts: ['email', 'firstname', 'lastname'],
  deals: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage'],
  line_items: ['name', 'quantity', 'price', 'amount'],
  products: ['name', 'price'],
  tickets: ['subject', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority'],
  tasks: ['hs_task_subject', 'hs_task_status', 'hs_task_priority', 'hs_timestamp', 'hubspot_owner_id'],
};

/** Association type labels in v3 object responses, e.g. `contact_to_deal` (NOTES §4.1 example). */
const SINGULAR: Record<ObjectType, string> = {
  contacts: 'contact',
  deals: 'deal',
  line_items: 'line_item',
  products: 'product',
  tickets: 'ticket',
  tasks: 'task',
};

export type WireObject = {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
};

/**
 * Array query parameters arrive as repeated keys from the SDK and comma-separated from the spec (NOTES §4.1):
 * accept both.
 */
export function queryList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const trimmed = items.map((s) => s.trim()).filter((s) => s !== '');
  return trimmed.length > 0 ? trimmed : undefined;
}

export function selectProperties(
  type: ObjectType,
  object: SandboxObject,
  requested: readonly string[] | undefined,
): Record<string, string> {
  const names = [
    ...(requested ?? DEFAULT_PROPERTIES[type]),
    'createdate',
    'hs_object_id',
    lastModifiedProperty(type),
  ];
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = object.properties[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function toWireObject(
  store: SandboxStore,
  type: ObjectType,
  object: SandboxObject,
  requested: readonly string[] | undefined,
  associationTypes?: readonly string[],
): WireObject {
  const wire: WireObject = {
    id: object.id,
    properties: selectProperties(type, object, requested),
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
    archived: object.archived,
  };
  if (object.archivedAt !== undefined) wire.archivedAt = object.archivedAt;
  if (associationTypes && associationTypes.length > 0) {
    const associations: NonNullable<WireObject['associations']> = {};
    for (const name of associationTypes) {
      const toType = resolveObjectType(name);
      const edges = associationsOf(store, type, toType, object.id);
      if (edges.length === 0) continue;
      const label = `${SINGULAR[type]}_to_${SINGULAR[toType]}`;
      associations[toType] = { results: edges.map((e) => ({ id: e.toId, type: label })) };
    }
    wire.associations = associations;
  }
  return wire;
}
