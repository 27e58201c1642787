/**
 * Runs a pipeline in this process without Redis: the same stage processors BullMQ runs, one after another.
 * For one-off CLI runs and the demo when no Redis answers. The context's stage lock is the caller's to give:
 * inProcessStageLocks() when no other process uses the store, fileStageLocks() on a shared folder store.
 */
import type { RunData } from './stage-data';
import { QUEUE_PROCESSORS, type StageContext } from './stage-processors';
import type { RunStage } from './stages';

export type InlineRunStageResult = { stage: RunStage; result: unknown; ms: number };

export async function runInline(
  stages: readonly RunStage[],
  data: RunData,
  context: (stage: RunStage) => StageContext,
): Promise<InlineRunStageResult[]> {
  const results: InlineRunStageResult[] = [];
  for (const stage of stages) {
    const started = performance.now();
    const result = await QUEUE_PROCESSORS[stage](data, context(stage));
    results.push({ stage, result, ms: performance.now() - started });
  }
  return results;
}
