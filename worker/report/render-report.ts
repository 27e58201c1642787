/** Renders the model report as Markdown (for terminals and repos) and as a self-contained HTML page. */
import type { SegmentProfile } from '../analytics/segments/segment-profile';
import type { ModelReport, ReportedFit } from './model-report';
import { escapeXml, groupedBarChart, lineChart } from './svg-chart';

const unitName = (r: ModelReport) => (r.input.period === 'week' ? 'weeks' : 'days');

export function renderMarkdown(r: ModelReport): string {
  const out: string[] = [];
  out.push(`# Model report: ${r.input.file}`, '');
  out.push(
    `Format ${r.input.format}; observation end ${r.input.observationEnd}` +
      (r.input.calibrationEnd ? `; calibration end ${r.input.calibrationEnd}` : '') +
      `; time unit ${unitName(r)}.`,
    '',
  );
  out.push(
    `Customers scored: ${r.customers.scored.toLocaleString('en-US')} (${r.customers.repeatBuyers.toLocaleString('en-US')} repeat buyers).`,
    '',
  );
  out.push(`**Selected transaction model: ${r.selectedModel}** (${r.selectionReason}).`, '');
  if (r.calibration) {
    out.push(`## Holdout validation (${r.calibration.holdoutDuration.toFixed(2)} ${unitName(r)})`, '');
    out.push(
      '| model | LL (calibration) | actual total | predicted total | total error | MAE | RMSE | correlation |',
    );
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const m of r.calibration.metrics) {
      const fit = r.calibration.fits.find((f) => f.model === m.model);
      out.push(
        `| ${m.model} | ${fit ? fit.logLikelihood.toFixed(1) : ''} | ${m.actualTotal.toFixed(0)} | ${m.predictedTotal.toFixed(1)} | ${(100 * m.totalError).toFixed(2)}% | ${m.mae.toFixed(4)} | ${m.rmse.toFixed(4)} | ${m.correlation.toFixed(4)} |`,
      );
    }
    out.push('', '### Holdout purchases per customer by calibration frequency', '');
    const models = r.calibration.metrics.map((m) => m.model);
    out.push(`| calibration frequency | customers | actual | ${models.join(' | ')} |`);
    out.push(`|---|---:|---:|${models.map(() => '---:').join('|')}|`);
    const buckets = r.calibration.metrics[0]?.byCalibrationFrequency ?? [];
    buckets.forEach((b, i) => {
      const preds = r.calibration!.metrics.map((m) => fmt(m.byCalibrationFrequency[i].predictedMean, 3));
      out.push(`| ${b.label} | ${b.customers} | ${fmt(b.actualMean, 3)} | ${preds.join(' | ')} |`);
    });
    out.push('');
  }
  out.push('## Fitted on all data', '');
  out.push('| model | parameters (standard error) | LL | n | converged |');
  out.push('|---|---|---:|---:|---|');
  for (const f of [...r.fits, r.spend]) out.push(fitRow(f));
  out.push('');
  out.push(
    `Spend/frequency correlation among repeat buyers: ${fmt(r.spend.spendFrequencyCorrelation, 3)} (Gamma-Gamma assumes none). Population mean order value: ${fmt(r.spend.populationMeanValue, 2)}.`,
    '',
  );
  const c = r.clv;
  out.push(
    `## CLV (${c.months} months, ${(100 * c.monthlyDiscountRate).toFixed(2)}% monthly discount, margin ${c.margin})`,
    '',
  );
  out.push(`- Total historic revenue: ${money(c.totalHistoric)}`);
  out.push(`- Total predicted CLV: ${money(c.totalPredicted)} (mean ${money(c.meanPredicted)} per customer)`);
  out.push(
    `- Predicted CLV percentiles: ${Object.entries(c.percentiles)
      .map(([k, v]) => `${k} ${money(v)}`)
      .join(', ')}`,
  );
  out.push(...renderSegments(r), ...renderChurn(r));
  const nc = r.newCustomer;
  if (nc.purchaseDistribution.length) {
    out.push(
      '',
      `## A new customer (${r.selectedModel}, next ${nc.horizon.toFixed(1)} ${unitName(r)})`,
      '',
      `Expected purchases: ${fmt(nc.expectedPurchases, 3)}.`,
      '',
      `| purchases | ${nc.purchaseDistribution.map((d) => d.purchases).join(' | ')} |`,
      `|---|${nc.purchaseDistribution.map(() => '---:').join('|')}|`,
      `| probability | ${nc.purchaseDistribution.map((d) => fmt(d.probability, 4)).join(' | ')} |`,
    );
  }
  if (r.warnings.length) out.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  return out.join('\n') + '\n';
}

export function renderHtml(r: ModelReport): string {
  const md = renderMarkdown(r);
  let charts = '';
  if (r.calibration && r.calibration.tracking.length) {
    const t = r.calibration.tracking;
    const xs = t.map((p) => p.period);
    const series = [
      { name: 'actual', values: t.map((p) => p.actual) },
      ...Object.keys(t[0].predicted).map((name) => ({
        name,
        values: t.map((p) => p.predicted[name]),
        dashed: true,
      })),
    ];
    charts += lineChart(
      'Cumulative repeat purchases: actual vs. models (calibration then holdout)',
      xs,
      series,
      `${unitName(r)} since the first purchase in the data`,
      'cumulative repeat purchases',
      { x: r.calibration.calibrationEndPeriod, label: 'calibration end' },
    );
    const buckets = r.calibration.metrics[0].byCalibrationFrequency;
    charts += groupedBarChart(
      'Holdout purchases per customer by calibration frequency',
      buckets.map((b) => b.label),
      [
        { name: 'actual', values: buckets.map((b) => b.actualMean) },
        ...r.calibration.metrics.map((m) => ({
          name: m.model,
          values: m.byCalibrationFrequency.map((b) => b.predictedMean),
        })),
      ],
      'mean holdout purchases',
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crm-clv model report</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.5rem}
.legend{font-size:13px;margin-top:4px}</style></head>
<body>${markdownToHtml(md)}${charts}</body></html>
`;
}

function profileTable(title: string, profiles: SegmentProfile[]): string[] {
  const rows = profiles.filter((p) => p.size > 0);
  if (!rows.length) return [];
  return [
    `### ${title}`,
    '',
    '| segment | customers | share | revenue share | mean CLV | median CLV | churn rate | top categories |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (p) =>
        `| ${p.segment} | ${p.size} | ${pct(p.customerShare)} | ${pct(p.revenueShare)} | ${p.meanClv === null ? '–' : money(p.meanClv)} | ${p.medianClv === null ? '–' : money(p.medianClv)} | ${p.churnRate === null ? '–' : pct(p.churnRate)} | ${p.topCategories.map((c) => c.category).join(', ')} |`,
    ),
    '',
  ];
}

function renderSegments(r: ModelReport): string[] {
  const s = r.segments;
  if (!s) return [];
  if (!s.model) {
    return [
      ...profileTable('RFM segments', s.rfm),
      ...profileTable('Interests', s.interest),
      ...profileTable('Countries (largest 10)', s.country.slice(0, 10)),
      ...profileTable('Age bands', s.ageBand),
      ...profileTable('Genders', s.gender),
    ];
  }
  const model = s.model;
  const chosen = s.model.silhouette.length
    ? `k = ${s.model.k}, chosen by mean silhouette (${s.model.silhouette.map((x) => `${x.k}: ${x.score.toFixed(3)}`).join(', ')})`
    : `k = ${s.model.k}, as configured`;
  const out = ['', '## Segments', '', `Behavioural segments: ${chosen}.`, ''];
  if (s.model.coarse.length) {
    out.push(
      `Coarser level for managers: ${s.model.coarse.map((g) => `${g.name} (${g.members.map((id) => model.names[model.ids.indexOf(id)]).join(', ')})`).join('; ')}.`,
      '',
    );
  }
  out.push(...profileTable('Behavioural segments', s.behaviour));
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
  out.push(...profileTable('RFM segments', s.rfm));
  out.push(...profileTable('Interests', s.interest));
  out.push(...profileTable('Countries (largest 10)', s.country.slice(0, 10)));
  out.push(...profileTable('Age bands', s.ageBand));
  out.push(...profileTable('Genders', s.gender));
  if (s.migration) {
    out.push(
      '### Migration since the previous run',
      '',
      `${pct(s.migration.stayedShare)} of the customers in both runs kept their segment.`,
      '',
      `| from \\ to | ${s.migration.to.join(' | ')} |`,
      `|---|${s.migration.to.map(() => '---:').join('|')}|`,
      ...s.migration.from.map((f, i) => `| ${f} | ${s.migration!.counts[i].join(' | ')} |`),
      '',
    );
  }
  return out;
}

function renderChurn(r: ModelReport): string[] {
  const c = r.churn;
  if (!c) return [];
  const out = [
    '## Churn',
    '',
    `A customer churns without a purchase within ${c.windowDays} days (or ${c.gapMultiple}× their own usual gap when longer). ` +
      `Logistic regression with ${c.calibration} calibration, trained on ${c.training.fitted} customers (churn rate ${pct(c.training.churnRate)}). ` +
      `Risk bands: low < ${c.riskCutPoints.medium}, medium < ${c.riskCutPoints.high}, high otherwise: ` +
      `${Object.entries(c.riskCounts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    '',
  ];
  const e = c.evaluation;
  if (e) {
    out.push(
      `Out-of-time check (trained one window earlier, scored, compared with what happened): ROC AUC ${e.rocAuc.toFixed(3)}, ` +
        `PR AUC ${e.prAuc.toFixed(3)}, Brier ${e.brier.toFixed(3)} (baseline ${e.brierBaseline.toFixed(3)}), ` +
        `lift at the top decile ${e.liftTopDecile.toFixed(2)}, on ${e.customers} customers (churn rate ${pct(e.churnRate)}).`,
      '',
      '| decile | customers | mean predicted | observed |',
      '|---|---:|---:|---:|',
      ...e.calibration.map(
        (b) => `| ${b.bin} | ${b.count} | ${fmt(b.meanPredicted, 3)} | ${fmt(b.observedRate, 3)} |`,
      ),
      '',
      '| predictor | standardised coefficient | permutation importance (AUC drop) |',
      '|---|---:|---:|',
      ...e.coefficients.map((k) => {
        const imp = e.permutationImportance.find((p) => p.feature === k.feature);
        return `| ${k.feature} | ${fmt(k.coefficient, 3)} | ${imp ? fmt(imp.aucDrop, 4) : '–'} |`;
      }),
      '',
    );
  }
  return out;
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–';
}

function fitRow(f: ReportedFit): string {
  if (f.error) return `| ${f.model} | failed: ${f.error} | | | |`;
  const params = Object.entries(f.params)
    .map(([k, v]) => `${k} ${fmt(v, 4)} (${fmt(f.standardErrors[k], 4)})`)
    .join(', ');
  return `| ${f.model} | ${params} | ${f.logLikelihood.toFixed(2)} | ${f.n} | ${f.diagnostics.converged ? 'yes' : 'no: ' + f.diagnostics.message} |`;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

function money(v: number): string {
  return Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
    : '–';
}

/** Just enough Markdown for the report's own output: headings, paragraphs, lists, tables, bold. */
function markdownToHtml(md: string): string {
  const lines = md.split('\n');
  const html: string[] = [];
  let i = 0;
  const inline = (s: string) => escapeXml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        if (!/^\|[-:|]+\|$/.test(lines[i]))
          rows.push(
            lines[i]
              .slice(1, -1)
              .split('|')
              .map((c) => c.trim()),
          );
        i++;
      }
      const [head, ...body] = rows;
      html.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const h = /^(#{1,3}) (.*)$/.exec(line);
    if (h) html.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && lines[i].startsWith('- '))
        items.push(`<li>${inline(lines[i++].slice(2))}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
      continue;
    } else if (line.trim()) html.push(`<p>${inline(line)}</p>`);
    i++;
  }
  return html.join('\n');
}
