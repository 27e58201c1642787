/**
 * DESIGN's property contract as HubSpot property-create bodies (NOTES §4.5): group `clv`, one property per
 * written score. Option `value`s are stable identifiers, because list filters and workflow criteria match
 * option values, not labels (NOTES §7).
 */
import { optionValue, RFM_SEGMENTS } from '../../domain/rfm-segments';

export const CLV_GROUP = { name: 'clv', label: 'Customer lifetime value', displayOrder: -1 } as const;

export type PropertyType = 'bool' | 'enumeration' | 'date' | 'datetime' | 'string' | 'number';

/** Valid type → fieldType pairs (NOTES §4.5). */
export const FIELD_TYPES_BY_TYPE: Readonly<Record<PropertyType, readonly string[]>> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
};

export function isValidFieldType(type: PropertyType, fieldType: string): boolean {
  return FIELD_TYPES_BY_TYPE[type].includes(fieldType);
}

/** Option as the API takes it; the spec requires label, value and hidden (NOTES §4.5). */
export type PropertyOption = { label: string; value: string; displayOrder: number; hidden: boolean };

export type PropertyCreate = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  formField: boolean;
  hasUniqueValue: boolean;
  displayOrder: number;
  options?: PropertyOption[];
};

function options(labels: readonly string[]): PropertyOption[] {
  return labels.map((label, displayOrder) => ({
    label,
    value: optionValue(label),
    displayOrder,
    hidden: false,
  }));
}

export const RFM_SEGMENT_OPTIONS: readonly PropertyOption[] = options(RFM_SEGMENTS);
export const CHURN_RISK_OPTIONS: readonly PropertyOption[] = options(['low', 'medium', 'high']).map((o) => ({
  ...o,
  label: o.label.charAt(0).toUpperCase() + o.label.slice(1),
}));
export const RETENTION_GROUP_OPTIONS: readonly PropertyOption[] = options([
  'treatment',
  'control',
  'none',
]).map((o) => ({ ...o, label: o.label.charAt(0).toUpperCase() + o.label.slice(1) }));

type Spec = [name: string, label: string, type: PropertyType, fieldType: string, description: string];

const SPECS: readonly Spec[] = [
  ['clv_segment', 'CLV segment', 'enumeration', 'select', 'Behavioural segment computed by crm-clv'],
  ['clv_rfm_segment', 'RFM segment', 'enumeration', 'select', 'RFM segment, Champions … Lost'],
  ['clv_rfm_score', 'RFM score', 'string', 'text', 'Recency, frequency and monetary scores 1–5, e.g. 545'],
  [
    'clv_predicted_12m',
    'Predicted CLV (12 months)',
    'number',
    'number',
    'Discounted predicted CLV, next 12 months',
  ],
  ['clv_historic', 'Historic CLV', 'number', 'number', 'Revenue to date'],
  [
    'clv_expected_orders_12m',
    'Expected orders (12 months)',
    'number',
    'number',
    'Expected orders, next 12 months',
  ],
  ['clv_p_alive', 'Probability alive', 'number', 'number', 'Probability the customer is still active, 0–1'],
  ['clv_churn_probability', 'Churn probability', 'number', 'number', 'Probability of churn, 0–1'],
  ['clv_churn_risk', 'Churn risk', 'enumeration', 'select', 'Churn risk band: low, medium, high'],
  ['clv_next_order_date', 'Next order date', 'date', 'date', 'Expected date of the next order'],
  ['clv_next_best_action', 'Next best action', 'string', 'text', 'Top next best action'],
  [
    'clv_recommended_products',
    'Recommended products',
    'string',
    'text',
    'Top 3 recommended product names, for email personalisation',
  ],
  [
    'clv_interest',
    'Interest',
    'enumeration',
    'select',
    'Interest segment: the category the customer buys most',
  ],
  ['clv_top_churn_driver', 'Top churn driver', 'string', 'text', 'The first churn driver, in words'],
  ['clv_retention_group', 'Retention group', 'enumeration', 'select', 'Retention experiment arm'],
  ['clv_scored_at', 'CLV scored at', 'datetime', 'date', 'When crm-clv last scored this contact'],
  ['clv_model_version', 'CLV model version', 'string', 'text', 'Model version that produced the scores'],
];

const FIXED_OPTIONS: Readonly<Record<string, readonly PropertyOption[]>> = {
  clv_rfm_segment: RFM_SEGMENT_OPTIONS,
  clv_churn_risk: CHURN_RISK_OPTIONS,
  clv_retention_group: RETENTION_GROUP_OPTIONS,
  // clv_segment and clv_interest options come from the run (segmentOptions, interestOptions), added before
  // they are written.
  clv_segment: [],
  clv_interest: [],
};

/** The contact properties to create, in DESIGN order, each a valid PropertyCreate body. */
export const CLV_PROPERTIES: readonly PropertyCreate[] = SPECS.map(
  ([name, label, type, fieldType, description], i) => {
    const body: PropertyCreate = {
      name,
      label,
      type,
      fieldType,
      groupName: CLV_GROUP.name,
      description,
      formField: false,
      hasUniqueValue: false,
      displayOrder: i,
    };
    const fixed = FIXED_OPTIONS[name];
    return fixed === undefined ? body : { ...body, options: fixed.map((o) => ({ ...o })) };
  },
);

export const CLV_PROPERTY_NAMES: readonly string[] = CLV_PROPERTIES.map((p) => p.name);

/** clv_segment options for a run's segments: the stable segment id is the value, the name the label (DESIGN). */
export function segmentOptions(segments: readonly { id: string; name: string }[]): PropertyOption[] {
  return segments.map((s, displayOrder) => ({ label: s.name, value: s.id, displayOrder, hidden: false }));
}

/** clv_interest options for a run's interests: the snake value of the name, the name as label. */
export function interestOptions(interests: readonly string[]): PropertyOption[] {
  return options(interests);
}

/**
 * Options of `wanted` whose value is not among `existing`, numbered after the existing ones, to append before
 * a batch update uses them (an unknown option value is a 400 VALIDATION_ERROR, NOTES §7). Compared by value
 * only: a relabelled option keeps its value, so lists and workflows filtering on it keep working.
 * Example: missingOptions([{ value: 'low', … }], CHURN_RISK_OPTIONS) → the medium and high options.
 */
export function missingOptions(
  existing: readonly Pick<PropertyOption, 'value' | 'displayOrder'>[],
  wanted: readonly PropertyOption[],
): PropertyOption[] {
  const have = new Set(existing.map((o) => o.value));
  let next = existing.reduce((max, o) => Math.max(max, o.displayOrder), -1) + 1;
  const missing: PropertyOption[] = [];
  for (const option of wanted) {
    if (have.has(option.value)) continue;
    have.add(option.value);
    missing.push({ ...option, displayOrder: next++ });
  }
  return missing;
}
