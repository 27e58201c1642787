/**
 * The Lists API v3 filter grammar the sandbox evaluates (NOTES §7; HubSpot "List (segment) filters overview",
 * https://developers.hubspot.com/docs/api-reference/crm-lists-v3/list-filters): the root branch is OR, its
 * children AND ("This structure is enforced by HubSpot's API"); a record is a member when it passes every filter
 * of at least one AND branch. Served: PROPERTY filters with ENUMERATION (IS_ANY_OF, IS_NONE_OF, IS_EXACTLY,
 * IS_NOT_EXACTLY) and MULTISTRING (IS_EQUAL_TO, IS_NOT_EQUAL_TO) operations on existing contact properties;
 * any other filter type is refused with a 400 that says the sandbox does not serve it, so a caller never
 * believes a list works that the sandbox did not evaluate.
 */

import { validationError } from './hubspot-error';
import type { PropertyDefinition, SandboxObject } from './types';

export type ListPredicate = (object: SandboxObject) => boolean;

type Json = Record<string, unknown>;

const ENUMERATION_OPERATORS = ['IS_ANY_OF', 'IS_NONE_OF', 'IS_EXACTLY', 'IS_NOT_EXACTLY'] as const;
const MULTISTRING_OPERATORS = ['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO'] as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Error body for a filter on a property the portal does not have [U: HubSpot's exact code and wording]. */
function invalidFilterProperty(property: string) {
  return validationError(`Filter property ${property} does not exist on object type 0-1`, {
    errors: [
      {
        message: `Property "${property}" does not exist`,
        code: 'INVALID_FILTER_PROPERTY',
        context: { propertyName: [property] },
      },
    ],
  });
}

function compileFilter(
  filter: unknown,
  definitions: Map<string, PropertyDefinition>,
  at: string,
): ListPredicate {
  if (!isObject(filter) || filter.filterType !== 'PROPERTY')
    throw validationError(
      `${at}.filterType: the sandbox serves PROPERTY filters only, got ${JSON.stringify(isObject(filter) ? filter.filterType : filter)}`,
    );
  const property = filter.property;
  if (typeof property !== 'string' || property === '')
    throw validationError(`${at}.property is required for a PROPERTY filter`);
  const definition = definitions.get(property);
  if (definition === undefined || definition.archived) throw invalidFilterProperty(property);
  const operation = filter.operation;
  if (!isObject(operation)) throw validationError(`${at}.operation is required`);
  const operator = String(operation.operator);
  const includeUnset = operation.includeObjectsWithNoValueSet === true;
  const values = operation.values;
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
    throw validationError(`${at}.operation.values must be an array of strings`);
  const wanted = new Set(values as string[]);

  if (operation.operationType === 'ENUMERATION') {
    if (definition.type !== 'enumeration')
      throw validationError(
        `${at}: operationType ENUMERATION needs an enumeration property; ${property} is ${definition.type}`,
      );
    if (!(ENUMERATION_OPERATORS as readonly string[]).includes(operator))
      throw validationError(`${at}.operation.operator ${operator} is not served for ENUMERATION`);
    const known = new Set(definition.options.map((o) => o.value));
    const unknown = [...wanted].filter((v) => !known.has(v));
    if (unknown.length > 0)
      throw validationError(`${at}: ${unknown.join(', ')} is not an option of ${property}`, {
        errors: [
          {
            message: `${unknown.join(', ')} is not a valid option for ${property}`,
            code: 'INVALID_OPTION',
            context: { propertyName: [property] },
          },
        ],
      });
    return (object) => {
      const raw = object.properties[property];
      if (raw === undefined || raw === '') return includeUnset;
      const have = raw.split(';');
      switch (operator) {
        case 'IS_ANY_OF':
          return have.some((v) => wanted.has(v));
        case 'IS_NONE_OF':
          return !have.some((v) => wanted.has(v));
        case 'IS_EXACTLY':
          return have.length === wanted.size && have.every((v) => wanted.has(v));
        default:
          return !(have.length === wanted.size && have.every((v) => wanted.has(v)));
      }
    };
  }
  if (operation.operationType === 'MULTISTRING') {
    if (!(MULTISTRING_OPERATORS as readonly string[]).includes(operator))
      throw validationError(`${at}.operation.operator ${operator} is not served for MULTISTRING`);
    return (object) => {
      const raw = object.properties[property];
      if (raw === undefined || raw === '') return includeUnset;
      return operator === 'IS_EQUAL_TO' ? wanted.has(raw) : !wanted.has(raw);
    };
  }
  throw validationError(
    `${at}.operation.operationType: the sandbox serves ENUMERATION and MULTISTRING, got ${JSON.stringify(operation.operationType)}`,
  );
}

/** Validates a list's filterBranch and compiles it; throws the 400 the API answers for a bad one. */
export function compileFilterBranch(
  branch: unknown,
  definitions: Map<string, PropertyDefinition>,
): ListPredicate {
  if (!isObject(branch)) throw validationError('filterBranch is required for a DYNAMIC or SNAPSHOT list');
  if (branch.filterBranchType !== 'OR')
    throw validationError('filterBranch: the root branch must have filterBranchType OR');
  if (Array.isArray(branch.filters) && branch.filters.length > 0)
    throw validationError('filterBranch: the root OR branch takes no filters, only AND branches');
  const children = branch.filterBranches;
  if (!Array.isArray(children)) throw validationError('filterBranch.filterBranches must be an array');
  const ands = children.map((child, i) => {
    const at = `filterBranch.filterBranches[${i}]`;
    if (!isObject(child) || child.filterBranchType !== 'AND')
      throw validationError(`${at}: the root OR branch's children must have filterBranchType AND`);
    if (Array.isArray(child.filterBranches) && child.filterBranches.length > 0)
      throw validationError(`${at}.filterBranches: nested branches are not served by the sandbox`);
    const filters = Array.isArray(child.filters) ? child.filters : [];
    const compiled = filters.map((f, j) => compileFilter(f, definitions, `${at}.filters[${j}]`));
    return (object: SandboxObject) => compiled.every((p) => p(object));
  });
  return (object) => ands.some((p) => p(object));
}

/** The filterBranch as the API echoes it: every branch gains filterBranchOperator, every operation the flag. */
export function echoFilterBranch(branch: Json): Json {
  const filters = (Array.isArray(branch.filters) ? branch.filters : []).map((f: Json) => ({
    ...f,
    operation: { includeObjectsWithNoValueSet: false, ...(f.operation as Json) },
  }));
  const children = (Array.isArray(branch.filterBranches) ? branch.filterBranches : []).map(echoFilterBranch);
  return {
    filterBranchOperator: branch.filterBranchType,
    ...branch,
    filterBranches: children,
    filters,
  };
}
