/**
 * Maps a path segment to the sandbox's object type: plural names, singular names and the `0-x` type ids all
 * name the same object (NOTES §9.1 [U] for the ids; tasks are 0-27 in HubSpot's object type ids [U]).
 */

import { notFoundError } from './hubspot-error';
import type { ObjectType } from './types';

const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  line_items: 'line_items',
  line_item: 'line_items',
  '0-8': 'line_items',
  products: 'products',
  product: 'products',
  '0-7': 'products',
  tickets: 'tickets',
  ticket: 'tickets',
  '0-5': 'tickets',
  tasks: 'tasks',
  task: 'tasks',
  '0-27': 'tasks',
};

export function resolveObjectType(segment: string): ObjectType {
  const type = ALIASES[segment.toLowerCase()];
  if (!type) throw notFoundError(`Unable to infer object type from: ${segment}`);
  return type;
}
