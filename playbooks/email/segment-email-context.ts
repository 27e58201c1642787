/**
 * What a segment's email snippet can say about the segment (issue P8, "Personalised email content per
 * segment"): one context per behavioural segment and per RFM segment of a score run, built from the Scores
 * alone: size, mean predicted CLV, share at high churn risk, and the products most often recommended to its
 * customers (Score.recommendations, the first three per customer, as clv_recommended_products holds them).
 *
 * The offer: the segment's customers in the treatment arm of a live retention program whose offer is pricing
 * guidance, each with the discount the guidance finds worth offering (playbooks/pricing.ts), come in as
 * `offers`. The snippet offers them the smallest of those discounts: any discount up to a customer's own d*
 * still adds value for that customer (the offer adds p·u·V − d·O ≥ 0 for every d ≤ d*), so the smallest is
 * worth offering to each of them. No such customer in the segment: no offer.
 */
import { optionValue } from '../../domain/rfm-segments';
import type { Score } from '../../domain/score';

export type SegmentEmailContext = {
  kind: 'segment' | 'rfm';
  /** The clv_segment id, or the clv_rfm_segment option value. */
  key: string;
  segmentName: string;
  customers: number;
  averageClv: number;
  highRiskShare: number;
  /** Up to three product names, most recommended first. */
  products: string[];
  currency: string;
  /** The discount (a fraction of the next order) for the segment's treated customers, and how many; or null. */
  offer: { discount: number; customers: number } | null;
};

type Tally = {
  name: string;
  customers: number;
  clv: number;
  high: number;
  products: Map<string, number>;
  offered: number;
  discount: number;
};

export function segmentEmailContexts(
  scores: readonly Pick<
    Score,
    | 'customerId'
    | 'segmentId'
    | 'segmentName'
    | 'rfmSegment'
    | 'clvPredicted'
    | 'churnRisk'
    | 'recommendations'
  >[],
  currency: string,
  /** Customer id → the pricing guidance's discount, for customers treated with a pricing-guidance offer. */
  offers: ReadonlyMap<string, number> = new Map(),
): SegmentEmailContext[] {
  const groups = new Map<string, Tally & { kind: SegmentEmailContext['kind']; key: string }>();
  const add = (kind: SegmentEmailContext['kind'], key: string, name: string, s: (typeof scores)[number]) => {
    const id = `${kind}:${key}`;
    let t = groups.get(id);
    if (t === undefined)
      groups.set(
        id,
        (t = {
          kind,
          key,
          name,
          customers: 0,
          clv: 0,
          high: 0,
          products: new Map(),
          offered: 0,
          discount: Infinity,
        }),
      );
    t.customers++;
    t.clv += s.clvPredicted;
    if (s.churnRisk === 'high') t.high++;
    const discount = offers.get(s.customerId);
    if (discount !== undefined && discount > 0) {
      t.offered++;
      t.discount = Math.min(t.discount, discount);
    }
    for (const r of s.recommendations?.slice(0, 3) ?? [])
      t.products.set(r.productName, (t.products.get(r.productName) ?? 0) + 1);
  };
  for (const s of scores) {
    if (s.segmentId !== undefined) add('segment', s.segmentId, s.segmentName ?? s.segmentId, s);
    if (s.rfmSegment !== undefined) add('rfm', optionValue(s.rfmSegment), s.rfmSegment, s);
  }
  return [...groups.values()]
    .sort((a, b) => (a.kind === b.kind ? b.customers - a.customers : a.kind === 'segment' ? -1 : 1))
    .map((t) => ({
      kind: t.kind,
      key: t.key,
      segmentName: t.name,
      customers: t.customers,
      averageClv: t.clv / t.customers,
      highRiskShare: t.high / t.customers,
      products: [...t.products]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([name]) => name),
      currency,
      offer: t.offered === 0 ? null : { discount: t.discount, customers: t.offered },
    }));
}
