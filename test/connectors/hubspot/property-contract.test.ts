import { OptionInput } from '@hubspot/api-client/lib/codegen/crm/properties/models/OptionInput';
import {
  PropertyCreate,
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { PropertyGroupCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyGroupCreate';
import {
  CHURN_RISK_OPTIONS,
  CLV_GROUP,
  CLV_PROPERTIES,
  CLV_PROPERTY_NAMES,
  isValidFieldType,
  missingOptions,
  RETENTION_GROUP_OPTIONS,
  RFM_SEGMENT_OPTIONS,
  segmentOptions,
} from '../../../connectors/hubspot/property-contract';
import { optionValue } from '../../../domain/rfm-segments';

// DESIGN.md, "Property contract": HubSpot name → type.
const DESIGN_CONTRACT: [string, string][] = [
  ['clv_segment', 'enumeration'],
  ['clv_rfm_segment', 'enumeration'],
  ['clv_rfm_score', 'string'],
  ['clv_predicted_12m', 'number'],
  ['clv_historic', 'number'],
  ['clv_expected_orders_12m', 'number'],
  ['clv_p_alive', 'number'],
  ['clv_churn_probability', 'number'],
  ['clv_churn_risk', 'enumeration'],
  ['clv_next_order_date', 'date'],
  ['clv_next_best_action', 'string'],
  ['clv_recommended_products', 'string'],
  ['clv_interest', 'enumeration'],
  ['clv_top_churn_driver', 'string'],
  ['clv_retention_group', 'enumeration'],
  ['clv_scored_at', 'datetime'],
  ['clv_model_version', 'string'],
];

describe('property contract', () => {
  it('has exactly the DESIGN properties with their types, in group clv', () => {
    expect(CLV_PROPERTIES.map((p) => [p.name, p.type])).toEqual(DESIGN_CONTRACT);
    expect(CLV_GROUP).toEqual({ name: 'clv', label: 'Customer lifetime value', displayOrder: -1 });
    for (const p of CLV_PROPERTIES) expect(p.groupName).toBe('clv');
    expect(new Set(CLV_PROPERTY_NAMES).size).toBe(17);
  });

  it('uses only type/fieldType pairs NOTES §4.5 allows, and the ones the lists need', () => {
    for (const p of CLV_PROPERTIES) expect(isValidFieldType(p.type, p.fieldType)).toBe(true);
    const fieldTypes = Object.fromEntries(CLV_PROPERTIES.map((p) => [p.name, p.fieldType]));
    expect(fieldTypes.clv_segment).toBe('select');
    expect(fieldTypes.clv_scored_at).toBe('date');
    expect(fieldTypes.clv_predicted_12m).toBe('number');
    expect(isValidFieldType('datetime', 'text')).toBe(false);
    expect(isValidFieldType('number', 'text')).toBe(false);
  });

  it('carries the required PropertyCreate fields and valid options (label, value, hidden)', () => {
    for (const p of CLV_PROPERTIES) {
      for (const key of ['name', 'label', 'type', 'fieldType', 'groupName'] as const)
        expect(p[key]).toBeTruthy();
      if (p.type === 'enumeration') expect(Array.isArray(p.options)).toBe(true);
      else expect(p.options).toBeUndefined();
      for (const o of p.options ?? []) {
        expect(o.value).toMatch(/^[a-z0-9_]+$/);
        expect(o.hidden).toBe(false);
      }
    }
  });

  it('lists the 11 RFM segments, the churn risk bands and retention groups as option values', () => {
    expect(RFM_SEGMENT_OPTIONS.map((o) => o.value)).toEqual([
      'champions',
      'loyal_customers',
      'potential_loyalists',
      'new_customers',
      'promising',
      'need_attention',
      'about_to_sleep',
      'at_risk',
      'cant_lose_them',
      'hibernating',
      'lost',
    ]);
    expect(RFM_SEGMENT_OPTIONS[8].label).toBe("Can't Lose Them");
    expect(CHURN_RISK_OPTIONS.map((o) => [o.value, o.label])).toEqual([
      ['low', 'Low'],
      ['medium', 'Medium'],
      ['high', 'High'],
    ]);
    expect(RETENTION_GROUP_OPTIONS.map((o) => o.value)).toEqual(['treatment', 'control', 'none']);
    expect(CLV_PROPERTIES.find((p) => p.name === 'clv_segment')?.options).toEqual([]);
    expect(optionValue('  About to Sleep ')).toBe('about_to_sleep');
  });
});

describe('missingOptions', () => {
  it('returns the wanted options not yet on the property, numbered after the existing ones', () => {
    const existing = [{ label: 'Low', value: 'low', displayOrder: 4, hidden: false }];
    expect(missingOptions(existing, CHURN_RISK_OPTIONS)).toEqual([
      { label: 'Medium', value: 'medium', displayOrder: 5, hidden: false },
      { label: 'High', value: 'high', displayOrder: 6, hidden: false },
    ]);
  });

  it('matches by value so a relabelled option is not added twice, and adds nothing when all exist', () => {
    const existing = [{ label: 'Top customers', value: 'seg-1', displayOrder: 0, hidden: false }];
    const wanted = segmentOptions([
      { id: 'seg-1', name: 'Champions' },
      { id: 'seg-2', name: 'Bargain hunters' },
      { id: 'seg-2', name: 'Bargain hunters (dup)' },
    ]);
    expect(missingOptions(existing, wanted)).toEqual([
      { label: 'Bargain hunters', value: 'seg-2', displayOrder: 1, hidden: false },
    ]);
    expect(missingOptions(RFM_SEGMENT_OPTIONS, RFM_SEGMENT_OPTIONS)).toEqual([]);
    expect(missingOptions([], CHURN_RISK_OPTIONS).map((o) => o.displayOrder)).toEqual([0, 1, 2]);
  });
});

describe('against the SDK models (NOTES §8: the client models are the machine-readable field lists)', () => {
  it('every body field and option field is in PropertyCreate / OptionInput, with enum values the client knows', () => {
    const propertyFields = new Set(PropertyCreate.getAttributeTypeMap().map((a) => a.name));
    const optionFields = new Set(OptionInput.getAttributeTypeMap().map((a) => a.name));
    const types = new Set<string>(Object.values(PropertyCreateTypeEnum));
    const fieldTypes = new Set<string>(Object.values(PropertyCreateFieldTypeEnum));
    for (const p of CLV_PROPERTIES) {
      for (const key of Object.keys(p)) expect(propertyFields).toContain(key);
      expect(types).toContain(p.type);
      expect(fieldTypes).toContain(p.fieldType);
      for (const o of p.options ?? []) for (const key of Object.keys(o)) expect(optionFields).toContain(key);
    }
    const groupFields = new Set(PropertyGroupCreate.getAttributeTypeMap().map((a) => a.name));
    for (const key of Object.keys(CLV_GROUP)) expect(groupFields).toContain(key);
  });
});
