/**
 * Owner tasks, the optional last step of write-back (README, "Owner tasks"; off unless the tenant's settings
 * or `--owner-tasks` turn it on): a task for the contact's owner when a top-fifth-CLV customer turns high
 * risk, one per customer per high-risk episode (planOwnerTasks decides who).
 *
 * A task is a new record, so a create sent twice is two tasks. The episode in the store is what keeps it to
 * one, with write-back's intent pattern: episodes are stored before any create; each batch's episodes are
 * marked `sending` before it goes out and `created` (with the task id) once the CRM confirmed it. A run that
 * died in between leaves `sending` behind, and the next run asks the CRM for a task carrying the episode's
 * marker (findTasks) before it creates anything: found, it is recorded as the episode's task; not found, it is
 * created. A marker in the task was chosen over a search of every candidate's tasks on every run: only
 * unsettled episodes cost a search (search has its own 5/s limit), and the marker, a hash of customer and
 * episode, cannot match another episode's task the way a subject or a due date could.
 */
import type { CrmAdapter, OwnerTaskInput, WriteFailure } from '../../connectors/crm-adapter';
import type { Score, ScoreRun } from '../../domain/score';
import { ownerTaskText } from '../../playbooks/owner-task-text';
import { planOwnerTasks } from '../pipeline/owner-task-rule';
import type { OwnerTaskEpisode, RecordStore } from '../state/record-store';

/** The tenant setting (TenantConnection.ownerTasks, `--owner-tasks`); absent means off. */
export type OwnerTaskSettings = { enabled: boolean };

/** Days from the run to the task's due date: the "task" next best action's default (README). */
export const TASK_DUE_DAYS = 3;

export type OwnerTaskReport = {
  /** False when the CRM's adapter cannot create tasks (nothing else was done). */
  supported: boolean;
  /** Top-fifth, high-risk customers in this run. */
  qualifying: number;
  created: number;
  /** Qualifying customers whose episode has its task already: not created again. */
  alreadyOpen: number;
  /** Tasks created unassigned because the contact has no owner. */
  noOwner: number;
  /** Qualifying customers the CRM no longer has: no task. */
  missing: number;
  /** Episodes opened and closed by this run. */
  opened: number;
  closed: number;
  /** Unsettled creates of an earlier run looked up in the CRM, and how many of them had landed. */
  settled: { checked: number; found: number };
  failed: WriteFailure[];
  /** Sent, but whether they were created is unknown: looked up by the next run, never resent blindly. */
  unknown: number;
  stopped?: { code: string; message: string; resetAt?: string };
};

const emptyReport = (supported: boolean): OwnerTaskReport => ({
  supported,
  qualifying: 0,
  created: 0,
  alreadyOpen: 0,
  noOwner: 0,
  missing: 0,
  opened: 0,
  closed: 0,
  settled: { checked: 0, found: 0 },
  failed: [],
  unknown: 0,
});

export async function createOwnerTasksForRun(input: {
  adapter: Pick<CrmAdapter, 'tenant' | 'ownerTasks'>;
  store: RecordStore;
  run: ScoreRun;
  scores: readonly Score[];
  now?: () => Date;
}): Promise<OwnerTaskReport> {
  const { adapter, store, run, scores } = input;
  const capability = adapter.ownerTasks;
  if (capability === undefined) return emptyReport(false);
  const tenant = adapter.tenant;
  const report = emptyReport(true);

  const episodes = await store.getOwnerTaskEpisodes(tenant);
  report.settled = await settleSending(capability, store, tenant, episodes);

  const plan = planOwnerTasks({ run, scores, episodes });
  await store.setOwnerTaskEpisodes(tenant, plan.opened);
  await store.closeOwnerTaskEpisodes(tenant, plan.closed);
  Object.assign(episodes, plan.opened);
  report.opened = Object.keys(plan.opened).length;
  report.closed = plan.closed.length;
  report.alreadyOpen = plan.alreadyOpen.length;
  report.qualifying = plan.due.length + plan.alreadyOpen.length + plan.unsettled.length;
  report.unknown = plan.unsettled.length;
  if (plan.due.length === 0) return report;

  const contacts = await capability.readTaskContacts(plan.due);
  const byId = new Map(scores.map((s) => [s.customerId, s]));
  const dueAt = new Date((input.now?.() ?? new Date()).getTime() + TASK_DUE_DAYS * 86_400_000);
  const tasks: OwnerTaskInput[] = [];
  for (const id of plan.due) {
    const contact = contacts.get(id);
    if (contact === undefined) {
      report.missing++;
      continue;
    }
    if (contact.ownerId === undefined) report.noOwner++;
    const episode = episodes[id];
    const text = ownerTaskText({
      score: byId.get(id) as Score,
      contact,
      currency: run.currency,
      clvMonths: run.clvMonths,
      since: episode.startedAt,
      marker: episode.marker,
    });
    tasks.push({ customerId: id, ownerId: contact.ownerId, dueAt, marker: episode.marker, ...text });
  }

  const withTask = (ids: Iterable<string>, task: OwnerTaskEpisode['task']) =>
    Object.fromEntries(
      [...ids].map((id) => [id, { ...withoutTask(episodes[id]), ...(task ? { task } : {}) }]),
    );
  const created = await capability.createTasks({
    tasks,
    onSending: (batch) =>
      store.setOwnerTaskEpisodes(
        tenant,
        withTask(
          batch.map((t) => t.customerId),
          { status: 'sending' },
        ),
      ),
    onCreated: (done) =>
      store.setOwnerTaskEpisodes(
        tenant,
        Object.fromEntries(
          done.map(({ customerId, taskId }) => [
            customerId,
            { ...withoutTask(episodes[customerId]), task: { status: 'created' as const, id: taskId } },
          ]),
        ),
      ),
  });
  // Refused or never sent: certainly not created, so the next run may create them.
  await store.setOwnerTaskEpisodes(
    tenant,
    withTask(
      created.failed.map((f) => f.id),
      undefined,
    ),
  );
  report.created = created.created.length;
  report.failed = created.failed;
  report.unknown += created.unknown.length;
  if (created.stopped !== undefined) report.stopped = created.stopped;
  return report;
}

function withoutTask(episode: OwnerTaskEpisode): OwnerTaskEpisode {
  const { task: _task, ...rest } = episode;
  return rest;
}

/**
 * Looks up, in the CRM, every episode whose create was left `sending` and records what it finds (in/out on
 * `episodes`): a task carrying the marker becomes the episode's task; none means it was never created.
 */
async function settleSending(
  capability: NonNullable<CrmAdapter['ownerTasks']>,
  store: RecordStore,
  tenant: string,
  episodes: Record<string, OwnerTaskEpisode>,
): Promise<OwnerTaskReport['settled']> {
  const sending = Object.entries(episodes).filter(([, e]) => e.task?.status === 'sending');
  if (sending.length === 0) return { checked: 0, found: 0 };
  const found = await capability.findTasks(
    sending.map(([customerId, e]) => ({ customerId, marker: e.marker })),
  );
  const settled: Record<string, OwnerTaskEpisode> = {};
  for (const [id, episode] of sending) {
    const taskId = found.get(episode.marker);
    settled[id] =
      taskId === undefined ? withoutTask(episode) : { ...episode, task: { status: 'created', id: taskId } };
  }
  await store.setOwnerTaskEpisodes(tenant, settled);
  Object.assign(episodes, settled);
  return { checked: sending.length, found: found.size };
}
