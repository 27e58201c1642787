/**
 * Which Contact list views keep managers' segments at hand in Salesforce (issue P8, "Segment lists"), the same
 * set as the HubSpot lists: one per behavioural segment, RFM segment, churn-risk band and retention arm
 * (treatment, control), each filtering the picklist write-back fills on its value. Labels are those of the
 * HubSpot lists (`CLV · <segment>`, `CLV · RFM Champions`, `CLV · High churn risk`, `CLV · Retention
 * treatment`); the developer name comes from the kind and the picklist value, never the label, so a renamed
 * segment relabels its view instead of adding one. Pure: no I/O.
 * ListView fields: Metadata API Developer Guide, "ListView" (sandbox NOTES-list-views-campaigns.md §1).
 */
import { createHash } from 'node:crypto';
import { CONTRACT_BY_NAME } from '../writeback/contract-fields';
import { CONTACT } from '../writeback/deploy-fields';

export type ListViewKind = 'segment' | 'rfm' | 'churn_risk' | 'retention_group';

export type ListViewSpec = {
  /** `Contact.CLV_<kind>_<value slug>`. */
  fullName: string;
  label: string;
  kind: ListViewKind;
  /** Contract name of the filtered field (clv_segment …) and its Contact field. */
  contract: string;
  field: string;
  value: string;
};

/** A ListView component as the Metadata API takes it (element order of the Metadata WSDL). */
export type ListViewMetadata = {
  fullName: string;
  columns: string[];
  filterScope: 'Everything';
  filters: { field: string; operation: 'equals'; value: string }[];
  label: string;
};

export const LIST_VIEW_LABEL_PREFIX = 'CLV · ';
/** ListView labels and developer names hold at most 40 characters. */
export const LIST_VIEW_NAME_MAX = 40;

/** Name, then the CLV, churn and segment fields a manager sorts and scans by. */
export const LIST_VIEW_COLUMNS: readonly string[] = [
  'FULL_NAME',
  'CONTACT.EMAIL',
  'CLV_Predicted_12M__c',
  'CLV_Churn_Probability__c',
  'CLV_Churn_Risk__c',
  'CLV_Segment__c',
  'CLV_RFM_Segment__c',
  'CLV_Retention_Group__c',
];

const KIND_PREFIX: Readonly<Record<ListViewKind, string>> = {
  segment: 'CLV_Segment',
  rfm: 'CLV_RFM',
  churn_risk: 'CLV_Churn',
  retention_group: 'CLV_Retention',
};

/**
 * A developer name from the kind and value: letters and digits, single underscores, at most 40 characters;
 * a longer one keeps its start and gets 8 hex characters of the value's hash, so two long values stay apart.
 */
export function developerName(kind: ListViewKind, value: string): string {
  const slug = value
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_');
  const name = `${KIND_PREFIX[kind]}_${slug || 'x'}`;
  if (name.length <= LIST_VIEW_NAME_MAX) return name;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${name.slice(0, LIST_VIEW_NAME_MAX - 9).replace(/_+$/, '')}_${hash}`;
}

/** A label of at most 40 characters, cut with an ellipsis. */
function fitLabel(label: string): string {
  return label.length <= LIST_VIEW_NAME_MAX ? label : `${label.slice(0, LIST_VIEW_NAME_MAX - 1)}…`;
}

function valuesOf(contract: string): { value: string; label: string }[] {
  return [...(CONTRACT_BY_NAME.get(contract)?.values ?? [])];
}

export function listViewSpecs(segments: readonly { id: string; name: string }[]): ListViewSpec[] {
  const spec = (kind: ListViewKind, contract: string, value: string, label: string): ListViewSpec => ({
    fullName: `${CONTACT}.${developerName(kind, value)}`,
    label: fitLabel(`${LIST_VIEW_LABEL_PREFIX}${label}`),
    kind,
    contract,
    field: CONTRACT_BY_NAME.get(contract)!.field,
    value,
  });
  return [
    ...segments.map((s) => spec('segment', 'clv_segment', s.id, s.name)),
    ...valuesOf('clv_rfm_segment').map((o) => spec('rfm', 'clv_rfm_segment', o.value, `RFM ${o.label}`)),
    ...valuesOf('clv_churn_risk').map((o) =>
      spec('churn_risk', 'clv_churn_risk', o.value, `${o.label} churn risk`),
    ),
    ...valuesOf('clv_retention_group')
      .filter((o) => o.value !== 'none')
      .map((o) => spec('retention_group', 'clv_retention_group', o.value, `Retention ${o.value}`)),
  ];
}

export function listViewMetadata(spec: ListViewSpec): ListViewMetadata {
  return {
    fullName: spec.fullName,
    columns: [...LIST_VIEW_COLUMNS],
    filterScope: 'Everything',
    filters: [{ field: spec.field, operation: 'equals', value: spec.value }],
    label: spec.label,
  };
}

/** What a readMetadata record of a ListView holds (jsforce unwraps lists of one). */
export type ReadListView = {
  fullName?: string;
  booleanFilter?: string;
  columns?: string | string[];
  filterScope?: string;
  filters?: ReadFilter | ReadFilter[];
  label?: string;
};
type ReadFilter = { field?: string; operation?: string; value?: string };

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/**
 * Whether the stored view differs from the wanted one in what users see or what decides membership: label,
 * scope, the filters (field, operation, value; field names compared without case, as the API does) and the
 * logic, and the columns in order.
 */
export function listViewDiffers(want: ListViewMetadata, have: ReadListView): boolean {
  const filterKey = (f: ReadFilter) =>
    `${String(f.field ?? '').toLowerCase()}|${f.operation ?? ''}|${String(f.value ?? '')}`;
  return (
    have.label !== want.label ||
    have.filterScope !== want.filterScope ||
    (have.booleanFilter ?? '') !== '' ||
    asArray(have.filters).map(filterKey).join('\n') !== want.filters.map(filterKey).join('\n') ||
    asArray(have.columns).join('\n').toLowerCase() !== want.columns.join('\n').toLowerCase()
  );
}
