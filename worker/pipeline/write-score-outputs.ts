/** Writes what `crm-clv score` promises: scores.csv, quality.json, report.json, report.md and report.html. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml, renderMarkdown } from '../report/render-report';
import type { ScoreResult } from './score-transactions';
import { writeCsv } from './write-csv';
import { SEGMENT_MODEL_FILE } from './previous-run';

const MS_PER_DAY = 86_400_000;

export const SCORE_COLUMNS = [
  'customer_id',
  'segment_id',
  'segment_name',
  'segment_group',
  'rfm_score',
  'rfm_segment',
  'interest',
  'country',
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
  'churn_probability',
  'churn_risk',
  'churn_drivers',
  'recommendations',
  'model_version',
] as const;

export type WrittenOutputs = {
  scores: string;
  quality: string;
  report: string;
  markdown: string;
  html: string;
  segmentModel: string;
  recommendations: string;
};

export async function writeScoreOutputs(
  dir: string,
  result: ScoreResult,
  modelVersion: string,
): Promise<WrittenOutputs> {
  await mkdir(dir, { recursive: true });
  const { summary, predictions: p, report, clean, insights } = result;
  const seg = insights.segments;
  const daysPerUnit = summary.period === 'week' ? 7 : 1;
  const endMs = (summary.observationEndDay + 1) * MS_PER_DAY;
  const paths: WrittenOutputs = {
    scores: join(dir, 'scores.csv'),
    quality: join(dir, 'quality.json'),
    report: join(dir, 'report.json'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
    segmentModel: join(dir, SEGMENT_MODEL_FILE),
    recommendations: join(dir, 'recommendations.csv'),
  };
  await writeCsv(paths.scores, SCORE_COLUMNS, summary.ids.length, (i) => [
    summary.ids[i],
    seg?.segmentId[i],
    seg?.segmentName[i],
    seg?.groupId[i],
    insights.rfm.rfmScore[i],
    insights.rfm.segmentName[i],
    insights.interest[i],
    insights.country[i],
    summary.frequency[i],
    summary.recency[i],
    summary.T[i],
    summary.monetaryValue[i],
    summary.totalRevenue[i] * report.clv.margin,
    p.expectedPurchases[i],
    p.expectedAverageValue[i],
    p.probabilityAlive[i],
    p.clv[i],
    p.clvNet ? p.clvNet[i] : p.clv[i],
    Number.isFinite(p.nextPurchase[i])
      ? new Date(endMs + Math.round(p.nextPurchase[i] * daysPerUnit) * MS_PER_DAY).toISOString().slice(0, 10)
      : '',
    insights.churnProbability[i],
    insights.churnRisk[i],
    insights.churnDrivers(i).join('; '),
    insights
      .recommendations(i)
      .map((r) => r.productId)
      .join('|'),
    modelVersion,
  ]);
  await writeRecommendations(paths.recommendations, result);
  if (seg) await writeFile(paths.segmentModel, JSON.stringify(seg.model) + '\n');
  await writeFile(paths.quality, JSON.stringify(clean.quality, null, 2) + '\n');
  await writeFile(paths.report, JSON.stringify({ ...report, modelVersion }, jsonNumbers, 2) + '\n');
  await writeFile(paths.markdown, renderMarkdown(report));
  await writeFile(paths.html, renderHtml(report));
  return paths;
}

/** One row per recommended product: rank, product, score and the reason shown to the sales rep. */
async function writeRecommendations(path: string, result: ScoreResult): Promise<void> {
  const { summary, insights } = result;
  const perRow = 5;
  let current = -1;
  let picks: ReturnType<typeof insights.recommendations> = [];
  await writeCsv(
    path,
    ['customer_id', 'rank', 'product_id', 'product_name', 'score', 'reason'],
    summary.ids.length * perRow,
    (k) => {
      const row = Math.floor(k / perRow);
      if (row !== current) {
        current = row;
        picks = insights.recommendations(row);
      }
      const pick = picks[k % perRow];
      return pick
        ? [
            summary.ids[row],
            (k % perRow) + 1,
            pick.productId,
            pick.productName.trim(),
            pick.score,
            pick.reason,
          ]
        : null;
    },
  );
}

/** JSON has no NaN or Infinity: write null so the file stays valid. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
