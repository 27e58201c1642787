/**
 * A pipeline thread's side (./pipeline-threads): answers each request with its task's result. What a run
 * shares with every piece (an export's basis) is kept here between requests.
 */
import { isMainThread, parentPort, type Transferable } from 'node:worker_threads';
import {
  adoptPlaybooks,
  firstProblem,
  renderSlice,
  type ExportBasis,
  type ExportSlice,
  type RenderedBatch,
  type ScoreProblem,
} from '../score-export-slices';
import { runPortableChurnStage, type ChurnStageInput } from '../customer-churn';
import type { PipelineTaskName, ThreadAnswer, ThreadRequest } from './thread-protocol';

type TaskResult = { result: unknown; transfer?: Transferable[] };

let exportBasis: ExportBasis | null = null;
const utf8 = new TextEncoder();

const TASKS: Record<PipelineTaskName, (input: unknown) => TaskResult> = {
  'churn-stage': (input) => runPortableChurnStage(input as ChurnStageInput),
  'export-basis': (input) => {
    exportBasis = input as ExportBasis;
    adoptPlaybooks(exportBasis);
    return { result: null };
  },
  'export-slices': (input) => {
    if (exportBasis === null) throw new Error('export-slices before export-basis');
    const basis = exportBasis;
    // Slice by slice into bytes: one slice's Scores and texts are garbage before the next is made, so the
    // young generation is collected with little alive (a batch's worth kept as text was most of its GC).
    const scores: Uint8Array[] = [];
    const recommendations: Uint8Array[] = [];
    let problem: ScoreProblem | null = null;
    for (const slice of input as ExportSlice[]) {
      const rendered = renderSlice(basis, slice);
      scores.push(utf8.encode(rendered.scores));
      recommendations.push(utf8.encode(rendered.recommendations));
      problem = firstProblem(problem, rendered.problem);
    }
    // Bytes, not text: each buffer moves to the writing thread without a copy and never enters its heap.
    const result: RenderedBatch = {
      scores: concat(scores),
      recommendations: concat(recommendations),
      problem,
    };
    return { result, transfer: [result.scores.buffer, result.recommendations.buffer] };
  },
};

/** The pieces as one buffer of its own (transferable; Buffer.concat may hand out Node's shared pool). */
function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function answer(request: ThreadRequest): void {
  const port = parentPort!;
  let message: ThreadAnswer;
  let transfer: Transferable[] = [];
  try {
    const done = TASKS[request.task](request.input);
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

if (!isMainThread && parentPort) parentPort.on('message', answer);
