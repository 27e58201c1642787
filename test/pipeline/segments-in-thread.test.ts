/**
 * The behavioural segments whose cluster fit is made in a pipeline thread (started once the RFM summary exists)
 * are those made here: the same model, ids, names, groups, migration and warnings, and the same fallbacks when
 * the previous model cannot be used or there are too few customers. Threads need the build (`npm test` builds
 * first).
 */
import { demoCatalogueCategories } from '../../demo-data/product-catalogue';
import type { CleanResult } from '../../worker/analytics/clean';
import type { RfmSummary } from '../../worker/analytics/rfm';
import {
  customerInsights,
  startSegments,
  type InsightSettings,
} from '../../worker/pipeline/customer-insights';
import { PipelineThreads } from '../../worker/pipeline/parallel/pipeline-threads';
import { scoreDemoFile } from './score-demo-file';

let clean: CleanResult;
let summary: RfmSummary;
let clv: Float64Array;
let settings: InsightSettings;
let threads: PipelineThreads;

beforeAll(async () => {
  const demo = await scoreDemoFile({ customers: 900, seed: 47 });
  clean = demo.result.clean;
  summary = demo.result.summary;
  clv = demo.result.predictions.clv;
  settings = {
    observationEnd: demo.observationEnd,
    churnWindowDays: 90,
    productCategories: demoCatalogueCategories(),
  };
  threads = PipelineThreads.start(1);
}, 120_000);
afterAll(() => threads.close());

const segmentsHere = (s: InsightSettings) => {
  const insights = customerInsights(clean, summary, clv, s);
  return {
    segments: insights.segments,
    warnings: insights.warnings.filter((w) => w.startsWith('segments:')),
  };
};

const segmentsThere = async (s: InsightSettings) => {
  const started = startSegments(clean, summary, s, threads);
  return { segments: await started.segments, warnings: started.warnings };
};

describe('the behavioural segments fitted in a pipeline thread', () => {
  it('are those fitted here, category shares included', async () => {
    const here = segmentsHere(settings);
    // Interest shares must be among the cluster features, or the test proves less than it says.
    expect(here.segments!.model.transform.columns.some((c) => c.kind === 'category')).toBe(true);
    expect(new Set(here.segments!.segmentId).size).toBeGreaterThanOrEqual(2);
    const there = await segmentsThere(settings);
    expect(there).toEqual(here);
  });

  it('keep the previous run’s ids and give the migration, as here', async () => {
    const first = segmentsHere(settings).segments!;
    // The previous run: the same model, each customer's segment as it was, a tenth moved to another segment.
    const ids = first.model.ids;
    const segmentByCustomer = new Map(
      summary.ids.map((id, i) => [
        id,
        i % 10 === 0 ? ids[(ids.indexOf(first.segmentId[i]) + 1) % ids.length] : first.segmentId[i],
      ]),
    );
    const withPrevious = { ...settings, previous: { model: first.model, segmentByCustomer } };
    const here = segmentsHere(withPrevious);
    expect(here.segments!.migration).not.toBeNull();
    expect(await segmentsThere(withPrevious)).toEqual(here);
  });

  it('drop a previous model these data cannot use with the warning given here', async () => {
    const first = segmentsHere(settings).segments!;
    const stale = { ...settings, previous: { model: { ...first.model, version: 0 as unknown as 1 } } };
    const here = segmentsHere(stale);
    expect(here.warnings.some((w) => w.includes('fitted a new segment model'))).toBe(true);
    expect(await segmentsThere(stale)).toEqual(here);
  });

  it('are none, with the reason given here, when there are too few customers for the segments asked', async () => {
    const tooMany = { ...settings, clusters: summary.ids.length + 1 };
    const here = segmentsHere(tooMany);
    expect(here.segments).toBeNull();
    expect(here.warnings).toHaveLength(1);
    expect(await segmentsThere(tooMany)).toEqual(here);
  });
});
