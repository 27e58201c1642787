/** Parses untrusted JSON into the NOTES §7 shapes, throwing a FilterShapeError that names the bad fields. */
import {
  listFilterSchema,
  workflowCriterionSchema,
  type ListFilter,
  type WorkflowCriterion,
} from './filter-schemas';
import { FilterShapeError } from './filter-shape-error';

export function parseListFilter(json: unknown): ListFilter {
  const parsed = listFilterSchema.safeParse(json);
  if (!parsed.success) throw new FilterShapeError('list filter', parsed.error);
  return parsed.data;
}

export function parseWorkflowCriterion(json: unknown): WorkflowCriterion {
  const parsed = workflowCriterionSchema.safeParse(json);
  if (!parsed.success) throw new FilterShapeError('workflow criterion', parsed.error);
  return parsed.data;
}
