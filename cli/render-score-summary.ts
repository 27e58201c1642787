/** The readable summary `crm-clv score` and `crm-clv demo` print when a run ends. */
import { formatQualityReport } from '../worker/analytics/clean';
import type { ScoreResult } from '../worker/pipeline/score-transactions';
import type { WrittenOutputs } from '../worker/pipeline/write-score-outputs';

export function renderScoreSummary(result: ScoreResult, outputs: WrittenOutputs): string {
  const { report, summary, predictions } = result;
  // The examples (line numbers per reason) stay in quality.json; the terminal gets the counts.
  const quality = formatQualityReport(result.clean.quality).split('\nExamples:')[0].trimEnd();
  const lines: string[] = ['', quality, `(examples with line numbers: ${outputs.quality})`, ''];
  lines.push(
    `Customers scored: ${report.customers.scored.toLocaleString('en-US')} (${report.customers.repeatBuyers.toLocaleString('en-US')} repeat buyers)`,
  );
  lines.push(`Transaction model: ${report.selectedModel} (${report.selectionReason})`);
  if (report.calibration) {
    lines.push(
      '',
      `Holdout check (${report.calibration.holdoutDuration.toFixed(1)} ${summary.period}s after ${report.input.calibrationEnd}):`,
    );
    lines.push('  model         actual  predicted  total error     MAE    RMSE   corr');
    for (const m of report.calibration.metrics) {
      lines.push(
        `  ${m.model.padEnd(11)} ${m.actualTotal.toFixed(0).padStart(8)} ${m.predictedTotal.toFixed(1).padStart(10)} ${(100 * m.totalError).toFixed(2).padStart(11)}% ${m.mae.toFixed(3).padStart(7)} ${m.rmse.toFixed(3).padStart(7)} ${m.correlation.toFixed(3).padStart(6)}`,
      );
    }
  }
  const fit = report.fits.find((f) => f.model === report.selectedModel);
  if (fit) lines.push('', `${fit.model} parameters: ${formatParams(fit.params)}`);
  if (!report.spend.error) lines.push(`gamma-gamma parameters: ${formatParams(report.spend.params)}`);
  const seg = report.segments;
  if (seg?.model) {
    lines.push(
      '',
      `Behavioural segments (k = ${seg.model.k}): ${seg.behaviour.map((p) => `${p.segment} ${p.size.toLocaleString('en-US')}`).join(', ')}`,
    );
  }
  if (seg) {
    lines.push(
      `RFM segments: ${seg.rfm
        .filter((p) => p.size > 0)
        .map((p) => `${p.segment} ${p.size.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
  }
  if (report.churn) {
    const e = report.churn.evaluation;
    lines.push(
      `Churn risk: ${Object.entries(report.churn.riskCounts)
        .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
        .join(', ')}` +
        (e
          ? ` (out-of-time ROC AUC ${e.rocAuc.toFixed(3)}, lift at top decile ${e.liftTopDecile.toFixed(2)})`
          : ''),
    );
  }
  const c = report.clv;
  lines.push(
    '',
    `CLV over ${c.months} months at ${(100 * c.monthlyDiscountRate).toFixed(2)}%/month: total ${money(c.totalPredicted)}, mean ${money(c.meanPredicted)}, median ${money(c.percentiles.p50)}, top 1% above ${money(c.percentiles.p99)}`,
  );
  lines.push(`Historic revenue: ${money(c.totalHistoric)}`);
  const top = topIndices(predictions.clv, 5);
  const alive = result.pAlive.values;
  lines.push('', 'Most valuable customers (predicted CLV, P(alive), expected orders):');
  for (const i of top) {
    const pAlive = alive === null ? '  –' : `${(100 * alive[i]).toFixed(0).padStart(3)}%`;
    lines.push(
      `  ${summary.ids[i].padEnd(12)} ${money(predictions.clv[i]).padStart(12)}  ${pAlive}  ${predictions.expectedPurchases[i].toFixed(2)}`,
    );
  }
  lines.push(result.pAlive.note);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  lines.push(
    '',
    `Timings: ${Object.entries(report.timings)
      .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
      .join(', ')}`,
  );
  lines.push('', `Wrote ${Object.values(outputs).join(', ')}`, '');
  return lines.join('\n');
}

function formatParams(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
}

function money(v: number): string {
  return Number.isFinite(v)
    ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : '–';
}

function topIndices(values: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (idx.length < k || values[i] > values[idx[idx.length - 1]]) {
      idx.push(i);
      idx.sort((a, b) => values[b] - values[a]);
      if (idx.length > k) idx.pop();
    }
  }
  return idx;
}
