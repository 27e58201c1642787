/**
 * Checks a list filter or workflow criterion against the portal's property definitions (as
 * `GET /crm/v3/properties/contacts` returns them, NOTES §4.5) before a user pastes it into HubSpot: filters
 * match stored option values, so a value that is not an option silently matches nobody (NOTES §7).
 *
 * @example
 * const { results } = await client.crm.properties.coreApi.getAll('contacts');
 * validateFilterAgainstProperties(highChurnRiskList(), results) // → [] once ensureClvProperties has run
 */
import { closestName } from './closest-name';
import {
  isEnumerationOperation,
  type ListFilter,
  type PropertyFilter,
  type WorkflowCriterion,
} from './filter-schemas';
import { ANY_PROPERTY_OPERATION_TYPE, OPERATION_TYPE_FOR_PROPERTY_TYPE } from './operators';
import { propertyFilters } from './property-filters';

/** What the check needs of a property definition; the SDK's `Property` model fits. */
export type PropertyDefinitionLike = {
  name: string;
  type: string;
  archived?: boolean;
  options?: readonly { value: string; label?: string }[];
};

export type FilterProblemCode =
  'PROPERTY_MISSING' | 'PROPERTY_ARCHIVED' | 'OPERATION_NOT_FOR_PROPERTY_TYPE' | 'VALUE_NOT_AN_OPTION';

export type FilterProblem = {
  code: FilterProblemCode;
  property: string;
  operationType: string;
  operator: string;
  /** The offending option value, for VALUE_NOT_AN_OPTION. */
  value?: string;
  message: string;
};

/** Operation types that belong to one property type (NOTES §7) and so are wrong on any other type. */
const TYPED_OPERATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries(OPERATION_TYPE_FOR_PROPERTY_TYPE).map(([propertyType, op]) => [op, propertyType]),
);

function operationProblem(filter: PropertyFilter, property: PropertyDefinitionLike): string | undefined {
  const { operationType } = filter.operation;
  if (operationType === ANY_PROPERTY_OPERATION_TYPE) return undefined;
  const expected = OPERATION_TYPE_FOR_PROPERTY_TYPE[property.type];
  if (expected !== undefined && operationType !== expected)
    return `${property.type} property ${property.name} is filtered with ${expected} operations, not ${operationType}`;
  const owner = TYPED_OPERATIONS.get(operationType);
  if (expected === undefined && owner !== undefined)
    return `${operationType} operations are for ${owner} properties; ${property.name} is ${property.type}`;
  return undefined;
}

function valueProblems(filter: PropertyFilter, property: PropertyDefinitionLike): FilterProblem[] {
  const operation = filter.operation;
  if (!isEnumerationOperation(operation) || property.type !== 'enumeration') return [];
  const options = property.options ?? [];
  const values = new Set(options.map((o) => o.value));
  return operation.values
    .filter((value) => !values.has(value))
    .map((value) => {
      // Lists match the option value, not its label; a label is the usual mistake.
      const byLabel = options.find((o) => o.label?.toLowerCase() === value.toLowerCase());
      const hint = byLabel ? `; '${value}' is the label of option '${byLabel.value}'` : '';
      return {
        code: 'VALUE_NOT_AN_OPTION' as const,
        property: property.name,
        operationType: operation.operationType,
        operator: operation.operator,
        value,
        message: `${property.name} ${operation.operator} '${value}': not an option of ${property.name} (options: ${[...values].join(', ') || 'none'})${hint}`,
      };
    });
}

export function validateFilterAgainstProperties(
  filter: ListFilter | WorkflowCriterion,
  propertyDefinitions: readonly PropertyDefinitionLike[],
): FilterProblem[] {
  const byName = new Map(propertyDefinitions.map((p) => [p.name, p]));
  const problems: FilterProblem[] = [];
  for (const f of propertyFilters(filter)) {
    const { operationType, operator } = f.operation;
    const base = { property: f.property, operationType, operator };
    const property = byName.get(f.property);
    if (property === undefined) {
      const near = closestName(f.property, byName.keys());
      const hint = near === undefined ? '' : `; did you mean ${near}?`;
      problems.push({
        ...base,
        code: 'PROPERTY_MISSING',
        message: `property ${f.property} does not exist${hint}`,
      });
      continue;
    }
    if (property.archived === true)
      problems.push({
        ...base,
        code: 'PROPERTY_ARCHIVED',
        message: `property ${f.property} is archived: lists and workflows cannot use it until it is restored`,
      });
    const wrongOperation = operationProblem(f, property);
    if (wrongOperation !== undefined) {
      problems.push({ ...base, code: 'OPERATION_NOT_FOR_PROPERTY_TYPE', message: wrongOperation });
      continue;
    }
    problems.push(...valueProblems(f, property));
  }
  return problems;
}
