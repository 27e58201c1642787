/**
 * The recommendations of a large run made in a pipeline thread: their basis (baskets, each customer's
 * products, neighbours, best sellers) as soon as the data are cleaned, the rest (segment best sellers and
 * tables, each customer's picks) once this thread has the segments. The basis stays in the thread: only the
 * segments go to it and only the result comes back.
 */
import {
  recommendationBasis,
  recommendFromBasis,
  type RecommendationBasis,
  type RecommendationBasisInput,
  type RecommendFinishInput,
  type RecommendResult,
} from '../analytics/recommend';
import type { PipelineThreads } from './parallel/pipeline-threads';

/** The recommendations under way in a thread: finish() gives them once the segments are known. */
export type RecommendationsInThread = {
  /** Settles when the basis is made (its wall time is the report's recommendationBasisInThread). */
  basis: Promise<void>;
  finish(input: RecommendFinishInput): Promise<RecommendResult>;
};

/** Starts the basis on thread `thread` of `threads`; finish() runs on the same thread. */
export function startRecommendations(
  input: RecommendationBasisInput,
  threads: PipelineThreads,
  thread: number,
): RecommendationsInThread {
  const basis = threads.run<null>('recommendation-basis', input, [], thread).then(() => undefined);
  // Awaited by finish(); a failure before then (a fit that throws) must not go unhandled.
  basis.catch(() => undefined);
  return {
    basis,
    finish: async (finishInput) => {
      await basis;
      return threads.run<RecommendResult>('recommendation-finish', finishInput, [], thread);
    },
  };
}

/** The thread's side: the basis made by the first task, kept for the second. */
let kept: RecommendationBasis | null = null;

export function keepRecommendationBasis(input: RecommendationBasisInput): { result: null } {
  kept = recommendationBasis(input);
  return { result: null };
}

export function finishRecommendations(input: RecommendFinishInput): {
  result: RecommendResult;
  transfer: ArrayBuffer[];
} {
  if (kept === null) throw new Error('recommendation-finish before recommendation-basis');
  const result = recommendFromBasis(kept, input);
  kept = null;
  const { recommendations: r, neighbours: n, bestSellers } = result;
  const arrays = [r.product, r.score, r.reason, r.because, n.offsets, n.neighbour, n.similarity, n.support];
  return { result, transfer: ownBuffers([...arrays, n.occurrences, bestSellers]) };
}

/** The buffers that only these arrays view whole (a view of a larger or shared buffer is copied instead). */
function ownBuffers(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays)
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength)
      buffers.add(a.buffer);
  return [...buffers];
}
