/**
 * The score stage cut into shards gives exactly the Scores of the same run made in one piece, whatever the
 * shard size and however often a step is retried; a commit with a shard missing changes nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import type { Score } from '../../domain/score';
import { loadPlaybooks, type CardFacts } from '../../playbooks';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore, type ScoreRunRequest } from '../../worker/jobs/score-run';
import {
  commitShardedRun,
  fitShardedRun,
  scoreShard,
  scoreShardedInline,
} from '../../worker/jobs/score-shards';
import { resetProcessPlaybooks } from '../../worker/pipeline/process-playbooks';
import type { ScoreRunSettings } from '../../worker/pipeline/score-transactions';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { FileRecordStore } from '../../worker/state';

const SCORED_AT = '2025-01-15T09:30:00.000Z';
const CUSTOMERS = 600;

let settings: ScoreRunSettings;
let store: FileRecordStore;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-clv-shards-'));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, { customers: CUSTOMERS, seed: 23 });
  settings = {
    ...STANDARD_SCORE_SETTINGS,
    transactions,
    observationEnd: generated.options.end,
    baseCurrency: generated.options.currency,
    productCategories: demoCatalogueCategories(),
    productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
  };
  store = new FileRecordStore(join(dir, 'store'));
});

const request = (tenant: string, at = SCORED_AT): ScoreRunRequest & { store: FileRecordStore } => ({
  settings,
  tenant,
  source: 'csv',
  engineVersion: 'test',
  store,
  now: () => new Date(at),
});

async function storedScores(tenant: string): Promise<Score[]> {
  const stored = await store.readScoreRun(tenant);
  if (stored === undefined) throw new Error(`${tenant} has no score run`);
  return stored.scores;
}

describe('a score run in shards', () => {
  let whole: Score[];

  beforeAll(async () => {
    await runScore(request('csv-whole'));
    whole = await storedScores('csv-whole');
  });

  it('stores exactly the Scores of the one-piece run, drivers and recommendations included', async () => {
    // The data must exercise every part a slice carries, or the comparison proves little.
    expect(whole.length).toBeGreaterThan(CUSTOMERS * 0.8);
    expect(whole.filter((s) => s.churnDrivers !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.recommendations !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.segmentId !== undefined).length).toBe(whole.length);
    expect(whole.some((s) => s.nextOrderDate !== undefined)).toBe(true);
    expect(whole.filter((s) => s.nextBestActions !== undefined).length).toBeGreaterThan(whole.length / 2);

    const { run } = await scoreShardedInline(request('csv-sharded'), 'flow-1', 37);
    expect(run.customers).toBe(whole.length);
    expect(await storedScores('csv-sharded')).toEqual(whole);
    // The run's model part is stored as the one-piece run stores it.
    const [a, b] = await Promise.all([store.getModel('csv-whole'), store.getModel('csv-sharded')]);
    expect(b?.version).toBe(a?.version);
    expect(b?.segmentModel).toEqual(a?.segmentModel);
    expect(b?.current?.transaction).toEqual(a?.current?.transaction);
  });

  it('gives the same Scores when shards and the commit are retried, and a fit retried reuses its staging', async () => {
    const tenant = 'csv-retried';
    const first = await fitShardedRun(request(tenant), 'flow-2', 100);
    expect(first.shards).toBe(Math.ceil(whole.length / 100));
    // A fit that finished is not redone: a later clock changes nothing staged.
    const again = await fitShardedRun(request(tenant, '2025-02-01T00:00:00.000Z'), 'flow-2', 100);
    expect(again.run).toEqual(first.run);
    for (let s = first.shards - 1; s >= 0; s--) await scoreShard(store, tenant, 'flow-2', s);
    await scoreShard(store, tenant, 'flow-2', 2);
    await scoreShard(store, tenant, 'flow-2', 0);
    await commitShardedRun(store, tenant, 'flow-2', first.run.runId);
    await commitShardedRun(store, tenant, 'flow-2', first.run.runId);
    expect(await storedScores(tenant)).toEqual(whole);
    // Once committed, the scratch is gone: a commit that cannot tell the run is done says what to do.
    await expect(commitShardedRun(store, tenant, 'flow-2')).rejects.toThrow(/run the score stage again/);
  });

  it('refuses to commit with a shard missing, naming it, and leaves the current run as it was', async () => {
    const tenant = 'csv-missing';
    await scoreShardedInline(request(tenant), 'flow-3', 5_000);
    const before = await storedScores(tenant);
    const { shards } = await fitShardedRun(request(tenant, '2025-01-16T00:00:00.000Z'), 'flow-4', 150);
    for (let s = 0; s < shards; s++) if (s !== 1) await scoreShard(store, tenant, 'flow-4', s);
    await expect(commitShardedRun(store, tenant, 'flow-4')).rejects.toThrow(/\b1\b/);
    expect(await storedScores(tenant)).toEqual(before);
  });
});

describe('a rescore of a stored tenant', () => {
  it("scores churn with the promoted version's classifier, trained on its first run, and trains none", async () => {
    const tenant = 'csv-rescored';
    const first = await runScore(request(tenant));
    const v1 = (await store.getModel(tenant))?.current;
    expect(v1?.churn?.spec.features.length).toBeGreaterThan(0);
    expect(first.result.report.churn?.reusedFrom).toBeNull();
    expect(first.result.report.churn?.evaluation).not.toBeNull();

    const again = await runScore(request(tenant, '2025-01-16T09:30:00.000Z'));
    const churn = again.result.report.churn!;
    expect(churn.reusedFrom).toBe('v1');
    // No training in this run: no out-of-time check, and the model's own training cutoff and sizes are v1's.
    expect(churn.evaluation).toBeNull();
    expect(churn.trainedAtDay).toBe(first.result.report.churn!.trainedAtDay);
    expect(churn.training).toEqual(first.result.report.churn!.training);
    // Same data, same day, same classifier: the same probabilities as the first run.
    const byId = new Map(first.scores.map((s) => [s.customerId, s.churnProbability]));
    for (const s of again.scores) expect(s.churnProbability).toBe(byId.get(s.customerId));
    expect(again.result.report.warnings.join('\n')).not.toMatch(/cannot score these data/);
  });
});

/**
 * A customer's facts read straight from the generated file, for customers whose every line is a plain
 * purchase (no cancellation, refund, duplicate or broken line, nothing after the end): orders are distinct
 * order ids, days are UTC days, the usual gap the median gap between distinct purchase days.
 */
function plainCustomerFacts(csv: string, endDay: number): Map<string, Omit<CardFacts, 'currency'>> {
  const lines = csv.trim().split('\n').slice(1);
  const seen = new Set<string>();
  const spoilt = new Set<string>();
  const byCustomer = new Map<string, { orders: Set<string>; days: Set<number> }>();
  for (const line of lines) {
    const [customerId, orderId, date, amount] = line.split(',');
    if (!customerId) continue;
    const time = Date.parse(date);
    const day = Math.floor(time / 86_400_000);
    // Date.parse rolls 2023-02-30 over to 2 March; the cleaner rejects it: a date must read back as written.
    const exact = Number.isFinite(time) && new Date(time).toISOString().slice(0, 19) === date.slice(0, 19);
    if (seen.has(line) || !exact || !(Number(amount) > 0) || !(day <= endDay) || line.split(',').length !== 9)
      spoilt.add(customerId);
    seen.add(line);
    const c = byCustomer.get(customerId) ?? { orders: new Set<string>(), days: new Set<number>() };
    c.orders.add(orderId);
    c.days.add(day);
    byCustomer.set(customerId, c);
  }
  const facts = new Map<string, Omit<CardFacts, 'currency'>>();
  for (const [id, c] of byCustomer) {
    if (spoilt.has(id)) continue;
    const days = [...c.days].sort((a, b) => a - b);
    const gaps = days
      .slice(1)
      .map((d, i) => d - days[i])
      .sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    const median = gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
    facts.set(id, {
      orders: c.orders.size,
      daysSinceLastOrder: endDay - days[days.length - 1],
      ...(gaps.length > 0 ? { usualGapDays: median } : {}),
    });
  }
  return facts;
}

/** 5 = top fifth by predicted CLV, by mid-rank as RFM scores are (ties share a quintile). */
function clvQuintile(all: readonly Score[], score: Score): number {
  const below = all.filter((s) => s.clvPredicted < score.clvPredicted).length;
  const tied = all.filter((s) => s.clvPredicted === score.clvPredicted).length;
  const midRank = below + (tied + 1) / 2;
  return Math.min(5, Math.floor((5 * (midRank - 0.5)) / all.length) + 1);
}

describe('next best actions in a score run', () => {
  let result: Awaited<ReturnType<typeof runScore>>;
  let scores: Score[];

  beforeAll(async () => {
    result = await runScore(request('csv-actions'));
    scores = await storedScores('csv-actions');
  });
  afterEach(() => resetProcessPlaybooks());

  it("gives most Scores 1–3 actions, the playbooks' own for facts worked out from the file", () => {
    const withActions = scores.filter((s) => s.nextBestActions !== undefined);
    expect(withActions.length).toBeGreaterThan(scores.length * 0.8);
    for (const s of withActions) expect(s.nextBestActions!.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...withActions.map((s) => s.nextBestActions!.length))).toBe(3);
    // More than one kind of advice comes out of the data.
    expect(new Set(withActions.map((s) => s.nextBestActions![0].id)).size).toBeGreaterThan(2);

    const { run } = result;
    const endDay = Date.parse(settings.observationEnd) / 86_400_000;
    const plain = plainCustomerFacts(readFileSync(settings.transactions, 'utf8'), endDay);
    // A few customers, each with a different top action: a one-time buyer, the most frequent, and the rest.
    const chosen = new Map<string, Score>();
    const candidates = [...scores]
      .filter((s) => plain.has(s.customerId))
      .sort((a, b) => plain.get(b.customerId)!.orders! - plain.get(a.customerId)!.orders!);
    chosen.set(candidates[0].customerId, candidates[0]);
    const once = candidates.find((s) => plain.get(s.customerId)!.orders === 1)!;
    chosen.set(once.customerId, once);
    const tops = new Set([...chosen.values()].map((s) => s.nextBestActions?.[0]?.id));
    for (const s of candidates) {
      if (chosen.size >= 4) break;
      const top = s.nextBestActions?.[0]?.id;
      if (!tops.has(top)) {
        chosen.set(s.customerId, s);
        tops.add(top);
      }
    }
    expect(chosen.size).toBeGreaterThanOrEqual(3);

    const playbooks = loadPlaybooks();
    for (const score of chosen.values()) {
      const facts: CardFacts = {
        ...plain.get(score.customerId)!,
        currency: run.currency,
        clvMonths: run.clvMonths,
        clvQuintile: clvQuintile(scores, score),
      };
      const expected = playbooks
        .nextBestActions(score, facts)
        .map(({ id, title, reason, priority }) => ({ id, title, reason, priority }));
      expect([score.customerId, score.nextBestActions ?? []]).toEqual([score.customerId, expected]);
    }
  });

  it("fails the run with the rule file's problems named when the rules cannot be loaded", async () => {
    const rules = JSON.parse(
      readFileSync(join(__dirname, '../../playbooks/rules/next-best-actions.json'), 'utf8'),
    );
    rules.rules[1].when.churnRisk = ['hgh'];
    const broken = join(dir, 'broken-rules.json');
    writeFileSync(broken, JSON.stringify(rules));
    resetProcessPlaybooks({ rulesFile: broken });
    await expect(runScore(request('csv-broken-rules'))).rejects.toThrow(
      /The playbooks cannot be loaded[\s\S]*save-valuable-at-risk[\s\S]*hgh/,
    );
    expect(await store.readScoreRun('csv-broken-rules')).toBeUndefined();
  });
});
