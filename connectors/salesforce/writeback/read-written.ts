/**
 * What Contact holds now in contract fields of given contacts, as the text a write is recorded as
 * (heldAsWritten): SOQL by id, in IN lists of IN_LIST_SIZE so every query stays far below the limits.
 * Write-back uses it to settle batches a killed process sent but never recorded as confirmed.
 */
import type { WrittenFields } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import { queryAllRecords } from '../query-pages';
import type { SalesforceCaller } from '../salesforce-caller';
import { chunk, IN_LIST_SIZE, inList } from '../soql';
import { CONTRACT_BY_NAME, type ContractField } from './contract-fields';
import { heldAsWritten } from './field-values';

const SALESFORCE_ID = /^[A-Za-z0-9]{15,18}$/;

export async function readWrittenFields(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  ids: readonly string[],
  names: readonly string[],
): Promise<Map<string, WrittenFields>> {
  const values = new Map<string, WrittenFields>();
  const fields = names
    .map((name) => CONTRACT_BY_NAME.get(name))
    .filter((f): f is ContractField => f !== undefined);
  // An id that is not a Salesforce id names no contact: it stays absent, like a deleted one.
  const wanted = [...new Set(ids)].filter((id) => SALESFORCE_ID.test(id));
  if (fields.length === 0 || wanted.length === 0) return values;
  const select = ['Id', ...fields.map((f) => f.field)].join(', ');
  for (const part of chunk(wanted, IN_LIST_SIZE)) {
    const rows = await queryAllRecords(
      sf,
      caller,
      `SELECT ${select} FROM Contact WHERE Id IN ${inList(part)}`,
    );
    for (const row of rows) {
      const held: Record<string, string> = {};
      for (const field of fields) held[field.name] = heldAsWritten(field, row[field.field]);
      values.set(String(row.Id), held);
    }
  }
  return values;
}
