/**
 * P(alive) chosen on a pipeline thread (the drop-out models fitted there) is what the run's own thread
 * chooses: the same model, note and every customer's value. Threads need the build (`npm test` builds first).
 */
import { TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import type { RfmSummary } from '../../worker/analytics/rfm';
import { chooseProbabilityAlive, startProbabilityAlive } from '../../worker/pipeline/p-alive-model';
import { PipelineThreads } from '../../worker/pipeline/parallel/pipeline-threads';
import { scoreDemoFile } from './score-demo-file';

let summary: RfmSummary;
let threads: PipelineThreads;

beforeAll(async () => {
  summary = (await scoreDemoFile({ customers: 900, seed: 53, insights: false })).result.summary;
  threads = PipelineThreads.start(1);
}, 120_000);
afterAll(() => threads.close());

describe('P(alive) chosen on a pipeline thread', () => {
  it.each(['bgnbd', 'pareto-nbd'] as const)(
    'is the choice made here when the selected model is %s',
    async (selected) => {
      const fit = TRANSACTION_MODELS[selected].fit(summary, { penalizer: 0 });
      const here = chooseProbabilityAlive(selected, new Map([[selected, fit]]), summary, 0);
      // The data must have drop-out, or both sides would agree on writing nothing.
      expect(here.model).not.toBeNull();
      expect(here.values!.some((v) => v < 0.5)).toBe(true);
      const there = await startProbabilityAlive(threads, { selected, fits: [fit], summary, penalizer: 0 });
      expect(there.model).toBe(here.model);
      expect(there.note).toBe(here.note);
      expect(Array.from(there.values!)).toEqual(Array.from(here.values!));
    },
  );
});
