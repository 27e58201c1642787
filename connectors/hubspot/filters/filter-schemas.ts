/**
 * The JSON shapes of NOTES §7 as zod schemas: a Lists API v3 filter branch (root OR branch with AND children,
 * "enforced by HubSpot's API") and a workflow's list-based enrollment criterion, which uses the same grammar.
 */
import { z } from 'zod';
import { ENUMERATION_OPERATORS } from './operators';

export const enumerationOperationSchema = z.object({
  operationType: z.literal('ENUMERATION'),
  operator: z.enum(ENUMERATION_OPERATORS),
  // An enumeration filter matches option values (NOTES §7); with none it can match nothing.
  values: z.array(z.string()).min(1, 'an enumeration filter needs at least one option value'),
  includeObjectsWithNoValueSet: z.boolean(),
});

/**
 * Any operation: `operationType` and `operator` always; an ENUMERATION one must also be the shape above (its
 * issues are reported at their own paths). NUMBER and the other types carry fields NOTES does not list, so
 * they pass through as HubSpot would read them.
 */
export const propertyOperationSchema = z
  .object({ operationType: z.string().min(1), operator: z.string().min(1) })
  .passthrough()
  .superRefine((operation, ctx) => {
    if (operation.operationType !== 'ENUMERATION') return;
    const parsed = enumerationOperationSchema.safeParse(operation);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue);
  });

export const propertyFilterSchema = z.object({
  filterType: z.literal('PROPERTY'),
  property: z.string().min(1),
  operation: propertyOperationSchema,
});

export type EnumerationOperation = z.infer<typeof enumerationOperationSchema>;
export type PropertyOperation = z.infer<typeof propertyOperationSchema>;

export function isEnumerationOperation(
  operation: PropertyOperation,
): operation is PropertyOperation & EnumerationOperation {
  return enumerationOperationSchema.safeParse(operation).success;
}
export type PropertyFilter = z.infer<typeof propertyFilterSchema>;

export type FilterBranch = {
  filterBranchType: 'OR' | 'AND';
  filters: PropertyFilter[];
  filterBranches: FilterBranch[];
};

export const filterBranchSchema: z.ZodType<FilterBranch> = z.lazy(() =>
  z.object({
    filterBranchType: z.enum(['OR', 'AND']),
    filters: z.array(propertyFilterSchema),
    filterBranches: z.array(filterBranchSchema),
  }),
);

/** The root must be an OR branch whose children are AND branches (NOTES §7). */
export const rootFilterBranchSchema = filterBranchSchema.superRefine((branch, ctx) => {
  if (branch.filterBranchType !== 'OR')
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['filterBranchType'],
      message: 'the root branch must be OR',
    });
  branch.filterBranches.forEach((child, i) => {
    if (child.filterBranchType !== 'AND')
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['filterBranches', i, 'filterBranchType'],
        message: 'children of the root branch must be AND',
      });
  });
});

/** A list definition's filter, as `{ "filterBranch": … }` in NOTES §7. */
export const listFilterSchema = z.object({ filterBranch: rootFilterBranchSchema });
export type ListFilter = z.infer<typeof listFilterSchema>;

/** Filter-based workflow enrollment (Automation v4, NOTES §7). */
export const enrollmentCriteriaSchema = z.object({
  type: z.literal('LIST_BASED'),
  listFilterBranch: rootFilterBranchSchema,
  shouldReEnroll: z.boolean(),
  reEnrollmentTriggersFilterBranches: z.array(filterBranchSchema),
  unEnrollObjectsNotMeetingCriteria: z.boolean(),
});

/** Our properties are contact properties, so the workflow is a contact workflow (`CONTACT_FLOW`, NOTES §7). */
export const workflowCriterionSchema = z.object({
  type: z.literal('CONTACT_FLOW'),
  objectTypeId: z.literal('0-1').optional(),
  enrollmentCriteria: enrollmentCriteriaSchema,
});
export type WorkflowCriterion = z.infer<typeof workflowCriterionSchema>;
