/**
 * Do the scores sort people? Scores a data set as of an observation end E, then looks at what each customer
 * did in (E, E + 90 days], which the engine never saw: the share of customers per churn band, the observed
 * churn rate per band, customers shown both alive (P(alive) ≥ 0.9) and at high risk, and the segment sizes.
 *
 *   node dist/bench/stages/churn-bands.js online-retail [2011-06-09]
 *   node dist/bench/stages/churn-bands.js demo-portal [contacts=3000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import { syncTenant } from '../../worker/jobs/sync-tenant';
import { tenantScoreInput } from '../../worker/jobs/tenant-score-input';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { scoreTransactions, type ScoreResult } from '../../worker/pipeline/score-transactions';
import { FileRecordStore } from '../../worker/state';
import { ONLINE_RETAIL_FILE } from '../shared-data';

const DAY_MS = 86_400_000;
const OUTCOME_DAYS = 90;
const BANDS = ['low', 'medium', 'high'] as const;

const BASE = { ...STANDARD_SCORE_SETTINGS, churnWindowDays: OUTCOME_DAYS };

export type BandFigures = {
  dataset: string;
  observationEnd: string;
  customers: number;
  bands: { band: string; share: number; customers: number; observedChurn: number }[];
  aliveAndHigh: number;
  pAliveModel: string | null;
  segments: { name: string; share: number }[];
  families: number;
  auc: number | null;
};

/** The figures for one scored run, given who bought again in (E, E + 90 d]. */
export function bandFigures(
  dataset: string,
  result: ScoreResult,
  observationEnd: string,
  boughtAfter: ReadonlySet<string>,
): BandFigures {
  const { summary, insights, pAlive } = result;
  const ids = summary.ids;
  const counts = new Map<string, { customers: number; churned: number }>();
  let aliveAndHigh = 0;
  for (let i = 0; i < ids.length; i++) {
    const band = insights?.churnRisk[i] ?? 'none';
    const c = counts.get(band) ?? { customers: 0, churned: 0 };
    c.customers++;
    if (!boughtAfter.has(ids[i])) c.churned++;
    counts.set(band, c);
    if (band === 'high' && pAlive.values !== null && pAlive.values[i] >= 0.9) aliveAndHigh++;
  }
  const segmentSizes = new Map<string, number>();
  const groups = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const name = insights?.segments?.segmentName[i];
    if (name !== undefined) segmentSizes.set(name, (segmentSizes.get(name) ?? 0) + 1);
    const group = insights?.segments?.groupId[i];
    if (group !== undefined) groups.add(group);
  }
  const auc = heldOutAuc(ids, insights?.churnProbability, boughtAfter);
  return {
    dataset,
    observationEnd,
    customers: ids.length,
    bands: [...BANDS, 'none']
      .filter((b) => counts.has(b))
      .map((band) => {
        const c = counts.get(band)!;
        return {
          band,
          customers: c.customers,
          share: c.customers / ids.length,
          observedChurn: c.churned / c.customers,
        };
      }),
    aliveAndHigh: aliveAndHigh / ids.length,
    pAliveModel: pAlive.model,
    segments: [...segmentSizes]
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => ({ name, share: n / ids.length })),
    families: groups.size,
    auc: typeof auc === 'number' ? auc : null,
  };
}

/** Mann–Whitney AUC (Hanley & McNeil 1982): P(a churner scores above a buyer), ties counted half. */
function heldOutAuc(
  ids: readonly string[],
  probability: Float64Array | undefined,
  boughtAfter: ReadonlySet<string>,
): number | null {
  if (probability === undefined) return null;
  const rows = ids
    .map((id, i) => ({ p: probability[i], churned: !boughtAfter.has(id) }))
    .filter((r) => Number.isFinite(r.p));
  rows.sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j < rows.length && rows[j].p === rows[i].p) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (!rows[k].churned) continue;
      rankSum += midRank;
      positives++;
    }
    i = j;
  }
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function formatFigures(f: BandFigures): string {
  const lines = [
    `${f.dataset}, observation end ${f.observationEnd}, ${f.customers} customers; outcome: no order in the next ${OUTCOME_DAYS} days`,
    ...f.bands.map(
      (b) =>
        `  ${b.band.padEnd(6)} ${pct(b.share).padStart(6)} of customers (${b.customers}), observed churn ${pct(b.observedChurn)}`,
    ),
    `  P(alive) from ${f.pAliveModel ?? 'no model (not written)'}; P(alive) ≥ 0.9 and high risk: ${pct(f.aliveAndHigh)}`,
    `  ROC AUC of churn probability against the held-out outcome: ${f.auc === null ? 'n/a' : f.auc.toFixed(3)}`,
    `  ${f.segments.length} segments in ${f.families} families: ${f.segments.map((s) => `${s.name} ${pct(s.share)}`).join(', ')}`,
  ];
  return lines.join('\n');
}

async function onlineRetail(observationEnd: string): Promise<BandFigures> {
  const settings = {
    ...BASE,
    transactions: ONLINE_RETAIL_FILE,
    format: 'online-retail' as const,
    baseCurrency: 'GBP',
  };
  const result = await scoreTransactions({ ...settings, observationEnd });
  const outcomeEnd = new Date(Date.parse(observationEnd) + OUTCOME_DAYS * DAY_MS).toISOString().slice(0, 10);
  const later = await scoreTransactions({ ...settings, observationEnd: outcomeEnd, insights: false });
  const endMs = Date.parse(observationEnd) + DAY_MS;
  const bought = new Set<string>();
  const { orders, customers } = later.clean;
  for (let o = 0; o < orders.time.length; o++)
    if (orders.time[o] >= endMs) bought.add(customers[orders.customer[o]]);
  return bandFigures('UCI Online Retail', result, observationEnd, bought);
}

async function demoPortal(contacts: number): Promise<BandFigures> {
  const sandbox = createHubSpotSandbox({ token: 't', portalId: '1000', seed: 42, contacts });
  const running = await sandbox.listen(0);
  const dir = await mkdtemp(join(tmpdir(), 'churn-bands-'));
  try {
    const connection = createHubSpotConnection({
      accessToken: 't',
      baseUrl: running.url,
      account: { auth: 'oauth' },
    });
    const adapter = createHubSpotAdapter({ connection, portalId: 1000 });
    const store = new FileRecordStore(dir);
    await syncTenant({ adapter, store, mode: 'full' });
    const input = await tenantScoreInput(store, adapter.tenant, {
      currency: 'USD',
      rates: { EUR: 1.08, GBP: 1.27 },
      where: dir,
    });
    const lastDayMs = Date.parse(DEFAULT_OBSERVATION_END) - DAY_MS;
    const observationEnd = new Date(lastDayMs - OUTCOME_DAYS * DAY_MS).toISOString().slice(0, 10);
    const result = await scoreTransactions({
      ...BASE,
      transactions: 'demo portal',
      format: 'generic',
      rows: input.rows,
      observationEnd,
      baseCurrency: input.baseCurrency,
      currencyRates: input.rates,
      productCategories: input.productCategories,
      productNames: input.productNames,
      crm: input.crm,
    });
    const endMs = Date.parse(observationEnd) + DAY_MS;
    const bought = new Set<string>();
    for (const order of await store.readRecords(adapter.tenant, 'order'))
      if (order.status === 'won' && Date.parse(order.placedAt) >= endMs) bought.add(order.customerId);
    return bandFigures(`demo HubSpot portal (${contacts} contacts)`, result, observationEnd, bought);
  } finally {
    await running.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [which = 'online-retail', arg] = process.argv.slice(2);
  const figures =
    which === 'demo-portal' ? await demoPortal(Number(arg ?? 3000)) : await onlineRetail(arg ?? '2011-06-09');
  process.stdout.write(formatFigures(figures) + '\n');
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
