/**
 * One line per segment for the card: what the segment's customers have in common, in a rep's words. Keyed by
 * the behavioural segment kind (a qualified name such as "Occasional (higher spend)" finds its kind) and by
 * RFM segment; the compiler checks every kind and segment has one.
 */
import { type RfmSegment } from '../../domain/rfm-segments';
import { behaviouralSegmentKind, type BehaviouralSegmentKind } from '../../domain/segment-kinds';

export const BEHAVIOURAL_DESCRIPTIONS: Record<BehaviouralSegmentKind, string> = {
  'High-value loyal': 'Buys often, spends the most and is still active: the customers to keep close.',
  'Loyal regulars': 'Orders regularly at a steady spend; reliable, and worth rewarding.',
  'New big spenders': 'Started recently with large orders: turn the first big purchase into a habit.',
  'New low spenders': 'Started recently with small orders: show what else fits their needs.',
  'New customers': 'Bought for the first time recently: the next weeks decide whether they return.',
  'Recent big spenders': 'Bought recently and spent well above average.',
  'Active occasional': 'Buys now and then and has ordered lately.',
  'Lapsing big spenders': 'Spent a lot but has been quiet for longer than usual: at risk of leaving.',
  'Lost one-timers': 'Bought once, long ago, and has not been back.',
  'Lapsed occasional': 'Used to buy now and then; quiet for a long time.',
  'Cooling high-value': 'Valuable and used to buy often, but orders are slowing down.',
  'Cooling big spenders': 'Big orders in the past, fewer lately.',
  'Cooling regulars': 'Regular buyers whose orders are getting further apart.',
  'Occasional low spenders': 'Small orders now and then.',
  Occasional: 'Buys now and then at an average spend.',
};

export const RFM_DESCRIPTIONS: Record<RfmSegment, string> = {
  Champions: 'Bought recently, buys often and spends the most.',
  'Loyal Customers': 'Buys often and responds to attention; the base of repeat revenue.',
  'Potential Loyalists': 'Recent customers with more than one order: could become loyal.',
  'New Customers': 'Bought recently for the first time.',
  Promising: 'Recent buyers who have not spent much yet.',
  'Need Attention': 'Above-average recency, frequency and spend, but slipping.',
  'About to Sleep': 'Below-average recency and frequency: will be lost without a reason to return.',
  'At Risk': 'Spent well and bought often, but a long time ago.',
  "Can't Lose Them": 'Made the biggest and most frequent purchases, but has not been back for long.',
  Hibernating: 'Last bought long ago, few orders, low spend.',
  Lost: 'Lowest recency, frequency and spend.',
};

/** The one-line description of a behavioural segment name, else of the RFM segment, else a generic line. */
export function segmentDescription(segmentName: string | undefined, rfmSegment: string | undefined): string {
  const kind = segmentName === undefined ? undefined : behaviouralSegmentKind(segmentName);
  if (kind !== undefined) return BEHAVIOURAL_DESCRIPTIONS[kind];
  if (rfmSegment !== undefined && rfmSegment in RFM_DESCRIPTIONS)
    return RFM_DESCRIPTIONS[rfmSegment as RfmSegment];
  return 'A segment of customers with similar buying behaviour.';
}
