import type { HubSpotObject } from './hubspot-object';
import { finishMapping, rejected, type MapOutcome } from './map-outcome';
import { PRODUCT_PROPERTIES as P } from './read-properties';
import { firstText, readNumber, text } from './property-values';

/** HubSpot product → Product; the category is the first of PRODUCT_PROPERTIES.category that is set. */
export function mapProduct(product: HubSpotObject): MapOutcome<'product'> {
  const props = product.properties ?? {};
  const id = String(product.id ?? '');
  if (id === '') return rejected('product', '(no id)', 'id: is required but was not provided');
  const warnings: string[] = [];
  const price = readNumber(props, P.price);
  if (!price.ok) warnings.push(`${price.problem}; value dropped`);
  return finishMapping(
    'product',
    {
      id,
      name: text(props, P.name),
      category: firstText(props, P.category)?.value,
      price: price.ok ? price.value : undefined,
    },
    warnings,
  );
}
