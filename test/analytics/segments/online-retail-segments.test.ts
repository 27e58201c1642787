/**
 * Segments on the whole UCI Online Retail file: RFM scores and segments, country demographics, interest
 * segments from the description categories, and the profile table. One read of the file for all of them.
 */
import { ONLINE_RETAIL_CATEGORY_RULES } from '../../../connectors/csv/online-retail-categories';
import { loadOnlineRetail } from '../../helpers/online-retail';
import type { CleanResult } from '../../../worker/analytics/clean/types';
import { summarizePurchases } from '../../../worker/analytics/rfm';
import type { RfmSummary } from '../../../worker/analytics/rfm/types';
import { demographicSegments } from '../../../worker/analytics/segments/demographics';
import { interestSegments, type InterestSegments } from '../../../worker/analytics/segments/interests';
import {
  categorizeProducts,
  categoryCoverage,
  type ProductCategories,
} from '../../../worker/analytics/segments/product-categories';
import {
  rfmValuesFromSummary,
  scoreRfm,
  type RfmScores,
  type RfmValues,
} from '../../../worker/analytics/segments/rfm-segments';
import { RFM_SEGMENTS } from '../../../domain/rfm-segments';
import { segmentProfiles } from '../../../worker/analytics/segments/segment-profile';

describe('segments on Online Retail', () => {
  let clean: CleanResult;
  let summary: RfmSummary;
  let values: RfmValues;
  let rfm: RfmScores;
  let products: ProductCategories;
  let interests: InterestSegments;

  beforeAll(async () => {
    clean = await loadOnlineRetail({ keepLines: true });
    summary = summarizePurchases(clean.orders, clean.customers, {
      observationEnd: '2011-12-09',
      period: 'day',
    });
    values = rfmValuesFromSummary(summary);
    rfm = scoreRfm(values);
    products = categorizeProducts(clean.products!, {
      names: clean.productNames,
      ...ONLINE_RETAIL_CATEGORY_RULES,
    });
    interests = interestSegments(clean, products);
  });

  it('scores every customer 1–5 with R falling as recency grows and M in quintiles of ~20%', () => {
    const n = summary.ids.length;
    expect(n).toBe(clean.customers.length);
    // Sorting by recency, R never increases; sorting by revenue, M never decreases.
    const byRecency = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => values.recencyDays[a] - values.recencyDays[b],
    );
    let disorder = 0;
    for (let j = 1; j < n; j++) if (rfm.r[byRecency[j]] > rfm.r[byRecency[j - 1]]) disorder++;
    const byRevenue = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => values.monetary[a] - values.monetary[b],
    );
    for (let j = 1; j < n; j++) if (rfm.m[byRevenue[j]] < rfm.m[byRevenue[j - 1]]) disorder++;
    expect(disorder).toBe(0);
    // Revenue has few ties, so each M quintile holds a fifth of the customers (± the odd tie).
    for (let s = 1; s <= 5; s++) {
      const count = rfm.m.filter((m) => m === s).length;
      expect(Math.abs(count - n / 5)).toBeLessThan(10);
    }
    // All one-purchase-day customers tie, so they share one F score: the lowest.
    const once = [...Array(n).keys()].filter((i) => values.frequency[i] === 1);
    expect(once.length).toBeGreaterThan(n * 0.3);
    expect(new Set(once.map((i) => rfm.f[i]))).toEqual(new Set([1]));
  });

  it('assigns every customer one of the eleven segments, Champions worth most per head', () => {
    const n = summary.ids.length;
    const profiles = segmentProfiles({
      labels: rfm.segmentName,
      revenue: values.monetary,
      // Churn flag for the profile: no purchase in the last 90 days.
      churn: Array.from(values.recencyDays, (d) => (d > 90 ? 1 : 0)),
      order: RFM_SEGMENTS,
    });
    expect(profiles.map((p) => p.segment)).toEqual([...RFM_SEGMENTS]);
    expect(profiles.reduce((s, p) => s + p.size, 0)).toBe(n);
    expect(profiles.reduce((s, p) => s + p.revenueShare, 0)).toBeCloseTo(1, 10);
    const by = Object.fromEntries(profiles.map((p) => [p.segment, p]));
    const perHead = (s: string) => by[s].revenue / by[s].size;
    for (const p of profiles) {
      expect(p.size).toBeGreaterThan(0);
      expect(perHead('Champions')).toBeGreaterThanOrEqual(perHead(p.segment));
    }
    // Champions are recent (R ≥ 4) and Lost are not (R = 1): their 90-day churn flags are all 0 and all 1.
    expect(by.Champions.churnRate).toBe(0);
    expect(by.Lost.churnRate).toBe(1);
    expect(by.Champions.revenueShare).toBeGreaterThan(0.5);
    // Lost (R = 1, FM ≤ 2) spent less per head than every segment with FM ≥ 3.
    for (const s of ['Champions', 'Loyal Customers', 'Need Attention', 'At Risk', "Can't Lose Them"])
      expect(perHead('Lost')).toBeLessThan(perHead(s));
  });

  it('normalises the customers’ countries (EIRE → Ireland, Unspecified → unknown)', () => {
    const countries = clean.customerCountry!;
    const d = demographicSegments(clean.customers.length, { country: countries }, '2011-12-09');
    const raw = (name: string) => countries.filter((c) => c === name).length;
    expect(d.counts.country.Ireland).toBe(raw('EIRE'));
    expect(d.counts.country.EIRE).toBeUndefined();
    expect(d.counts.country['United Kingdom']).toBe(raw('United Kingdom'));
    expect(d.counts.country.unknown ?? 0).toBe(raw('Unspecified'));
    expect(d.counts.ageBand.unknown).toBe(clean.customers.length);
  });

  it('puts at least 70% of line revenue into named categories', () => {
    const lines = clean.lines!;
    const coverage = categoryCoverage(products, lines);
    expect(coverage.categorisedShare).toBeGreaterThanOrEqual(0.7);
    expect(coverage.categorisedShare + coverage.otherShare + coverage.nonProductShare).toBeCloseTo(1, 12);
    // Postage and manual lines are charges: they exist and are kept apart.
    expect(coverage.nonProductShare).toBeGreaterThan(0);
  });

  it('gives each customer a spend-share row summing to 1 and an interest label', () => {
    const n = clean.customers.length;
    const k = interests.categories.length;
    expect(interests.shares.length).toBe(n * k);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += interests.shares[i * k + j];
      const expected = interests.interest[i] === 'Unknown' ? 0 : 1;
      if (Math.abs(sum - expected) > 1e-9) bad++;
    }
    expect(bad).toBe(0);
    const total = Object.values(interests.counts).reduce((s, c) => s + c, 0);
    expect(total).toBe(n);
    // Giftware buyers mostly buy across categories.
    expect(interests.counts.Varied).toBeGreaterThan(n / 2);
  });

  it('profiles interest segments with their top categories', () => {
    const profiles = segmentProfiles({
      labels: interests.interest,
      revenue: summary.totalRevenue,
      categories: { names: interests.categories, shares: interests.shares, spend: interests.spend },
    });
    for (const p of profiles) {
      if (p.segment === 'Varied' || p.segment === 'Unknown' || p.segment === 'Other') continue;
      // A customer is in segment X because X is at least half their spend, so X leads the segment.
      expect(p.topCategories[0].category).toBe(p.segment);
      expect(p.topCategories[0].share).toBeGreaterThanOrEqual(0.5);
    }
  });
});
