/**
 * Which HubSpot lists keep managers' segments at hand (issue P8, "Segment lists"): one DYNAMIC contact list
 * per behavioural segment, RFM segment, churn-risk band and retention arm, each a filter on the enumeration
 * property write-back fills. Names are `CLV · <segment>`; the RFM, risk and arm lists say which scale they are
 * on, so a behavioural segment called "Champions" and the RFM segment of that name stay two lists.
 * Filters compare option values, never labels (NOTES §7). Pure: no I/O.
 */
import {
  CHURN_RISK_OPTIONS,
  RETENTION_GROUP_OPTIONS,
  RFM_SEGMENT_OPTIONS,
  segmentOptions,
} from '../property-contract';
import { enumerationFilter, rootBranch, type FilterBranch } from '../filters';

export type SegmentListKind = 'segment' | 'rfm' | 'churn_risk' | 'retention_group';

export type SegmentListSpec = {
  name: string;
  kind: SegmentListKind;
  property: string;
  value: string;
};

export const LIST_NAME_PREFIX = 'CLV · ';

export function segmentListSpecs(segments: readonly { id: string; name: string }[]): SegmentListSpec[] {
  const specs: SegmentListSpec[] = [];
  for (const o of segmentOptions(segments))
    specs.push({
      name: `${LIST_NAME_PREFIX}${o.label}`,
      kind: 'segment',
      property: 'clv_segment',
      value: o.value,
    });
  for (const o of RFM_SEGMENT_OPTIONS)
    specs.push({
      name: `${LIST_NAME_PREFIX}RFM ${o.label}`,
      kind: 'rfm',
      property: 'clv_rfm_segment',
      value: o.value,
    });
  for (const o of CHURN_RISK_OPTIONS)
    specs.push({
      name: `${LIST_NAME_PREFIX}${o.label} churn risk`,
      kind: 'churn_risk',
      property: 'clv_churn_risk',
      value: o.value,
    });
  for (const o of RETENTION_GROUP_OPTIONS.filter((r) => r.value !== 'none'))
    specs.push({
      name: `${LIST_NAME_PREFIX}Retention ${o.value}`,
      kind: 'retention_group',
      property: 'clv_retention_group',
      value: o.value,
    });
  return specs;
}

/** The list's filterBranch: "<property> is any of [<value>]" in the root OR / AND shape (filters/). */
export function filterBranchFor(spec: Pick<SegmentListSpec, 'property' | 'value'>): FilterBranch {
  return rootBranch([enumerationFilter(spec.property, [spec.value])]);
}

type AnyBranch = { filterBranchType?: unknown; filterBranches?: unknown; filters?: unknown };

/**
 * The branch reduced to what decides membership (branch types, filter property, operation type, operator,
 * sorted values, the no-value flag), as a string: HubSpot echoes extra fields (filterBranchOperator) and may
 * order keys differently, which must not count as a change.
 */
export function filterBranchKey(branch: unknown): string {
  const walk = (b: AnyBranch): unknown => ({
    t: b.filterBranchType,
    f: (Array.isArray(b.filters) ? b.filters : []).map((f: Record<string, unknown>) => {
      const op = (f.operation ?? {}) as Record<string, unknown>;
      return [
        f.filterType,
        f.property,
        op.operationType,
        op.operator,
        Array.isArray(op.values) ? [...op.values].map(String).sort() : op.value,
        op.includeObjectsWithNoValueSet === true,
      ];
    }),
    b: (Array.isArray(b.filterBranches) ? b.filterBranches : []).map((c) => walk(c as AnyBranch)),
  });
  return JSON.stringify(walk((branch ?? {}) as AnyBranch));
}
