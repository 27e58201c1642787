import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRows } from '../helpers/read-csv';
import { runCli, SHARED_DATA, tempDir } from '../helpers/run-cli';

const sample = join(SHARED_DATA, 'lifetimes/CDNOW_sample.txt');
const master = join(SHARED_DATA, 'lifetimes/CDNOW_master.txt');
const retail = join(SHARED_DATA, 'online-retail/online_retail.csv.gz');

/** `crm-clv score` with the four options every run needs, then any others. */
function score(
  transactions: string,
  format: string,
  observationEnd: string,
  out: string,
  ...extra: string[]
) {
  return runCli([
    'score',
    '--transactions',
    transactions,
    '--format',
    format,
    '--observation-end',
    observationEnd,
    '--out',
    out,
    ...extra,
  ]);
}

describe('crm-clv score', () => {
  it('on CDNOW_sample with the papers’ split, fits the published calibration-period models and writes every output', () => {
    const out = tempDir('score-sample');
    const r = score(
      sample,
      'cdnow',
      '1998-06-30',
      out,
      '--calibration-end',
      '1997-09-30',
      '--period',
      'week',
    );
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.calibration.customers).toBe(2357);
    const bg = report.calibration.fits.find((f: { model: string }) => f.model === 'bgnbd');
    // Fader, Hardie & Lee (2005): r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4
    expect([bg.params.r, bg.params.alpha, bg.params.a, bg.params.b].map((v: number) => v.toFixed(3))).toEqual(
      ['0.243', '4.414', '0.793', '2.426'],
    );
    expect(bg.logLikelihood.toFixed(1)).toBe('-9582.4');
    const pnbd = report.calibration.fits.find((f: { model: string }) => f.model === 'pareto-nbd');
    // Pareto/NBD: r 0.553, α 10.578, s 0.606, β 11.669, LL −9595.0
    const pn = [pnbd.params.r, pnbd.params.alpha, pnbd.params.s, pnbd.params.beta];
    expect(pn.map((v: number) => v.toFixed(3))).toEqual(['0.553', '10.578', '0.606', '11.669']);
    expect(pnbd.logLikelihood.toFixed(1)).toBe('-9595.0');
    // Holdout: the 2,357 sample customers made this many repeat purchase days in weeks 40–78 (counted in the
    // test from the raw file: distinct (customer, day) pairs after 1997-09-30 by customers seen before).
    const lines = readFileSync(sample, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    const holdoutDays = new Set(lines.filter((f) => f[2] > '19970930').map((f) => `${f[1]}-${f[2]}`));
    for (const m of report.calibration.metrics) expect(m.actualTotal).toBe(holdoutDays.size);
    expect(report.calibration.metrics.map((m: { model: string }) => m.model).sort()).toEqual([
      'bgnbd',
      'mbgnbd',
      'pareto-nbd',
    ]);
    expect(report.calibration.tracking.length).toBeGreaterThanOrEqual(77);
    expect(['bgnbd', 'pareto-nbd', 'mbgnbd']).toContain(report.selectedModel);

    // A new customer's purchase distribution over the CLV horizon is a probability distribution.
    const dist = report.newCustomer.purchaseDistribution.map((d: { probability: number }) => d.probability);
    expect(dist).toHaveLength(7);
    expect(dist.reduce((s: number, p: number) => s + p, 0)).toBeCloseTo(1, 9);
    for (const p of dist) expect(p).toBeGreaterThanOrEqual(0);
    const quality = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8'));
    expect(quality.rowsRead).toBe(6919);
    const scores = readCsvRows(join(out, 'scores.csv'));
    expect(scores).toHaveLength(2357);
    for (const s of scores.slice(0, 50)) {
      expect(Number(s.p_alive)).toBeGreaterThanOrEqual(0);
      expect(Number(s.clv_predicted)).toBeGreaterThanOrEqual(0);
    }
    // Historic value is the customer's revenue to the observation end: check one customer by hand.
    const c1Revenue = lines.filter((f) => Number(f[1]) === 1).reduce((s, f) => s + Number(f[4]), 0);
    expect(Number(scores.find((s) => s.customer_id === '1')!.clv_historic)).toBeCloseTo(c1Revenue, 6);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Cumulative repeat purchases');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Holdout validation');
  });

  it('produces the holdout report from CDNOW_master', () => {
    const out = tempDir('score-master');
    const r = score(master, 'cdnow', '1998-06-30', out, '--calibration-end', '1997-09-30');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.customers.scored).toBe(23570);
    expect(report.calibration.metrics).toHaveLength(3);
    for (const m of report.calibration.metrics) {
      expect(m.byCalibrationFrequency.map((b: { label: string }) => b.label)).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7+',
      ]);
      expect(m.correlation).toBeGreaterThan(0.5);
      expect(Math.abs(m.totalError)).toBeLessThan(0.25);
    }
  });

  it('runs the whole pipeline on Online Retail with quality counts adding up to the input rows', () => {
    const out = tempDir('score-retail');
    const r = score(retail, 'online-retail', '2011-12-09', out);
    expect(r.status).toBe(0);
    const quality = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8'));
    expect(quality.rowsRead).toBe(541909);
    const excluded = Object.values(quality.rowsExcluded as Record<string, number>).reduce((s, v) => s + v, 0);
    expect(quality.rowsUsed + excluded).toBe(541909);
    expect(quality.rowsExcluded.missing_customer_id).toBe(135080);
    const scores = readCsvRows(join(out, 'scores.csv'));
    expect(scores.length).toBe(quality.customers.inResult);
    expect(r.stdout).toMatch(/Customers scored/);
    // The P2 columns are filled for every customer.
    const rfmSegments = new Set([
      'Champions',
      'Loyal Customers',
      'Potential Loyalists',
      'New Customers',
      'Promising',
      'Need Attention',
      'About to Sleep',
      'At Risk',
      "Can't Lose Them",
      'Hibernating',
      'Lost',
    ]);
    for (const s of scores) {
      expect(s.segment_id).toMatch(/^seg-\d+$/);
      expect(s.rfm_score).toMatch(/^[1-5]{3}$/);
      expect(rfmSegments.has(s.rfm_segment)).toBe(true);
      const p = Number(s.churn_probability);
      expect(p >= 0 && p <= 1).toBe(true);
      expect(['low', 'medium', 'high']).toContain(s.churn_risk);
      expect(s.recommendations.split('|').length).toBe(5);
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.churn.evaluation.rocAuc).toBeGreaterThan(0.7);
    expect(report.segments.behaviour.reduce((n: number, p: { size: number }) => n + p.size, 0)).toBe(
      scores.length,
    );

    // A second run against the first keeps every segment id (same data, so nobody should move).
    const again = tempDir('score-retail-again');
    const r2 = score(retail, 'online-retail', '2011-12-09', again, '--previous-run', out);
    expect(r2.status).toBe(0);
    const report2 = JSON.parse(readFileSync(join(again, 'report.json'), 'utf8'));
    expect(report2.segments.model.ids).toEqual(report.segments.model.ids);
    expect(report2.segments.migration.stayedShare).toBeGreaterThan(0.99);
    // The same data again: the manager's summary compares money with the previous run and finds no change.
    const markdown = readFileSync(join(again, 'report.md'), 'utf8');
    expect(markdown).toContain('### Change since the previous run');
    expect(markdown).toMatch(/- Revenue to date: £[\d,]+ vs £[\d,]+ \(\+£0, \+?0(\.0)?%\)/);
  });

  it('stops with exit code 2 when the file is not the declared format', () => {
    const r = score(retail, 'cdnow', '2011-12-09', tempDir('bad'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/online_retail\.csv\.gz/);
  });

  it('rejects a calibration end after the observation end, naming the option', () => {
    const r = score(sample, 'cdnow', '1998-06-30', tempDir('bad'), '--calibration-end', '1998-09-30');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/calibration-end/);
  });

  it('converts currencies with a rate table and excludes unknown ones', () => {
    const dir = tempDir('score-fx');
    const file = join(dir, 'tx.csv');
    writeFileSync(
      file,
      [
        'customer_id,order_id,date,amount,currency',
        'a,1,2024-01-01,10,EUR',
        'a,2,2024-02-01,20,USD',
        'a,3,2024-03-01,5,JPY',
        'b,4,2024-01-05,7,USD',
        'b,5,2024-01-20,9,USD',
      ].join('\n') + '\n',
    );
    const rates = join(dir, 'rates.json');
    writeFileSync(rates, JSON.stringify({ EUR: 1.1 }));
    const r = score(file, 'generic', '2024-06-30', dir, '--rates', rates);
    expect(r.status).toBe(0);
    const quality = JSON.parse(readFileSync(join(dir, 'quality.json'), 'utf8'));
    expect(quality.rowsExcluded.unknown_currency).toBe(1);
    const scores = readCsvRows(join(dir, 'scores.csv'));
    expect(Number(scores.find((s) => s.customer_id === 'a')!.clv_historic)).toBeCloseTo(10 * 1.1 + 20, 9);
  });
});

describe('crm-clv score on data that cannot support a model', () => {
  it('stops with exit code 2 and says why when nobody bought twice', () => {
    const dir = tempDir('score-norepeat');
    const file = join(dir, 'tx.csv');
    writeFileSync(file, 'customer_id,order_id,date,amount\na,1,2024-01-01,10\nb,2,2024-01-03,5\n');
    const r = score(file, 'generic', '2024-06-30', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/repeat purchase/);
  });
});

describe('crm-clv score --no-insights', () => {
  it('runs the CLV engine only: no segment, churn or recommendation columns or files', () => {
    const out = tempDir('score-noinsights');
    const r = score(sample, 'cdnow', '1998-06-30', out, '--no-insights');
    expect(r.status).toBe(0);
    const header = readFileSync(join(out, 'scores.csv'), 'utf8').split('\n')[0].split(',');
    expect(header).toEqual([
      'customer_id',
      'frequency',
      'recency',
      'T',
      'monetary_value',
      'clv_historic',
      'expected_orders',
      'expected_order_value',
      'p_alive',
      'clv_predicted',
      'clv_net',
      'next_order_date',
      'model_version',
    ]);
    expect(existsSync(join(out, 'recommendations.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).segments).toBeNull();
  });
});
