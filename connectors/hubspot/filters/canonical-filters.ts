/**
 * The filters we document for users (README, playbooks), in the shapes of NOTES §7: "churn risk is any of
 * [high]" and "segment is any of [<segment id>]", as a list filter and as a contact workflow's enrollment
 * criterion. Values are option values of the written-back properties (DESIGN property contract), never labels.
 *
 * @example
 * JSON.stringify(highChurnRiskList()) // paste as the list's filterBranch definition
 */
import { CHURN_RISK_OPTIONS } from '../property-contract';
import type { EnumerationOperator } from './operators';
import type { FilterBranch, ListFilter, PropertyFilter, WorkflowCriterion } from './filter-schemas';

export const CHURN_RISK_PROPERTY = 'clv_churn_risk';
export const SEGMENT_PROPERTY = 'clv_segment';

export type ChurnRiskBand = 'low' | 'medium' | 'high';

export function enumerationFilter(
  property: string,
  values: readonly string[],
  operator: EnumerationOperator = 'IS_ANY_OF',
): PropertyFilter {
  return {
    filterType: 'PROPERTY',
    property,
    operation: {
      operationType: 'ENUMERATION',
      operator,
      values: [...values],
      // A contact never scored has no value; it belongs in no churn or segment list.
      includeObjectsWithNoValueSet: false,
    },
  };
}

/** Root OR branch with one AND child holding the filters: the structure HubSpot enforces (NOTES §7). */
export function rootBranch(filters: readonly PropertyFilter[]): FilterBranch {
  return {
    filterBranchType: 'OR',
    filters: [],
    filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [...filters] }],
  };
}

export function listFilter(filters: readonly PropertyFilter[]): ListFilter {
  return { filterBranch: rootBranch(filters) };
}

/**
 * A contact workflow enrolling records that meet the filters. Re-enrollment is off: every write of a changed
 * value is a property change (NOTES §7), and re-enrollment would also need trigger branches of its own.
 */
export function contactWorkflowCriterion(filters: readonly PropertyFilter[]): WorkflowCriterion {
  return {
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    enrollmentCriteria: {
      type: 'LIST_BASED',
      listFilterBranch: rootBranch(filters),
      shouldReEnroll: false,
      reEnrollmentTriggersFilterBranches: [],
      unEnrollObjectsNotMeetingCriteria: false,
    },
  };
}

function churnRiskValue(band: ChurnRiskBand): string {
  const option = CHURN_RISK_OPTIONS.find((o) => o.value === band);
  if (option === undefined) throw new RangeError(`no churn risk option '${band}' in the property contract`);
  return option.value;
}

export const churnRiskFilter = (band: ChurnRiskBand = 'high'): PropertyFilter =>
  enumerationFilter(CHURN_RISK_PROPERTY, [churnRiskValue(band)]);

/** `segmentId` is the stable segment id, which is the clv_segment option value (DESIGN). */
export const segmentFilter = (segmentId: string): PropertyFilter =>
  enumerationFilter(SEGMENT_PROPERTY, [segmentId]);

export const highChurnRiskList = (): ListFilter => listFilter([churnRiskFilter('high')]);
export const highChurnRiskWorkflowCriterion = (): WorkflowCriterion =>
  contactWorkflowCriterion([churnRiskFilter('high')]);
export const segmentList = (segmentId: string): ListFilter => listFilter([segmentFilter(segmentId)]);
export const segmentWorkflowCriterion = (segmentId: string): WorkflowCriterion =>
  contactWorkflowCriterion([segmentFilter(segmentId)]);
