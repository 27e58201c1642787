/**
 * The property contract's Contact fields (DESIGN) defined directly in a Salesforce sandbox org. In a real org
 * an admin deploys them from the cards/salesforce metadata (or the connector's Metadata API deployer creates
 * them); until that deployer lands, ensureFields against the sandbox can only check, so the demo and the tests
 * define them with the sandbox's own defineCustomField when they start it.
 */
import type { SalesforceSandbox } from '../../connectors/salesforce/sandbox';
import { CONTRACT_FIELDS } from '../../connectors/salesforce/writeback/contract-fields';
import { optionValue, RFM_SEGMENTS } from '../../domain/rfm-segments';
import { CHURN_RISKS, RETENTION_GROUPS } from '../../domain/score';

/**
 * Restricted picklists get the contract's closed value sets (the values written: RFM segments as their snake
 * option values); segment ids and interests are data, so those picklists are open.
 */
const PICKLIST_VALUES: Readonly<Record<string, readonly string[]>> = {
  clv_rfm_segment: RFM_SEGMENTS.map(optionValue),
  clv_churn_risk: CHURN_RISKS,
  clv_retention_group: RETENTION_GROUPS,
};

export function defineContractFields(sandbox: Pick<SalesforceSandbox, 'defineCustomField'>): void {
  for (const f of CONTRACT_FIELDS) {
    const values = PICKLIST_VALUES[f.name];
    sandbox.defineCustomField('Contact', {
      name: f.field,
      type: f.type,
      ...(f.type === 'Text' ? { length: f.length } : {}),
      ...(f.scale !== undefined ? { scale: f.scale } : {}),
      ...(f.type === 'Picklist'
        ? values === undefined
          ? { values: [], restricted: false }
          : { values: [...values], restricted: true }
        : {}),
    });
  }
}
