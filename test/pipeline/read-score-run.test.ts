import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScoreRunExport as readScoreRun } from '../../worker/pipeline/read-score-run';
import { tempDir } from '../helpers/run-cli';

const HEADER =
  'customer_id,segment_id,segment_name,rfm_score,rfm_segment,clv_historic,expected_orders,p_alive,clv_predicted,next_order_date,churn_probability,churn_risk,churn_drivers,model_version';

const runOf = (customers: number) => ({
  runId: 'run-1',
  tenant: 'hubspot-1000',
  source: 'hubspot',
  scoredAt: '2026-11-01T08:00:00.000Z',
  modelVersion: 'bgnbd/1',
  clvMonths: 12,
  currency: 'USD',
  customers,
});

function runDir(rows: string[], report: object = { run: runOf(rows.length) }): string {
  const dir = join(tempDir('score-run'), 'out');
  mkdirSync(dir);
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  writeFileSync(join(dir, 'scores.csv'), [HEADER, ...rows].join('\n') + '\n');
  return dir;
}

describe('readScoreRun', () => {
  it('reads typed scores, quoted cells included', async () => {
    const run = await readScoreRun(
      runDir([
        '17,seg-1,"Big, loyal",545,Champions,120.5,3.25,0.91,210.4,2026-12-01,0.08,low,"buys often; spends more",bgnbd/1',
        '18,seg-2,Occasional,111,Lost,20,0.1,0.2,5,,0.9,high,,bgnbd/1',
      ]),
    );
    expect(run.rejected).toEqual([]);
    expect(run.run).toEqual(runOf(2));
    expect(run.scores[0]).toEqual({
      customerId: '17',
      segmentId: 'seg-1',
      segmentName: 'Big, loyal',
      rfmScore: '545',
      rfmSegment: 'Champions',
      clvHistoric: 120.5,
      clvPredicted: 210.4,
      expectedOrders: 3.25,
      pAlive: 0.91,
      churnProbability: 0.08,
      churnRisk: 'low',
      nextOrderDate: '2026-12-01',
      modelVersion: 'bgnbd/1',
      scoredAt: '2026-11-01T08:00:00.000Z',
    });
    expect(run.scores[1].nextOrderDate).toBeUndefined();
  });

  it('reports a bad row with its line and reason and keeps the others', async () => {
    const run = await readScoreRun(
      runDir([
        '1,seg-1,A,545,Champions,1,1,1.5,1,,0.1,low,,v',
        '2,seg-1,A,545,Champions,x,1,0.5,1,,0.1,low,,v',
        '3,seg-1,A,545,Champions,1,1,0.5,1,,0.1,extreme,,v',
        '4,seg-1,A,5',
        '5,seg-1,A,545,Champions,1,1,0.5,1,,0.1,low,,v',
      ]),
    );
    expect(run.scores.map((s) => s.customerId)).toEqual(['5']);
    expect(run.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(run.rejected[0].reason).toMatch(/p_alive/);
    expect(run.rejected[1].reason).toMatch(/clv_historic: expected a number, got 'x'/);
    expect(run.rejected[2].reason).toMatch(/churn_risk|low|high/);
    expect(run.rejected[3].reason).toMatch(/14 comma-separated fields/);
  });

  it('refuses a scores.csv with fewer rows than its run scored (a cut file)', async () => {
    const dir = runDir(['1,seg-1,A,545,Champions,1,1,0.5,1,,0.1,low,,v'], { run: runOf(3) });
    await expect(readScoreRun(dir)).rejects.toThrow(/1 score rows but its run scored 3 customers/);
  });

  it('refuses a run that does not say whose scores it holds', async () => {
    const dir = runDir(['1,seg-1,A,545,Champions,1,1,0.5,1,,0.1,low,,v'], {
      clv: { months: 12 },
      modelVersion: 'bgnbd/1',
    });
    await expect(readScoreRun(dir)).rejects.toThrow(/which tenant and source/);
  });

  it('says to run score first when the directory is not a score run', async () => {
    await expect(readScoreRun(tempDir('not-a-run'))).rejects.toMatchObject({
      code: 'INPUT_FORMAT',
      message: expect.stringMatching(/crm-clv score/),
    });
  });
});
