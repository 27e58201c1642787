/** The messages between a score run and its pipeline threads (./pipeline-threads, ./pipeline-thread). */

/** The tasks a pipeline thread knows (./pipeline-thread's table). */
export type PipelineTaskName = 'churn-stage' | 'recommendation-basis' | 'export-basis' | 'export-slices';

export type ThreadRequest = { id: number; task: PipelineTaskName; input: unknown };

export type ThreadAnswer =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; stack?: string } };
