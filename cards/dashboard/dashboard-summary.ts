/**
 * What the manager dashboard shows, from a tenant's index (the same one the cards read): segments with size,
 * value and change since the previous run, the CLV and churn-risk distributions, revenue at risk, the model
 * with its accuracy and drift, and data freshness.
 */
import type { TenantIndex } from '../contact-card/tenant-index';

export type SegmentRow = {
  id: string;
  name: string;
  size: number;
  /** Σ predicted CLV. */
  value: number;
  historic: number;
  highRisk: number;
  change?: { size: number; value: number };
};

export type SegmentSnapshot = {
  commit: string;
  runId: string;
  scoredAt: string;
  segments: Record<string, { size: number; value: number }>;
};

export type DashboardSummary = {
  tenant: string;
  runId: string | null;
  scoredAt: string | null;
  currency: string;
  months: number;
  customers: number;
  synced: number;
  segments: SegmentRow[];
  /** The run the changes compare with; null when none is kept. */
  comparedWith: { runId: string; scoredAt: string } | null;
  clvBuckets: { label: string; from: number; to: number; customers: number; value: number }[];
  risk: { band: 'low' | 'medium' | 'high'; customers: number; value: number }[];
  /** Σ p(churn) × predicted CLV: the value expected to be lost without action. */
  revenueAtRisk: number;
  /** Σ predicted CLV of the high-risk band. */
  highRiskValue: number;
  model: {
    version: string | null;
    trainedAt: string | null;
    holdoutRmse: number | null;
    churnAuc: number | null;
    drift: { feature: string; psi: number }[];
    driftCheckedAt: string | null;
    lastRetrainPromoted: boolean | null;
  };
};

export function segmentSnapshot(index: TenantIndex): SegmentSnapshot | undefined {
  if (index.run === undefined) return undefined;
  const segments: SegmentSnapshot['segments'] = {};
  for (const s of index.scores.values()) {
    const id = s.segmentId ?? s.rfmSegment ?? 'unsegmented';
    const row = (segments[id] ??= { size: 0, value: 0 });
    row.size++;
    row.value += s.clvPredicted;
  }
  return { commit: index.commit, runId: index.run.runId, scoredAt: index.run.scoredAt, segments };
}

export function dashboardSummary(
  index: TenantIndex,
  previous: SegmentSnapshot | undefined,
): DashboardSummary {
  const rows = new Map<string, SegmentRow>();
  const risk = {
    low: { customers: 0, value: 0 },
    medium: { customers: 0, value: 0 },
    high: { customers: 0, value: 0 },
  };
  let revenueAtRisk = 0;
  const clv: number[] = [];
  for (const s of index.scores.values()) {
    const id = s.segmentId ?? s.rfmSegment ?? 'unsegmented';
    let row = rows.get(id);
    if (!row)
      rows.set(
        id,
        (row = {
          id,
          name: s.segmentName ?? s.rfmSegment ?? 'Unsegmented',
          size: 0,
          value: 0,
          historic: 0,
          highRisk: 0,
        }),
      );
    row.size++;
    row.value += s.clvPredicted;
    row.historic += s.clvHistoric;
    if (s.churnRisk === 'high') row.highRisk++;
    if (s.churnRisk) {
      risk[s.churnRisk].customers++;
      risk[s.churnRisk].value += s.clvPredicted;
    }
    if (s.churnProbability !== undefined) revenueAtRisk += s.churnProbability * Math.max(0, s.clvPredicted);
    clv.push(s.clvPredicted);
  }
  const comparable = previous !== undefined && previous.commit !== index.commit ? previous : undefined;
  const segments = [...rows.values()].sort((a, b) => b.value - a.value);
  if (comparable)
    for (const row of segments) {
      const before = comparable.segments[row.id] ?? { size: 0, value: 0 };
      row.change = { size: row.size - before.size, value: row.value - before.value };
    }
  clv.sort((a, b) => a - b);
  const clvBuckets: DashboardSummary['clvBuckets'] = [];
  const labels = ['Bottom fifth', 'Second fifth', 'Middle fifth', 'Fourth fifth', 'Top fifth'];
  for (let q = 0; q < 5 && clv.length > 0; q++) {
    const from = Math.floor((q * clv.length) / 5);
    const to = Math.floor(((q + 1) * clv.length) / 5);
    const part = clv.slice(from, to);
    if (part.length === 0) continue;
    clvBuckets.push({
      label: labels[q],
      from: part[0],
      to: part[part.length - 1],
      customers: part.length,
      value: part.reduce((a, b) => a + b, 0),
    });
  }
  const current = index.current;
  const retrain = index.model?.lastRetrain;
  return {
    tenant: index.tenant,
    runId: index.run?.runId ?? null,
    scoredAt: index.run?.scoredAt ?? null,
    currency: index.run?.currency ?? 'USD',
    months: index.run?.clvMonths ?? 12,
    customers: index.scores.size,
    synced: index.customers.size,
    segments,
    comparedWith: comparable ? { runId: comparable.runId, scoredAt: comparable.scoredAt } : null,
    clvBuckets,
    risk: (['high', 'medium', 'low'] as const).map((band) => ({ band, ...risk[band] })),
    revenueAtRisk,
    highRiskValue: risk.high.value,
    model: {
      version: index.run?.modelVersion ?? current?.version ?? index.model?.version ?? null,
      trainedAt: current?.trainedAt ?? index.model?.trainedAt ?? null,
      holdoutRmse: current?.metrics.holdoutRmse ?? null,
      churnAuc: current?.metrics.churnAuc ?? null,
      drift: Object.entries(retrain?.drift ?? {})
        .map(([feature, psi]) => ({ feature, psi }))
        .sort((a, b) => b.psi - a.psi),
      driftCheckedAt: retrain?.at ?? null,
      lastRetrainPromoted: retrain?.promoted ?? null,
    },
  };
}
