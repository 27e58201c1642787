/**
 * The eleven standard RFM segment names (Putler, "RFM Analysis for Successful Customer Segmentation"): the
 * analytics assign them, the CRMs hold them as enumeration options, playbooks are written per segment.
 */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalists',
  'New Customers',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose Them",
  'Hibernating',
  'Lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The option value a CRM enumeration stores for a label: lower snake case of its letters and digits, so
 * "Can't Lose Them" → "cant_lose_them". Lists and workflows compare these values, never labels.
 */
export function optionValue(label: string): string {
  return label
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
