/**
 * Org automation the connector's write-backs meet in a real org (NOTES §5.2): a validation rule that rejects
 * saves of chosen records with a per-record FIELD_CUSTOM_VALIDATION_EXCEPTION, and a record-triggered,
 * after-save Flow on Contact that inserts one follow-up Task when CLV_Churn_Risk__c is updated *to* 'high'
 * ("only when a record is updated to meet the condition requirements": re-saving an already-high contact does
 * not fire it again).
 */

import { insertRecord, type OrgStore, type SfRecord } from './org-store';
import type { RecordError } from './salesforce-error';

export type Automation = {
  /** Contact ids (18-character) whose updates the validation rule rejects. */
  validationRejectIds: Set<string>;
  /** The churn-risk Flow; on by default (it only acts once the field exists). */
  churnRiskFlow: boolean;
};

export type AutomationOptions = { validationRejectIds?: Iterable<string>; churnRiskFlow?: boolean };

export function createAutomation(options: AutomationOptions = {}): Automation {
  return {
    validationRejectIds: new Set(options.validationRejectIds ?? []),
    churnRiskFlow: options.churnRiskFlow ?? true,
  };
}

export const CHURN_RISK_FIELD = 'CLV_Churn_Risk__c';
export const FLOW_TASK_SUBJECT = 'Retention call: churn risk is high';

/** Before save: the validation rule's verdict on one update. */
export function validationErrors(automation: Automation, type: string, id: string): RecordError[] {
  if (type !== 'Contact' || !automation.validationRejectIds.has(id)) return [];
  return [
    {
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'This contact is locked for automated updates (sandbox validation rule).',
      fields: [],
    },
  ];
}

/** After save: the Flow, given the value before the save. Returns the Task it inserted, if any. */
export function runAfterSaveFlows(
  automation: Automation,
  store: OrgStore,
  type: string,
  record: SfRecord,
  prior: unknown,
  at: string,
): SfRecord | undefined {
  if (!automation.churnRiskFlow || type !== 'Contact') return undefined;
  if (record[CHURN_RISK_FIELD] !== 'high' || prior === 'high') return undefined;
  return insertRecord(
    store,
    'Task',
    {
      Subject: FLOW_TASK_SUBJECT,
      WhoId: record.Id,
      OwnerId: record.OwnerId,
      Status: 'Not Started',
      Priority: 'High',
      TaskSubtype: 'Task',
      ActivityDate: at.slice(0, 10),
    },
    at,
  );
}
