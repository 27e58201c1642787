import type { ChurnRisk } from '../../domain/score';
import { episodeMarker, planOwnerTasks } from '../../worker/pipeline/owner-task-rule';
import type { OwnerTaskEpisode } from '../../worker/state/record-store';

const TENANT = 'hubspot-1000';
const run = (runId: string) => ({
  runId,
  tenant: TENANT,
  scoredAt: `2026-11-${runId.slice(-2)}T12:00:00.000Z`,
});

/** Ten customers c1…c10 with predicted CLV 100…1,000: by hand, the top fifth is c9 and c10. */
function scores(risks: Record<string, ChurnRisk | undefined>) {
  return Array.from({ length: 10 }, (_, i) => {
    const customerId = `c${i + 1}`;
    return { customerId, clvPredicted: 100 * (i + 1), churnRisk: risks[customerId] ?? 'low' };
  });
}

const episode = (
  startedRun: string,
  customerId: string,
  task?: OwnerTaskEpisode['task'],
): OwnerTaskEpisode => ({
  startedRun,
  startedAt: run(startedRun).scoredAt,
  marker: episodeMarker(TENANT, customerId, startedRun),
  ...(task ? { task } : {}),
});

describe('planOwnerTasks', () => {
  it('gives a task to exactly the top-fifth customers at high risk, and opens an episode for every high one', () => {
    // c10 and c9: top fifth and high; c8 high but third; c1 high and lowest; c2 medium.
    const plan = planOwnerTasks({
      run: run('run-20'),
      scores: scores({ c10: 'high', c9: 'high', c8: 'high', c1: 'high', c2: 'medium' }),
      episodes: {},
    });
    expect(plan.due).toEqual(['c9', 'c10']);
    expect(Object.keys(plan.opened).sort()).toEqual(['c1', 'c10', 'c8', 'c9']);
    expect(plan.opened.c10).toEqual(episode('run-20', 'c10'));
    expect(plan.closed).toEqual([]);
    expect(plan.alreadyOpen).toEqual([]);
  });

  it('puts customers tied at the top fifth’s edge in it together (mid-rank quintiles, as the card does)', () => {
    // CLV 1 … 7, 8, 8, 10: the two 8s share ranks 8 and 9, mid-rank 8.5 → (8.5 − 0.5) / 10 = 0.8, the top fifth.
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 8, 10];
    const plan = planOwnerTasks({
      run: run('run-20'),
      scores: values.map((clvPredicted, i) => ({
        customerId: `c${i + 1}`,
        clvPredicted,
        churnRisk: 'high' as const,
      })),
      episodes: {},
    });
    expect(plan.due).toEqual(['c8', 'c9', 'c10']);
  });

  it('skips a customer whose episode has its task, however many runs they stay high', () => {
    const plan = planOwnerTasks({
      run: run('run-21'),
      scores: scores({ c10: 'high' }),
      episodes: { c10: episode('run-20', 'c10', { status: 'created', id: '8000001' }) },
    });
    expect(plan).toEqual({ opened: {}, closed: [], due: [], alreadyOpen: ['c10'], unsettled: [] });
  });

  it('closes the episode when the customer leaves high risk, and a return to high opens a new one with a new task', () => {
    const created = { c10: episode('run-20', 'c10', { status: 'created', id: '8000001' }) };
    const medium = planOwnerTasks({
      run: run('run-21'),
      scores: scores({ c10: 'medium' }),
      episodes: created,
    });
    expect(medium.closed).toEqual(['c10']);
    expect(medium.due).toEqual([]);
    const back = planOwnerTasks({ run: run('run-22'), scores: scores({ c10: 'high' }), episodes: {} });
    expect(back.due).toEqual(['c10']);
    expect(back.opened.c10.startedRun).toBe('run-22');
    expect(back.opened.c10.marker).not.toBe(created.c10.marker);
  });

  it('gives the episode its task when a customer already high enters the top fifth later', () => {
    const open = { c8: episode('run-20', 'c8') };
    // c8 is now the highest CLV of the run.
    const later = scores({ c8: 'high' }).map((s) =>
      s.customerId === 'c8' ? { ...s, clvPredicted: 5000 } : s,
    );
    const plan = planOwnerTasks({ run: run('run-21'), scores: later, episodes: open });
    expect(plan.due).toEqual(['c8']);
    expect(plan.opened).toEqual({});
  });

  it('leaves episodes alone for a Score without a churn band and for customers missing from the run', () => {
    const open = {
      c10: episode('run-20', 'c10', { status: 'created', id: '1' }),
      gone: episode('run-20', 'gone'),
    };
    const plan = planOwnerTasks({
      run: run('run-21'),
      scores: scores({}).map((s) => (s.customerId === 'c10' ? { ...s, churnRisk: undefined } : s)),
      episodes: open,
    });
    expect(plan.closed).toEqual([]);
    expect(plan.due).toEqual([]);
  });

  it('reports an episode whose create is unsettled instead of creating again', () => {
    const plan = planOwnerTasks({
      run: run('run-21'),
      scores: scores({ c10: 'high' }),
      episodes: { c10: episode('run-20', 'c10', { status: 'sending' }) },
    });
    expect(plan.due).toEqual([]);
    expect(plan.unsettled).toEqual(['c10']);
  });

  it('marks an episode the same way every time and no two episodes alike', () => {
    expect(episodeMarker(TENANT, 'c1', 'run-1')).toBe(episodeMarker(TENANT, 'c1', 'run-1'));
    expect(episodeMarker(TENANT, 'c1', 'run-1')).toMatch(/^crmclv-[0-9a-f]{20}$/);
    const others = [
      episodeMarker(TENANT, 'c1', 'run-2'),
      episodeMarker(TENANT, 'c2', 'run-1'),
      episodeMarker('hubspot-2', 'c1', 'run-1'),
    ];
    expect(new Set([episodeMarker(TENANT, 'c1', 'run-1'), ...others]).size).toBe(4);
  });
});
