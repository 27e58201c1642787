/**
 * Which customers get a task for their owner (README, "Owner tasks"): predicted CLV in the run's top fifth AND
 * churn risk high, at most one task per customer per high-risk episode. An episode opens in the run where a
 * customer turns high risk and closes in the first run where they are not (medium or low); a later return to
 * high opens a new episode, so that return gets a new task. A customer whose episode has its task is skipped
 * as already open, however many runs stay high; a customer who turns high outside the top fifth and enters it
 * later in the same episode gets the episode's task then.
 *
 * The top fifth is quintile 5 of the run's predicted CLV as the next best actions see it (clvQuintileCuts:
 * mid-rank quintiles, ties share one), so the task goes to the same customers the card calls "top 20%".
 * A Score without a churn band (a run without a churn model) says nothing about risk: its customer's episode
 * is left as it is, and so is that of a customer missing from the run. Pure: no clock, no I/O.
 */
import { createHash } from 'node:crypto';
import type { Score, ScoreRun } from '../../domain/score';
import type { OwnerTaskEpisode } from '../state/record-store';
import { clvQuintileCuts, clvQuintileOf } from './customer-facts';

export type OwnerTaskPlan = {
  /** Episodes this run opens (customers who turned high risk), to store before any task is created. */
  opened: Record<string, OwnerTaskEpisode>;
  /** Customers whose episode this run closes (no longer high risk). */
  closed: string[];
  /** Top-fifth, high-risk customers whose episode has no task yet, in the run's order. */
  due: string[];
  /** Top-fifth, high-risk customers whose episode has its task already. */
  alreadyOpen: string[];
  /** Top-fifth, high-risk customers whose task's create is still unsettled (never so after settling). */
  unsettled: string[];
};

/**
 * The marker of a customer's episode: a hash of tenant, customer and the run that opened it, so the same
 * episode always has the same marker and no two episodes share one. Hex only, so it survives any rich-text
 * handling of the task's notes.
 */
export function episodeMarker(tenant: string, customerId: string, startedRun: string): string {
  const hash = createHash('sha256').update(`${tenant}\u0000${customerId}\u0000${startedRun}`).digest('hex');
  return `crmclv-${hash.slice(0, 20)}`;
}

export function planOwnerTasks(input: {
  run: Pick<ScoreRun, 'runId' | 'scoredAt' | 'tenant'>;
  scores: readonly Pick<Score, 'customerId' | 'clvPredicted' | 'churnRisk'>[];
  /** The open episodes stored so far, per customer id. */
  episodes: Readonly<Record<string, OwnerTaskEpisode>>;
}): OwnerTaskPlan {
  const { run, scores, episodes } = input;
  const cuts = clvQuintileCuts(scores.map((s) => s.clvPredicted));
  const plan: OwnerTaskPlan = { opened: {}, closed: [], due: [], alreadyOpen: [], unsettled: [] };
  for (const score of scores) {
    const id = score.customerId;
    const stored = episodes[id];
    if (score.churnRisk === undefined) continue;
    if (score.churnRisk !== 'high') {
      if (stored !== undefined) plan.closed.push(id);
      continue;
    }
    let episode = stored;
    if (episode === undefined) {
      episode = {
        startedRun: run.runId,
        startedAt: run.scoredAt,
        marker: episodeMarker(run.tenant, id, run.runId),
      };
      plan.opened[id] = episode;
    }
    if (clvQuintileOf(cuts, score.clvPredicted) !== 5) continue;
    if (episode.task === undefined) plan.due.push(id);
    else if (episode.task.status === 'created') plan.alreadyOpen.push(id);
    else plan.unsettled.push(id);
  }
  return plan;
}
