/**
 * Lists/workflows filter operation types and the enumeration operators (NOTES §7). NOTES names IS_ANY_OF,
 * IS_NONE_OF, IS_EXACTLY and HAS_EVER_BEEN_ANY_OF "…"; the full enumeration set is the one in HubSpot's
 * lists-filters reference (https://developers.hubspot.com/docs/api/crm/lists-filters, the page NOTES §7 cites)
 * and in HubSpot's generated `PublicEnumerationPropertyOperation` model.
 */

export const ENUMERATION_OPERATORS = [
  'IS_ANY_OF',
  'IS_NONE_OF',
  'IS_EXACTLY',
  'IS_NOT_EXACTLY',
  'CONTAINS_ALL',
  'DOES_NOT_CONTAIN_ALL',
  'HAS_EVER_BEEN_ANY_OF',
  'HAS_NEVER_BEEN_ANY_OF',
  'HAS_EVER_BEEN_EXACTLY',
  'HAS_NEVER_BEEN_EXACTLY',
  'HAS_EVER_CONTAINED_ALL',
  'HAS_NEVER_CONTAINED_ALL',
] as const;
export type EnumerationOperator = (typeof ENUMERATION_OPERATORS)[number];

/**
 * The operation type a property's `type` takes (NOTES §7: enumeration properties `ENUMERATION`, number
 * properties `NUMBER`). Other property types are not named there, so they are not checked.
 */
export const OPERATION_TYPE_FOR_PROPERTY_TYPE: Readonly<Record<string, string>> = {
  enumeration: 'ENUMERATION',
  number: 'NUMBER',
};

/** Known/unknown checks (`IS_KNOWN`, `IS_NOT_KNOWN`) apply to a property of any type (lists-filters reference). */
export const ANY_PROPERTY_OPERATION_TYPE = 'ALL_PROPERTY';
