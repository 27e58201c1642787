/**
 * The analyst's part of the report: model choice and checks, parameters, holdout validation, distributions of
 * predicted value, P(alive) and purchase counts, segments, churn evaluation and a new customer's outlook.
 */
import type { SegmentProfile } from '../analytics/segments/segment-profile';
import { probabilityHistogram } from './distributions';
import { count, fmt, money, pct } from './format';
import type { ModelReport, ReportedFit } from './model-report';
import { htmlBlock, markdownToHtml, mdBlock, mdTable, type Block } from './report-blocks';
import type { ReportContext } from './report-context';
import { groupedBarChart, lineChart } from './svg-chart';

const unitName = (r: ModelReport) => (r.input.period === 'week' ? 'weeks' : 'days');

export function analysisBlocks(r: ModelReport, ctx: ReportContext): Block[] {
  return [
    ...modelBlocks(r),
    ...holdoutBlocks(r),
    ...valueBlocks(r, ctx),
    ...segmentBlocks(r),
    ...churnBlocks(r),
    ...newCustomerBlocks(r),
    ...(r.warnings.length ? [mdBlock('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '')] : []),
  ];
}

/** A chart on the page (its caption is the title); in report.md the title and the chart's numbers as a table. */
function chartBlock(title: string, svg: string, table: string[]): Block {
  return htmlBlock(`${svg}<details><summary>Numbers</summary>${markdownToHtml(table.join('\n'))}</details>`, [
    `#### ${title}`,
    '',
    ...table,
  ]);
}

function modelBlocks(r: ModelReport): Block[] {
  const out: Block[] = [
    mdBlock(
      '## Models',
      '',
      `Input: ${r.input.file} (format ${r.input.format}); observation end ${r.input.observationEnd}` +
        (r.input.calibrationEnd ? `; calibration end ${r.input.calibrationEnd}` : '') +
        `; time unit ${unitName(r)}.`,
      '',
      `Customers scored: ${count(r.customers.scored)} (${count(r.customers.repeatBuyers)} repeat buyers).`,
      '',
      `**Selected transaction model: ${r.selectedModel}** (${r.selectionReason}).`,
      '',
    ),
  ];
  if (r.checks.length) out.push(mdBlock('### Checks', '', ...r.checks.map((c) => `- ${c.text}`), ''));
  out.push(
    mdBlock(
      '### Fitted on all data',
      '',
      '| model | parameters (standard error) | LL | n | converged |',
      '|---|---|---:|---:|---|',
      ...[...r.fits, r.spend].map(fitRow),
      '',
      `Spend/frequency correlation among repeat buyers: ${fmt(r.spend.spendFrequencyCorrelation, 3)} (Gamma-Gamma assumes none). Population mean order value: ${money(r.spend.populationMeanValue)} ${r.summary.currency}.`,
      '',
    ),
  );
  const f = r.distributions.frequency;
  if (f) {
    const title = `Customers by number of repeat purchases: actual vs. ${f.model} fitted on all data`;
    const svg = groupedBarChart(
      title,
      f.buckets.map((b) => b.label),
      [
        { name: 'actual', values: f.buckets.map((b) => b.actual) },
        { name: `expected by ${f.model}`, values: f.buckets.map((b) => b.expected) },
      ],
      'customers',
      `repeat purchases to ${r.input.observationEnd}`,
    );
    const table = mdTable(
      ['repeat purchases', 'customers', `expected by ${f.model}`],
      f.buckets.map((b) => [b.label, count(b.actual), fmt(b.expected, 1)]),
    );
    out.push(chartBlock(title, svg, table));
  }
  return out;
}

function holdoutBlocks(r: ModelReport): Block[] {
  const c = r.calibration;
  if (!c) return [];
  const lines = [
    `## Holdout validation (${c.holdoutDuration.toFixed(2)} ${unitName(r)})`,
    '',
    '| model | LL (calibration) | actual total | predicted total | total error | MAE | RMSE | correlation |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...c.metrics.map((m) => {
      const fit = c.fits.find((f) => f.model === m.model);
      return `| ${m.model} | ${fit ? fit.logLikelihood.toFixed(1) : ''} | ${m.actualTotal.toFixed(0)} | ${m.predictedTotal.toFixed(1)} | ${(100 * m.totalError).toFixed(2)}% | ${m.mae.toFixed(4)} | ${m.rmse.toFixed(4)} | ${m.correlation.toFixed(4)} |`;
    }),
    '',
  ];
  const models = c.metrics.map((m) => m.model);
  const buckets = c.metrics[0]?.byCalibrationFrequency ?? [];
  const bucketTable = mdTable(
    ['calibration frequency', 'customers', 'actual', ...models],
    buckets.map((b, i) => [
      b.label,
      b.customers,
      fmt(b.actualMean, 3),
      ...c.metrics.map((m) => fmt(m.byCalibrationFrequency[i].predictedMean, 3)),
    ]),
  );
  const out: Block[] = [mdBlock(...lines)];
  if (c.tracking.length) {
    const t = c.tracking;
    out.push(
      htmlBlock(
        lineChart(
          'Cumulative repeat purchases: actual vs. models (calibration then holdout)',
          t.map((p) => p.period),
          [
            { name: 'actual', values: t.map((p) => p.actual) },
            ...Object.keys(t[0].predicted).map((name) => ({
              name,
              values: t.map((p) => p.predicted[name]),
              dashed: true,
            })),
          ],
          `${unitName(r)} since the first purchase in the data`,
          'cumulative repeat purchases',
          { x: c.calibrationEndPeriod, label: 'calibration end' },
        ),
      ),
    );
  }
  if (buckets.length) {
    const svg = groupedBarChart(
      'Holdout purchases per customer by calibration frequency',
      buckets.map((b) => b.label),
      [
        { name: 'actual', values: buckets.map((b) => b.actualMean) },
        ...c.metrics.map((m) => ({
          name: m.model,
          values: m.byCalibrationFrequency.map((b) => b.predictedMean),
        })),
      ],
      'mean holdout purchases',
    );
    out.push(chartBlock('Holdout purchases per customer by calibration frequency', svg, bucketTable));
  }
  return out;
}

function valueBlocks(r: ModelReport, ctx: ReportContext): Block[] {
  const c = r.clv;
  const cur = r.summary.currency;
  const out: Block[] = [
    mdBlock(
      `## Predicted value (${c.months} months, ${(100 * c.monthlyDiscountRate).toFixed(2)}% monthly discount, margin ${c.margin})`,
      '',
      `- Total historic revenue: ${money(c.totalHistoric)} ${cur}`,
      `- Total predicted CLV: ${money(c.totalPredicted)} ${cur} (mean ${money(c.meanPredicted)} per customer)`,
      `- Predicted CLV percentiles: ${Object.entries(c.percentiles)
        .map(([k, v]) => `${k} ${money(v)}`)
        .join(', ')}`,
      '',
    ),
  ];
  const bins = r.distributions.clv;
  if (bins.length) {
    const title = `Distribution of predicted ${c.months}-month value per customer`;
    const svg = groupedBarChart(
      title,
      bins.map((b) => b.label),
      [{ name: 'customers', values: bins.map((b) => b.customers) }],
      'customers',
      `predicted value per customer (${cur}; bands on a roughly logarithmic scale)`,
    );
    const table = mdTable(
      [`predicted value (${cur})`, 'customers'],
      bins.map((b) => [b.label, count(b.customers)]),
    );
    out.push(chartBlock(title, svg, table));
  }
  const p = ctx.pAlive;
  if (p) {
    const lines = ['### P(alive)', '', p.note, ''];
    if (p.values) {
      const bins = probabilityHistogram(p.values);
      const title = `P(alive) at the observation end${p.model ? ` (${p.model})` : ''}`;
      const svg = groupedBarChart(
        title,
        bins.map((b) => b.label),
        [{ name: 'customers', values: bins.map((b) => b.customers) }],
        'customers',
        'probability the customer is still active',
      );
      const table = mdTable(
        ['P(alive)', 'customers'],
        bins.map((b) => [b.label, count(b.customers)]),
      );
      out.push(mdBlock(...lines), chartBlock(title, svg, table));
    } else out.push(mdBlock(...lines, 'No P(alive) chart: no P(alive) was written in this run.', ''));
  }
  return out;
}

function profileTable(title: string, profiles: SegmentProfile[], currency: string): string[] {
  const rows = profiles.filter((p) => p.size > 0);
  if (!rows.length) return [];
  return [
    `### ${title}`,
    '',
    `| segment | customers | share | revenue share | mean CLV (${currency}) | median CLV (${currency}) | churn rate | top categories |`,
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (p) =>
        `| ${p.segment} | ${p.size} | ${pct(p.customerShare)} | ${pct(p.revenueShare)} | ${p.meanClv === null ? '–' : money(p.meanClv)} | ${p.medianClv === null ? '–' : money(p.medianClv)} | ${p.churnRate === null ? '–' : pct(p.churnRate)} | ${p.topCategories.map((c) => c.category).join(', ')} |`,
    ),
    '',
  ];
}

function segmentBlocks(r: ModelReport): Block[] {
  const s = r.segments;
  if (!s) return [];
  const cur = r.summary.currency;
  const others = [
    ...profileTable('RFM segments', s.rfm, cur),
    ...profileTable('Interests', s.interest, cur),
    ...profileTable('Countries (largest 10)', s.country.slice(0, 10), cur),
    ...profileTable('Age bands', s.ageBand, cur),
    ...profileTable('Genders', s.gender, cur),
  ];
  const model = s.model;
  if (!model) return [mdBlock('## Segments', '', ...others)];
  const chosen = model.silhouette.length
    ? `k = ${model.k}, chosen by mean silhouette (${model.silhouette.map((x) => `${x.k}: ${x.score.toFixed(3)}`).join(', ')})`
    : `k = ${model.k}, as configured`;
  const out = ['## Segments', '', `Behavioural segments: ${chosen}.`, ''];
  if (model.coarse.length) {
    out.push(
      `Coarser level for managers: ${model.coarse.map((g) => `${g.name} (${g.members.map((id) => model.names[model.ids.indexOf(id)]).join(', ')})`).join('; ')}.`,
      '',
    );
  }
  out.push(...profileTable('Behavioural segments', s.behaviour, cur));
  if (s.products.length) {
    out.push('### Best products per behavioural segment', '');
    out.push('| segment | by revenue | by lift over all customers |', '|---|---|---|');
    for (const p of s.products) {
      const label = (x: { productId: string; productName: string }) => x.productName || x.productId;
      out.push(
        `| ${p.segment} | ${p.byRevenue.map(label).join('; ')} | ${p.byLift.map((x) => `${label(x)} (×${x.lift.toFixed(1)})`).join('; ')} |`,
      );
    }
    out.push('');
  }
  out.push(...others);
  if (s.migration) {
    const m = s.migration;
    out.push(
      '### Migration since the previous run',
      '',
      `${pct(m.stayedShare)} of the customers in both runs kept their segment.`,
      '',
      `| from \\ to | ${m.to.join(' | ')} |`,
      `|---|${m.to.map(() => '---:').join('|')}|`,
      ...m.from.map((f, i) => `| ${f} | ${m.counts[i].join(' | ')} |`),
      '',
    );
  }
  return [mdBlock(...out)];
}

function churnBlocks(r: ModelReport): Block[] {
  const c = r.churn;
  if (!c) return [];
  const out: Block[] = [
    mdBlock(
      '## Churn',
      '',
      `A customer churns without a purchase within ${c.windowDays} days (or ${c.gapMultiple}× their own usual gap when longer). ` +
        `Logistic regression with ${c.calibration} calibration, trained on ${c.training.fitted} customers (churn rate ${pct(c.training.churnRate)}). ` +
        `Risk bands: low < ${fmt(c.riskCutPoints.medium, 3)}, medium < ${fmt(c.riskCutPoints.high, 3)}, high otherwise: ` +
        `${Object.entries(c.riskCounts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
      '',
    ),
  ];
  if (c.reusedFrom)
    out.push(
      mdBlock(
        `The classifier of model ${c.reusedFrom} scored this run, as trained then (its out-of-time check is in that version's metrics); the weekly retrain trains the next one.`,
        '',
      ),
    );
  const e = c.evaluation;
  if (!e) return out;
  out.push(
    mdBlock(
      `Out-of-time check (trained one window earlier, scored, compared with what happened): ROC AUC ${e.rocAuc.toFixed(3)}, ` +
        `PR AUC ${e.prAuc.toFixed(3)}, Brier ${e.brier.toFixed(3)} (baseline ${e.brierBaseline.toFixed(3)}), ` +
        `lift at the top decile ${e.liftTopDecile.toFixed(2)}, on ${e.customers} customers (churn rate ${pct(e.churnRate)}).`,
      '',
    ),
  );
  const table = mdTable(
    ['decile', 'customers', 'mean predicted', 'observed'],
    e.calibration.map((b) => [b.bin, b.count, fmt(b.meanPredicted, 3), fmt(b.observedRate, 3)]),
  );
  if (e.calibration.length) {
    const title = 'Churn: predicted vs. observed rate by decile of predicted risk (out-of-time check)';
    const svg = groupedBarChart(
      title,
      e.calibration.map((b) => String(b.bin)),
      [
        { name: 'mean predicted', values: e.calibration.map((b) => b.meanPredicted) },
        { name: 'observed', values: e.calibration.map((b) => b.observedRate) },
      ],
      'churn rate',
      'decile of predicted churn probability',
    );
    out.push(chartBlock(title, svg, table));
  }
  out.push(
    mdBlock(
      ...mdTable(
        ['predictor', 'standardised coefficient', 'permutation importance (AUC drop)'],
        e.coefficients.map((k) => {
          const imp = e.permutationImportance.find((p) => p.feature === k.feature);
          return [k.feature, fmt(k.coefficient, 3), imp ? fmt(imp.aucDrop, 4) : '–'];
        }),
      ),
    ),
  );
  return out;
}

function newCustomerBlocks(r: ModelReport): Block[] {
  const nc = r.newCustomer;
  if (!nc.purchaseDistribution.length) return [];
  return [
    mdBlock(
      `## A new customer (${r.selectedModel}, next ${nc.horizon.toFixed(1)} ${unitName(r)})`,
      '',
      `Expected purchases: ${fmt(nc.expectedPurchases, 3)}.`,
      '',
      `| purchases | ${nc.purchaseDistribution.map((d) => d.purchases).join(' | ')} |`,
      `|---|${nc.purchaseDistribution.map(() => '---:').join('|')}|`,
      `| probability | ${nc.purchaseDistribution.map((d) => fmt(d.probability, 4)).join(' | ')} |`,
      '',
    ),
  ];
}

function fitRow(f: ReportedFit): string {
  if (f.error) return `| ${f.model} | failed: ${f.error} | | | |`;
  const params = Object.entries(f.params)
    .map(([k, v]) => `${k} ${param(v)} (${param(f.standardErrors[k])})`)
    .join(', ');
  return `| ${f.model} | ${params} | ${f.logLikelihood.toFixed(2)} | ${f.n} | ${f.diagnostics.converged ? 'yes' : 'no: ' + f.diagnostics.message} |`;
}

/** Four decimals, or scientific notation for a value near 0 or very large (a parameter at a boundary). */
function param(v: number): string {
  if (Number.isFinite(v) && v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return fmt(v, 4);
}
