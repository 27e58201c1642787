/**
 * The recommendations made in a pipeline thread (their basis as soon as the data are cleaned, the rest once the
 * segments are known) are those made here. Threads need the build (`npm test` builds first).
 */
import {
  recommendationsOf,
  recommendForCustomers,
  type RecommendInput,
} from '../../worker/analytics/recommend';
import type { CleanResult } from '../../worker/analytics/clean';
import { recommendationBasisOf } from '../../worker/pipeline/customer-insights';
import { startRecommendations } from '../../worker/pipeline/recommendations-in-thread';
import { PipelineThreads } from '../../worker/pipeline/parallel/pipeline-threads';
import { scoreDemoFile } from './score-demo-file';

let input: RecommendInput;
let clean: CleanResult;

beforeAll(async () => {
  const { result } = await scoreDemoFile({ customers: 700, seed: 43 });
  clean = result.clean;
  const customers = clean.customers.length;
  input = {
    lines: clean.lines!,
    orders: clean.orders,
    products: clean.products!,
    productNames: clean.productNames,
    customersCount: customers,
    // Three segments by customer index, so the segment fallbacks are exercised too.
    segmentOf: Int32Array.from({ length: customers }, (_, c) => c % 3),
    segmentNames: ['first', 'second', 'third'],
    // A catalogue where one product is not a good: the mask must cross to the thread.
    isProduct: (id) => id !== clean.products![0],
  };
});

describe('the recommendations made in a pipeline thread', () => {
  it('are those made here, reasons and segment tables included', async () => {
    const here = recommendForCustomers(input);
    const perCustomer = (r: typeof here) =>
      Array.from({ length: input.customersCount }, (_, c) => recommendationsOf(r, c));
    // The data must give most customers recommendations, or the comparison proves little.
    expect(perCustomer(here).filter((picks) => picks.length > 0).length).toBeGreaterThan(500);

    const threads = PipelineThreads.start(1);
    try {
      const inThread = startRecommendations(
        recommendationBasisOf(clean, { isProduct: input.isProduct })!,
        threads,
        0,
      );
      const { lines: _lines, orders: _orders, isProduct: _isProduct, ...finish } = input;
      const there = await inThread.finish(finish);
      expect(perCustomer(there)).toEqual(perCustomer(here));
      expect(there.segments).toEqual(here.segments);
      expect(there.bestSellers).toEqual(here.bestSellers);
      expect(there.neighbours).toEqual(here.neighbours);
    } finally {
      await threads.close();
    }
  });
});
