/**
 * scores.csv and recommendations.csv of a run, rendered in slices of customers (./score-export-slices) and
 * written in row order. A large run renders its slices in pipeline threads while this thread writes: the
 * driver texts, recommendation reasons and, for a file-only run, every Score with its next best actions are
 * most of the export's work. The files are the same byte for byte whichever thread renders a slice.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ScoreRun } from '../../domain/score';
import { PipelineThreads, pipelineThreadCount } from './parallel/pipeline-threads';
import {
  exportBasis,
  exportLines,
  exportSlice,
  RECOMMENDATION_COLUMNS,
  renderBatch,
  scoreCheckError,
  scoreColumns,
  type ExportBasis,
  type ExportBatch,
  type ExportSlice,
  type RenderedBatch,
  type ScoreProblem,
} from './score-export-slices';
import type { ScoreResult } from './score-transactions';
import { formatCell } from './write-csv';

export type ScoreTableOptions = {
  /**
   * Build and check every Score as its rows are rendered (a run whose Scores were not built and checked
   * before, i.e. one without a store): the first non-finite value, else the first Score the schema refuses,
   * fails the export.
   */
  validate?: boolean;
  /** Threads rendering the slices; 0 renders here. Default: by the run's size and the cores. */
  threads?: number;
  /** Customers per slice. */
  sliceRows?: number;
};

/** Below this many customers the rows are rendered here: a thread costs more to start than it saves. */
const THREADS_FROM_ROWS = 50_000;
/**
 * Small enough that one slice's Scores and texts are all a thread holds while it renders: its young
 * generation is then collected with little alive to copy (4,096-row slices spent ~⅓ of a thread in GC).
 */
const SLICE_ROWS = 512;
/** Slices per message to a thread: fewer, larger messages. */
const SLICES_PER_BATCH = 8;
/** Batches in flight per thread: enough that a thread never waits for the next, few enough to bound memory. */
const BATCHES_AHEAD_PER_THREAD = 3;
const THREAD_YOUNG_GENERATION_MB = 128;

type Rendered = RenderedBatch;

/** Writes both tables; throws the Score check's error (validate) after the whole run was rendered or at the first non-finite value. */
export async function writeScoreTables(
  scoresPath: string,
  recommendationsPath: string | null,
  result: ScoreResult,
  run: ScoreRun,
  options: ScoreTableOptions = {},
): Promise<void> {
  const rows = result.summary.ids.length;
  const basis = exportBasis(result, run, options.validate ?? false);
  const sliceRows = options.sliceRows ?? SLICE_ROWS;
  const threadCount = options.threads ?? pipelineThreadCount(rows, THREADS_FROM_ROWS);
  const scores = new CsvFile(scoresPath, scoreColumns(basis.insights));
  const recommendations =
    recommendationsPath === null ? null : new CsvFile(recommendationsPath, RECOMMENDATION_COLUMNS);
  const threads =
    threadCount > 0
      ? PipelineThreads.start(threadCount, { youngGenerationMb: THREAD_YOUNG_GENERATION_MB })
      : null;
  const spare: ArrayBuffer[] = [];
  try {
    const render = threads ? await threadRenderer(threads, basis, spare) : inlineRenderer(basis, spare);
    let invalid: ScoreProblem | null = null;
    for await (const slice of renderInOrder(
      result,
      rows,
      sliceRows,
      render,
      (threads?.size ?? 1) * BATCHES_AHEAD_PER_THREAD,
    )) {
      if (slice.problem) {
        // As buildScores then assertValidScores: a non-finite value anywhere comes first, else the first invalid Score.
        if (slice.problem.code === 'NON_FINITE_SCORE') throw scoreCheckError(slice.problem);
        invalid ??= slice.problem;
      }
      // Once on disk, a batch's buffers take the next batches' bytes: the bytes of a whole run pass through
      // here (1.4 GB at 2.4M customers), and new buffers for them kept this thread's collector busy.
      await scores.write(slice.scores, spare);
      if (recommendations) await recommendations.write(slice.recommendations, spare);
    }
    if (invalid) throw scoreCheckError(invalid);
    await scores.end();
    await recommendations?.end();
  } catch (error) {
    scores.destroy();
    recommendations?.destroy();
    throw error;
  } finally {
    await threads?.close();
  }
}

type Renderer = (slices: ExportSlice[]) => Promise<Rendered>;

function inlineRenderer(basis: ExportBasis, spare: ArrayBuffer[]): Renderer {
  const lines = exportLines();
  return (slices) => Promise.resolve(renderBatch(basis, slices, lines, spare));
}

/** Each batch takes two spare buffers along (its two tables' bytes need two). */
async function threadRenderer(
  threads: PipelineThreads,
  basis: ExportBasis,
  spare: ArrayBuffer[],
): Promise<Renderer> {
  await threads.share('export-basis', basis);
  return (slices) => {
    const batch: ExportBatch = { slices, spare: spare.splice(0, 2) };
    return threads.run<RenderedBatch>('export-slices', batch, batch.spare);
  };
}

/** The rendered batches of slices in row order, with up to `ahead` being rendered at once. */
async function* renderInOrder(
  result: ScoreResult,
  rows: number,
  sliceRows: number,
  render: Renderer,
  ahead: number,
): AsyncGenerator<Rendered> {
  const queue: Promise<Rendered>[] = [];
  let from = 0;
  const submit = () => {
    const slices: ExportSlice[] = [];
    for (let k = 0; k < SLICES_PER_BATCH && from < rows; k++) {
      const to = Math.min(rows, from + sliceRows);
      slices.push(exportSlice(result, from, to));
      from = to;
    }
    const rendering = render(slices);
    // Awaited in order below; a later slice failing while an earlier one is awaited must not go unhandled.
    rendering.catch(() => undefined);
    queue.push(rendering);
  };
  while (from < rows || queue.length > 0) {
    while (from < rows && queue.length < ahead) submit();
    yield await queue.shift()!;
  }
}

/** A CSV file written in large pieces, waiting when the disk falls behind. */
class CsvFile {
  private readonly out: WriteStream;
  /** Settles when the stream closes; its rejection (a write error) is what write and end report. */
  private readonly closed: Promise<unknown>;

  constructor(path: string, header: readonly string[]) {
    this.out = createWriteStream(path);
    this.closed = once(this.out, 'close');
    this.closed.catch(() => undefined);
    this.out.write(header.map(formatCell).join(',') + '\n');
  }

  /** Writes the bytes; their buffer goes back to `spare` once they are on disk. */
  async write(chunk: Uint8Array<ArrayBuffer>, spare: ArrayBuffer[]): Promise<void> {
    if (chunk.length === 0) {
      spare.push(chunk.buffer);
      return;
    }
    const accepted = this.out.write(chunk, (error) => {
      if (!error) spare.push(chunk.buffer);
    });
    if (!accepted) await Promise.race([once(this.out, 'drain'), this.closed]);
  }

  async end(): Promise<void> {
    this.out.end();
    await this.closed;
  }

  destroy(): void {
    this.out.destroy();
  }
}
