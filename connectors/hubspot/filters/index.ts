export {
  enumerationOperationSchema,
  filterBranchSchema,
  isEnumerationOperation,
  listFilterSchema,
  propertyFilterSchema,
  propertyOperationSchema,
  rootFilterBranchSchema,
  workflowCriterionSchema,
  type EnumerationOperation,
  type FilterBranch,
  type ListFilter,
  type PropertyFilter,
  type PropertyOperation,
  type WorkflowCriterion,
} from './filter-schemas';
export { FilterShapeError } from './filter-shape-error';
export { parseListFilter, parseWorkflowCriterion } from './parse-filter';
export { propertyFilters } from './property-filters';
export {
  validateFilterAgainstProperties,
  type FilterProblem,
  type FilterProblemCode,
  type PropertyDefinitionLike,
} from './validate-filter';
export {
  CHURN_RISK_PROPERTY,
  SEGMENT_PROPERTY,
  churnRiskFilter,
  contactWorkflowCriterion,
  enumerationFilter,
  highChurnRiskList,
  highChurnRiskWorkflowCriterion,
  listFilter,
  rootBranch,
  segmentFilter,
  segmentList,
  segmentWorkflowCriterion,
  type ChurnRiskBand,
} from './canonical-filters';
export { ENUMERATION_OPERATORS, type EnumerationOperator } from './operators';
