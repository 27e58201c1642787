/**
 * The property contract's Contact fields defined directly in a sandbox org (the sandbox's defineCustomField,
 * visible without a permission set), as an admin's deploy of cards/salesforce leaves them: for the check-only
 * mode (`fields: 'check'`), where ensureFields only describes. Definitions from contract-fields.ts.
 */
import type { SalesforceSandbox } from '../../../../connectors/salesforce/sandbox';
import { CONTRACT_FIELDS } from '../../../../connectors/salesforce/writeback/contract-fields';

export function defineContractFields(sandbox: Pick<SalesforceSandbox, 'defineCustomField'>): void {
  for (const f of CONTRACT_FIELDS)
    sandbox.defineCustomField('Contact', {
      name: f.field,
      label: f.label,
      type: f.type,
      ...(f.type === 'Text' ? { length: f.length } : {}),
      ...(f.precision !== undefined ? { precision: f.precision, scale: f.scale } : {}),
      ...(f.type === 'Picklist'
        ? { values: (f.values ?? []).map((v) => v.value), restricted: f.restricted === true }
        : {}),
    });
}
