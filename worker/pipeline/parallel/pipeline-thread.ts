/**
 * A pipeline thread's side (./pipeline-threads): answers each request with its task's result. What a run
 * shares with every piece (an export's basis) is kept here between requests.
 */
import { isMainThread, parentPort, type Transferable } from 'node:worker_threads';
import {
  adoptPlaybooks,
  exportLines,
  renderBatch,
  type ExportBasis,
  type ExportBatch,
  type ExportLines,
} from '../score-export-slices';
import type { RecommendationBasisInput, RecommendFinishInput } from '../../analytics/recommend';
import { fitClusterModel } from '../../analytics/segments/clusters';
import { runPortableChurnStage, type ChurnStageInput } from '../customer-churn';
import type { ClusterFitInput } from '../customer-insights';
import { chooseProbabilityAlive, type PAliveInput } from '../p-alive-model';
import { finishRecommendations, keepRecommendationBasis } from '../recommendations-in-thread';
import { preparedBuffers } from '../../analytics/clean/prepared-rows';
import { prepareRowsOfFile, type RowsToPrepare } from '../read-and-clean';
import type { PipelineTaskName, ThreadAnswer, ThreadRequest } from './thread-protocol';

type TaskResult = { result: unknown; transfer?: Transferable[] };

/** Sends a piece of the task's result ahead of its answer (a streaming task). */
export type EmitPiece = (piece: unknown, transfer: Transferable[]) => void;

let exportBasis: ExportBasis | null = null;
let lines: ExportLines | null = null;
/** Buffers the writing thread has written out and sent back: the next batches' bytes go in them. */
const spareBuffers: ArrayBuffer[] = [];

const TASKS: Record<PipelineTaskName, (input: unknown, emit: EmitPiece) => TaskResult | Promise<TaskResult>> =
  {
    'prepare-rows': async (input, emit) => ({
      result: await prepareRowsOfFile(input as RowsToPrepare, (rows) => emit(rows, preparedBuffers(rows))),
    }),
    'churn-stage': (input) => runPortableChurnStage(input as ChurnStageInput),
    'p-alive': (input) => {
      const { selected, fits, summary, penalizer } = input as PAliveInput;
      const choice = chooseProbabilityAlive(
        selected,
        new Map(fits.map((f) => [f.model, f])),
        summary,
        penalizer,
      );
      return { result: choice, transfer: choice.values ? [choice.values.buffer as ArrayBuffer] : [] };
    },
    'cluster-fit': (input) => {
      const { behaviour, options, previous } = input as ClusterFitInput;
      const fit = fitClusterModel(behaviour, options, previous);
      return { result: fit, transfer: [fit.labels.buffer as ArrayBuffer] };
    },
    'recommendation-basis': (input) => keepRecommendationBasis(input as RecommendationBasisInput),
    'recommendation-finish': (input) => finishRecommendations(input as RecommendFinishInput),
    'export-basis': (input) => {
      exportBasis = input as ExportBasis;
      adoptPlaybooks(exportBasis);
      return { result: null };
    },
    'export-slices': (input) => {
      if (exportBasis === null) throw new Error('export-slices before export-basis');
      const { slices, spare } = input as ExportBatch;
      spareBuffers.push(...spare);
      // Bytes, not text: each buffer moves to the writing thread without a copy and never enters its heap.
      const result = renderBatch(exportBasis, slices, (lines ??= exportLines()), spareBuffers);
      return { result, transfer: [result.scores.buffer, result.recommendations.buffer] };
    },
  };

async function answer(request: ThreadRequest): Promise<void> {
  const port = parentPort!;
  let message: ThreadAnswer;
  let transfer: Transferable[] = [];
  try {
    const emit: EmitPiece = (piece, buffers) =>
      port.postMessage({ id: request.id, piece } satisfies ThreadAnswer, buffers);
    const done = await TASKS[request.task](request.input, emit);
    message = { id: request.id, ok: true, result: done.result };
    transfer = done.transfer ?? [];
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: unknown; stack?: string };
    message = {
      id: request.id,
      ok: false,
      error: {
        name: e.name ?? 'Error',
        message: e.message ?? String(error),
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
        ...(e.stack ? { stack: e.stack } : {}),
      },
    };
  }
  port.postMessage(message, transfer);
}

if (!isMainThread && parentPort) parentPort.on('message', (request: ThreadRequest) => void answer(request));
