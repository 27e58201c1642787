/**
 * DESIGN's property contract on the Salesforce side: contract name (what scores and the store speak) → Contact
 * custom field, its type, and for text its length. Which fields exist is checked with describe (ensureFields).
 */
export type SalesforceFieldType =
  'Picklist' | 'Text' | 'Currency' | 'Number' | 'Percent' | 'Date' | 'DateTime';

export type ContractField = {
  /** The contract's name, e.g. clv_segment (the key of FieldValues and of what is recorded as written). */
  name: string;
  /** The Contact field, e.g. CLV_Segment__c. */
  field: string;
  type: SalesforceFieldType;
  /** Text length, or decimal places written for numbers. */
  length?: number;
  scale?: number;
};

export const CONTRACT_FIELDS: readonly ContractField[] = [
  { name: 'clv_segment', field: 'CLV_Segment__c', type: 'Picklist' },
  { name: 'clv_rfm_segment', field: 'CLV_RFM_Segment__c', type: 'Picklist' },
  { name: 'clv_rfm_score', field: 'CLV_RFM_Score__c', type: 'Text', length: 3 },
  { name: 'clv_predicted_12m', field: 'CLV_Predicted_12M__c', type: 'Currency', scale: 2 },
  { name: 'clv_historic', field: 'CLV_Historic__c', type: 'Currency', scale: 2 },
  { name: 'clv_expected_orders_12m', field: 'CLV_Expected_Orders_12M__c', type: 'Number', scale: 2 },
  // Percent fields hold 0–100 (DESIGN); two decimals of a percent = four of our 0–1 probability.
  { name: 'clv_p_alive', field: 'CLV_P_Alive__c', type: 'Percent', scale: 2 },
  { name: 'clv_churn_probability', field: 'CLV_Churn_Probability__c', type: 'Percent', scale: 2 },
  { name: 'clv_churn_risk', field: 'CLV_Churn_Risk__c', type: 'Picklist' },
  { name: 'clv_next_order_date', field: 'CLV_Next_Order_Date__c', type: 'Date' },
  { name: 'clv_next_best_action', field: 'CLV_Next_Best_Action__c', type: 'Text', length: 255 },
  { name: 'clv_recommended_products', field: 'CLV_Recommended_Products__c', type: 'Text', length: 255 },
  { name: 'clv_interest', field: 'CLV_Interest__c', type: 'Picklist' },
  { name: 'clv_top_churn_driver', field: 'CLV_Top_Churn_Driver__c', type: 'Text', length: 255 },
  { name: 'clv_retention_group', field: 'CLV_Retention_Group__c', type: 'Picklist' },
  { name: 'clv_scored_at', field: 'CLV_Scored_At__c', type: 'DateTime' },
  { name: 'clv_model_version', field: 'CLV_Model_Version__c', type: 'Text', length: 40 },
];

export const CONTRACT_BY_NAME: ReadonlyMap<string, ContractField> = new Map(
  CONTRACT_FIELDS.map((f) => [f.name, f]),
);

/**
 * Written only together with another changed field: it differs on every run, so diffing it would make every
 * contact "changed" (as the HubSpot write-back does).
 */
export const COMPANION_FIELDS: ReadonlySet<string> = new Set(['clv_scored_at']);
