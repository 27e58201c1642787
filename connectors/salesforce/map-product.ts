import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { text } from './record-values';

/**
 * Salesforce Product2 → Product; Family is the category. Product2 carries no price (prices live in price book
 * entries), so none is set; order lines carry what was charged.
 */
export function mapProduct(product: SalesforceRecord): MapOutcome<'product'> {
  const id = text(product, 'Id');
  if (id === undefined) return rejected('product', '(no id)', 'Id: is required but was not provided');
  return finishMapping('product', { id, name: text(product, 'Name'), category: text(product, 'Family') }, []);
}
