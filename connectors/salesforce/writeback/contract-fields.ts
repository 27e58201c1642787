/**
 * DESIGN's property contract on the Salesforce side: contract name (what scores and the store speak) → Contact
 * custom field, its type and size, label and description, and picklist values. Which fields exist is checked with
 * describe; deploy-fields.ts creates them through the Metadata API (ensureFields).
 */
import { optionValue, RFM_SEGMENTS } from '../../../domain/rfm-segments';
import { CHURN_RISKS, RETENTION_GROUPS } from '../../../domain/score';

export type SalesforceFieldType =
  'Picklist' | 'Text' | 'Currency' | 'Number' | 'Percent' | 'Date' | 'DateTime';

export type ContractField = {
  /** The contract's name, e.g. clv_segment (the key of FieldValues and of what is recorded as written). */
  name: string;
  /** The Contact field, e.g. CLV_Segment__c. */
  field: string;
  type: SalesforceFieldType;
  /** Text length. */
  length?: number;
  /** Total digits of Number, Currency and Percent fields (the Metadata API's precision). */
  precision?: number;
  /** Decimal places written for numbers. */
  scale?: number;
  /** The field's label and description as the Metadata API (and the SFDX source in cards/salesforce) define it. */
  label: string;
  description: string;
  /**
   * Picklists: restricted ones accept only `values`; open ones start with `values` and get each run's values
   * added (segment ids, interests), as HubSpot's enumeration options do.
   */
  restricted?: boolean;
  values?: readonly PicklistOption[];
};

/** A picklist value: `value` is the API name written (an option value), `label` what users see. */
export type PicklistOption = { value: string; label: string };

const capitalised = (value: string): PicklistOption => ({
  value,
  label: value.charAt(0).toUpperCase() + value.slice(1),
});
/** Labels as option values: the value is the label's snake form (domain/rfm-segments.ts optionValue). */
export const labelled = (label: string): PicklistOption => ({ value: optionValue(label), label });

const money = { type: 'Currency', precision: 18, scale: 2 } as const;
// Percent fields hold 0–100 (DESIGN); two decimals of a percent = four of our 0–1 probability.
const percent = { type: 'Percent', precision: 5, scale: 2 } as const;

/**
 * The one definition of the contract's Contact fields: what write-back converts values with, what the Metadata
 * API deployer creates (deploy-fields.ts), and what cards/salesforce's SFDX source must agree with (tested).
 */
export const CONTRACT_FIELDS: readonly ContractField[] = [
  {
    name: 'clv_segment',
    field: 'CLV_Segment__c',
    type: 'Picklist',
    label: 'CLV segment',
    description:
      'Behavioural segment computed by crm-clv; the stable segment id is the value (write-back adds a run’s segments)',
    restricted: false,
    values: [],
  },
  {
    name: 'clv_rfm_segment',
    field: 'CLV_RFM_Segment__c',
    type: 'Picklist',
    label: 'RFM segment',
    description: 'RFM segment, Champions … Lost',
    restricted: true,
    values: RFM_SEGMENTS.map(labelled),
  },
  {
    name: 'clv_rfm_score',
    field: 'CLV_RFM_Score__c',
    type: 'Text',
    length: 3,
    label: 'RFM score',
    description: 'Recency, frequency and monetary scores 1–5, e.g. 545',
  },
  {
    name: 'clv_predicted_12m',
    field: 'CLV_Predicted_12M__c',
    ...money,
    label: 'Predicted CLV (12 months)',
    description: 'Discounted predicted CLV, next 12 months',
  },
  {
    name: 'clv_historic',
    field: 'CLV_Historic__c',
    ...money,
    label: 'Historic CLV',
    description: 'Revenue to date',
  },
  {
    name: 'clv_expected_orders_12m',
    field: 'CLV_Expected_Orders_12M__c',
    // DESIGN's Number(8,2): 8 digits before the point and 2 after.
    type: 'Number',
    precision: 10,
    scale: 2,
    label: 'Expected orders (12 months)',
    description: 'Expected orders, next 12 months',
  },
  {
    name: 'clv_p_alive',
    field: 'CLV_P_Alive__c',
    ...percent,
    label: 'Probability alive',
    description: 'Probability the customer is still active',
  },
  {
    name: 'clv_churn_probability',
    field: 'CLV_Churn_Probability__c',
    ...percent,
    label: 'Churn probability',
    description: 'Probability of churn',
  },
  {
    name: 'clv_churn_risk',
    field: 'CLV_Churn_Risk__c',
    type: 'Picklist',
    label: 'Churn risk',
    description: 'Churn risk band: low, medium, high',
    restricted: true,
    values: CHURN_RISKS.map(capitalised),
  },
  {
    name: 'clv_next_order_date',
    field: 'CLV_Next_Order_Date__c',
    type: 'Date',
    label: 'Next order date',
    description: 'Expected date of the next order',
  },
  {
    name: 'clv_next_best_action',
    field: 'CLV_Next_Best_Action__c',
    type: 'Text',
    length: 255,
    label: 'Next best action',
    description: 'Top next best action',
  },
  {
    name: 'clv_recommended_products',
    field: 'CLV_Recommended_Products__c',
    type: 'Text',
    length: 255,
    label: 'Recommended products',
    description: 'Top 3 recommended product names, for email personalisation',
  },
  {
    name: 'clv_interest',
    field: 'CLV_Interest__c',
    type: 'Picklist',
    label: 'Interest',
    description: 'Interest segment: the category the customer buys most (write-back adds a run’s categories)',
    restricted: false,
    values: ['Varied', 'Unknown'].map(labelled),
  },
  {
    name: 'clv_top_churn_driver',
    field: 'CLV_Top_Churn_Driver__c',
    type: 'Text',
    length: 255,
    label: 'Top churn driver',
    description: 'The first churn driver, in words',
  },
  {
    name: 'clv_retention_group',
    field: 'CLV_Retention_Group__c',
    type: 'Picklist',
    label: 'Retention group',
    description: 'Retention experiment arm',
    restricted: true,
    values: RETENTION_GROUPS.map(capitalised),
  },
  {
    name: 'clv_scored_at',
    field: 'CLV_Scored_At__c',
    type: 'DateTime',
    label: 'CLV scored at',
    description: 'When crm-clv last scored this contact',
  },
  {
    name: 'clv_model_version',
    field: 'CLV_Model_Version__c',
    type: 'Text',
    length: 40,
    label: 'CLV model version',
    description: 'Model version that produced the scores',
  },
];

export const CONTRACT_BY_NAME: ReadonlyMap<string, ContractField> = new Map(
  CONTRACT_FIELDS.map((f) => [f.name, f]),
);

/**
 * Written only together with another changed field: it differs on every run, so diffing it would make every
 * contact "changed" (as the HubSpot write-back does).
 */
export const COMPANION_FIELDS: ReadonlySet<string> = new Set(['clv_scored_at']);
