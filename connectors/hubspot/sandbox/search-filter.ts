/**
 * CRM search semantics (NOTES §4.1 Search): filters in a group are ANDed, groups ORed; at most 5 groups × 6
 * filters and 18 filters in all; one sort. Values are compared as the property's type: datetimes accept epoch
 * ms or ISO strings, numbers numerically, strings case-insensitively.
 */

import { validationError } from './hubspot-error';
import type { PropertyDefinition, SandboxObject } from './types';

export const SEARCH_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export type SearchFilter = {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  highValue?: string;
  values?: string[];
};

export type ObjectPredicate = (object: SandboxObject) => boolean;

/** Ids of the records of type `toType` (a path name such as `contact`) associated with `object`. */
export type AssociatedIds = (object: SandboxObject, toType: string) => string[];

const ASSOCIATION_PREFIX = 'associations.';

type Comparable = number | string;

function comparer(definition: PropertyDefinition | undefined): (raw: string) => Comparable {
  const type = definition?.type;
  if (type === 'datetime' || type === 'date') {
    return (raw) => (/^\d+$/.test(raw) ? Number(raw) : Date.parse(raw));
  }
  if (type === 'number') return (raw) => Number(raw);
  return (raw) => raw.toLowerCase();
}

function parseFilter(raw: unknown): SearchFilter {
  const f = raw as Partial<SearchFilter> | null;
  if (!f || typeof f.propertyName !== 'string' || !SEARCH_OPERATORS.includes(f.operator as SearchOperator)) {
    throw validationError(`Invalid filter: ${JSON.stringify(raw)}`);
  }
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(f.operator as string);
  if (needsValue && f.value === undefined)
    throw validationError(`Filter on ${f.propertyName} with ${f.operator} needs a value`);
  if (f.operator === 'BETWEEN' && f.highValue === undefined)
    throw validationError('BETWEEN needs value and highValue');
  if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values)) {
    throw validationError(`${f.operator} needs values[]`);
  }
  return {
    propertyName: f.propertyName,
    operator: f.operator as SearchOperator,
    value: f.value === undefined ? undefined : String(f.value),
    highValue: f.highValue === undefined ? undefined : String(f.highValue),
    values: f.values?.map(String),
  };
}

/** `associations.contact` EQ/IN/NEQ/NOT_IN match records by an associated id (NOTES §4.1). */
function associationPredicate(filter: SearchFilter, associated: AssociatedIds): ObjectPredicate {
  const toType = filter.propertyName.slice(ASSOCIATION_PREFIX.length);
  const wanted =
    filter.operator === 'IN' || filter.operator === 'NOT_IN' ? (filter.values ?? []) : [filter.value ?? ''];
  const hit = (o: SandboxObject): boolean => associated(o, toType).some((id) => wanted.includes(id));
  switch (filter.operator) {
    case 'EQ':
    case 'IN':
      return hit;
    case 'NEQ':
    case 'NOT_IN':
      return (o) => !hit(o);
    default:
      throw validationError(`Operator ${filter.operator} is not supported on ${filter.propertyName}`);
  }
}

function filterPredicate(
  filter: SearchFilter,
  definitions: Map<string, PropertyDefinition>,
  associated: AssociatedIds,
): ObjectPredicate {
  const name = filter.propertyName;
  if (name.startsWith(ASSOCIATION_PREFIX)) return associationPredicate(filter, associated);
  const toComparable = comparer(definitions.get(name));
  const value = filter.value === undefined ? undefined : toComparable(filter.value);
  const high = filter.highValue === undefined ? undefined : toComparable(filter.highValue);
  const set = new Set((filter.values ?? []).map(toComparable));
  const get = (o: SandboxObject): Comparable | undefined => {
    const raw = o.properties[name];
    return raw === undefined ? undefined : toComparable(raw);
  };
  const token = String(filter.value ?? '')
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  const tokenPattern = new RegExp(`(^|\\W)${token}($|\\W)`);
  switch (filter.operator) {
    case 'EQ':
      return (o) => get(o) === value;
    case 'NEQ':
      return (o) => get(o) !== value;
    case 'LT':
      return (o) => defined(get(o)) && (get(o) as Comparable) < (value as Comparable);
    case 'LTE':
      return (o) => defined(get(o)) && (get(o) as Comparable) <= (value as Comparable);
    case 'GT':
      return (o) => defined(get(o)) && (get(o) as Comparable) > (value as Comparable);
    case 'GTE':
      return (o) => defined(get(o)) && (get(o) as Comparable) >= (value as Comparable);
    case 'BETWEEN':
      return (o) => {
        const v = get(o);
        return defined(v) && v >= (value as Comparable) && v <= (high as Comparable);
      };
    case 'IN':
      return (o) => set.has(get(o) as Comparable);
    case 'NOT_IN':
      return (o) => !set.has(get(o) as Comparable);
    case 'HAS_PROPERTY':
      return (o) => o.properties[name] !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (o) => o.properties[name] === undefined;
    case 'CONTAINS_TOKEN':
      return (o) => tokenPattern.test((o.properties[name] ?? '').toLowerCase());
    case 'NOT_CONTAINS_TOKEN':
      return (o) => !tokenPattern.test((o.properties[name] ?? '').toLowerCase());
  }
}

function defined(v: Comparable | undefined): v is Comparable {
  return v !== undefined && !(typeof v === 'number' && Number.isNaN(v));
}

/** Compiles `filterGroups` into one predicate, enforcing HubSpot's 5 × 6 / 18 limits. */
export function compileFilterGroups(
  raw: unknown,
  definitions: Map<string, PropertyDefinition>,
  associated: AssociatedIds = () => [],
): ObjectPredicate {
  if (raw === undefined) return () => true;
  if (!Array.isArray(raw)) throw validationError('filterGroups must be an array');
  if (raw.length > 5) throw validationError(`Too many filter groups: ${raw.length} (at most 5)`);
  let total = 0;
  const groups = raw.map((group: unknown) => {
    const filters = (group as { filters?: unknown } | null)?.filters;
    if (!Array.isArray(filters)) throw validationError('Each filter group needs a filters array');
    if (filters.length > 6)
      throw validationError(`Too many filters in a group: ${filters.length} (at most 6)`);
    total += filters.length;
    return filters.map((f) => filterPredicate(parseFilter(f), definitions, associated));
  });
  if (total > 18) throw validationError(`Too many filters: ${total} (at most 18 across all groups)`);
  if (groups.length === 0) return () => true;
  return (o) => groups.some((predicates) => predicates.every((p) => p(o)));
}

/** One sort, given as a property name or `{ propertyName, direction }` (NOTES §4.1: both shapes occur). */
export type SortSpec = { key: (object: SandboxObject) => Comparable | undefined; sign: 1 | -1 };

export function compileSort(
  raw: unknown,
  definitions: Map<string, PropertyDefinition>,
): SortSpec | undefined {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return undefined;
  if (!Array.isArray(raw)) throw validationError('sorts must be an array');
  if (raw.length > 1) throw validationError('Only one sort is supported');
  const first = raw[0] as string | { propertyName?: string; direction?: string };
  const name = typeof first === 'string' ? first : first.propertyName;
  if (!name) throw validationError('sort needs a propertyName');
  const toComparable = comparer(definitions.get(name));
  return {
    key: (o) => {
      const value = o.properties[name];
      return value === undefined ? undefined : toComparable(value);
    },
    sign: typeof first === 'object' && first.direction === 'DESCENDING' ? -1 : 1,
  };
}

/**
 * Sorts by a key computed once per object (a datetime key parses an ISO string: per comparison that would be
 * ~n log n parses on 100,000 contacts). Missing values last in either direction; ties by id for stable paging.
 */
export function sortObjects(objects: SandboxObject[], spec: SortSpec): SandboxObject[] {
  const keyed = objects.map((object) => ({ object, key: spec.key(object), id: Number(object.id) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      return a.key === b.key ? a.id - b.id : a.key === undefined ? 1 : -1;
    }
    const c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return c !== 0 ? spec.sign * c : a.id - b.id;
  });
  return keyed.map((k) => k.object);
}
