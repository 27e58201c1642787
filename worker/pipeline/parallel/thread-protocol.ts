/** The messages between a score run and its pipeline threads (./pipeline-threads, ./pipeline-thread). */

/** The tasks a pipeline thread knows (./pipeline-thread's table). */
export type PipelineTaskName =
  | 'prepare-rows'
  | 'churn-stage'
  | 'cluster-fit'
  | 'p-alive'
  | 'recommendation-basis'
  | 'recommendation-finish'
  | 'export-basis'
  | 'export-slices';

export type ThreadRequest = { id: number; task: PipelineTaskName; input: unknown };

export type ThreadAnswer =
  /** A piece of a task's result sent ahead of its answer (a streaming task: prepared rows as the file is read). */
  | { id: number; piece: unknown }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; stack?: string } };
