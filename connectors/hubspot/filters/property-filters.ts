/** Every PROPERTY filter of a list filter or workflow criterion, in document order, nested branches included. */
import type { FilterBranch, ListFilter, PropertyFilter, WorkflowCriterion } from './filter-schemas';

function collect(branch: FilterBranch, out: PropertyFilter[]): void {
  out.push(...branch.filters);
  for (const child of branch.filterBranches) collect(child, out);
}

export function propertyFilters(filter: ListFilter | WorkflowCriterion): PropertyFilter[] {
  const out: PropertyFilter[] = [];
  if ('filterBranch' in filter) {
    collect(filter.filterBranch, out);
  } else {
    // Re-enrollment triggers are filters on the same properties, so they must be valid too (NOTES §7).
    collect(filter.enrollmentCriteria.listFilterBranch, out);
    for (const branch of filter.enrollmentCriteria.reEnrollmentTriggersFilterBranches) collect(branch, out);
  }
  return out;
}
