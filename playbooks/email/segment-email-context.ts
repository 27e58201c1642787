/**
 * What a segment's email snippet can say about the segment (issue P8, "Personalised email content per
 * segment"): one context per behavioural segment and per RFM segment of a score run, built from the Scores
 * alone: size, mean predicted CLV, share at high churn risk, and the products most often recommended to its
 * customers (Score.recommendations, the first three per customer, as clv_recommended_products holds them).
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
};

type Tally = { name: string; customers: number; clv: number; high: number; products: Map<string, number> };

export function segmentEmailContexts(
  scores: readonly Pick<
    Score,
    'segmentId' | 'segmentName' | 'rfmSegment' | 'clvPredicted' | 'churnRisk' | 'recommendations'
  >[],
  currency: string,
): SegmentEmailContext[] {
  const groups = new Map<string, Tally & { kind: SegmentEmailContext['kind']; key: string }>();
  const add = (kind: SegmentEmailContext['kind'], key: string, name: string, s: (typeof scores)[number]) => {
    const id = `${kind}:${key}`;
    let t = groups.get(id);
    if (t === undefined)
      groups.set(id, (t = { kind, key, name, customers: 0, clv: 0, high: 0, products: new Map() }));
    t.customers++;
    t.clv += s.clvPredicted;
    if (s.churnRisk === 'high') t.high++;
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
    }));
}
