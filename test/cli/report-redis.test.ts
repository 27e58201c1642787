/**
 * The report commands on a tenant the worker keeps: the HubSpot sandbox synced and scored by the worker's
 * processors (the inline runner) into a RedisRecordStore, its acquisition spend set in the Redis tenant
 * registry as `crm-clv tenant spend` does, then `crm-clv report performance|campaigns|email-content --redis`
 * from a shell on the same Redis and prefix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import type { RunningSandbox } from '../../connectors/hubspot/sandbox';
import type { AcquisitionSpend } from '../../worker/analytics/performance';
import { readSalesPerformance } from '../../worker/jobs/store-sales-performance';
import type { SalesPerformance } from '../../worker/pipeline/sales-performance';
import { runInline } from '../../worker/queue/inline-runner';
import type { RunStage } from '../../worker/queue/stages';
import { RedisRecordStore } from '../../worker/state';
import { RedisTenantRegistry } from '../../worker/tenants';
import { runCliAsync, tempDir } from '../helpers/run-cli';
import { sandboxStageContext } from '../helpers/sandbox-stage-context';
import { testRedis, type TestRedis } from '../helpers/test-redis';

const TENANT = 'hubspot-1000';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const SPEND_PER_MONTH = 50;
const RATES = { EUR: 1.08, GBP: 1.27 };

let t: TestRedis;
let sandbox: RunningSandbox;
let store: RedisRecordStore;
let registry: RedisTenantRegistry;
let paidChannel: string;
let spendRows: AcquisitionSpend[];
let stored: SalesPerformance;
let env: Record<string, string>;
const dir = tempDir('report-redis');

/** Every month from 2000 to 2030: spend that covers every customer's first purchase. */
function everyMonth(channel: string): AcquisitionSpend[] {
  const rows: AcquisitionSpend[] = [];
  for (let y = 2000; y <= 2030; y++)
    for (let m = 1; m <= 12; m++)
      rows.push({ channel, month: `${y}-${String(m).padStart(2, '0')}`, spend: SPEND_PER_MONTH });
  return rows;
}

beforeAll(async () => {
  t = await testRedis();
  env = { REDIS_URL: process.env.REDIS_URL!, CRM_CLV_REDIS_PREFIX: t.prefix };
  store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  registry = new RedisTenantRegistry({ redis: t.redis, prefix: t.prefix });
  sandbox = await createHubSpotSandbox({ token: 't', portalId: '1000', seed: 9, contacts: 300 }).listen(0);
  await registry.put({
    tenant: TENANT,
    crm: 'hubspot',
    accountId: '1000',
    baseUrl: sandbox.url,
    auth: 'oauth',
    schedule: { syncEveryMinutes: 15, rescoreCron: '0 2 * * *', retrainCron: '0 3 * * 0' },
    addedAt: '2026-01-01T00:00:00.000Z',
  });
  // As the worker builds it (cli/commands/worker.ts): the spend is read from the registry at the commit.
  const context = sandboxStageContext(store, sandbox.url, {
    extra: { acquisitionSpend: async (tenant) => (await registry.get(tenant))?.acquisitionSpend },
  });
  const data = {
    mode: 'full' as const,
    observationEnd: OBSERVATION_END,
    currency: 'USD',
    rates: RATES,
    tenant: TENANT,
    runId: 'report-redis',
  };
  await runInline(['sync'] satisfies RunStage[], data, context);
  // The channel most customers came through gets spend in every month; the others none.
  const counts = new Map<string, number>();
  for (const c of await store.readRecords(TENANT, 'customer'))
    if (c.acquisitionChannel) counts.set(c.acquisitionChannel, (counts.get(c.acquisitionChannel) ?? 0) + 1);
  paidChannel = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  spendRows = everyMonth(paidChannel);
  await registry.updateSettings(TENANT, { acquisitionSpend: spendRows });
  await runInline(['score'] satisfies RunStage[], data, context);
  stored = (await readSalesPerformance(store, TENANT))!;
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
  await t?.cleanup();
});

describe('a worker-scored tenant on Redis', () => {
  it("stores a sales-performance report whose paid channel has CAC, CLV:CAC and payback from the registry's spend", () => {
    const total = SPEND_PER_MONTH * spendRows.length;
    const paid = stored.channels.find((c) => c.channel === paidChannel)!;
    expect(paid.customersAcquired).toBeGreaterThan(0);
    expect(paid.spend).toBeCloseTo(total, 6);
    // The spend covers every month, so every customer of the channel is in CAC's denominator.
    expect(paid.customersInSpendMonths).toBe(paid.customersAcquired);
    expect(paid.cac).toBeCloseTo(total / paid.customersAcquired, 6);
    expect(paid.clvToCac).toBeCloseTo(paid.meanClv / (total / paid.customersAcquired), 6);
    expect(paid.paybackMonths).toBeCloseTo(
      total / paid.customersAcquired / (paid.meanClv / stored.clvMonths),
      6,
    );
    for (const other of stored.channels.filter((c) => c.channel !== paidChannel))
      expect(other.cac).toBeUndefined();
  });

  it('report performance --redis reads the Redis store and the registered spend', async () => {
    const out = join(dir, 'performance');
    // The worker's run had these rates; without them the CLI would leave the EUR and GBP deals out.
    const rates = join(dir, 'rates.json');
    writeFileSync(rates, JSON.stringify(RATES));
    const run = await runCliAsync(
      ['report', 'performance', '--tenant', TENANT, '--redis', '--rates', rates, '--out', out],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `Acquisition spend: the tenant's registered spend (${spendRows.length} rows).`,
    );
    const report = JSON.parse(readFileSync(join(out, 'performance.json'), 'utf8')) as SalesPerformance;
    expect(report.runId).toBe(stored.runId);
    expect(report.reps.filter((r) => r.segment === 'all').map((r) => [r.repName, r.won, r.lost])).toEqual(
      stored.reps.filter((r) => r.segment === 'all').map((r) => [r.repName, r.won, r.lost]),
    );
    expect(report.reps.length).toBeGreaterThan(0);
    const paid = report.channels.find((c) => c.channel === paidChannel)!;
    expect(paid.cac).toBeCloseTo((SPEND_PER_MONTH * spendRows.length) / paid.customersAcquired, 6);

    // Without --redis the same command reads --data-dir, where this tenant has nothing.
    const files = await runCliAsync(
      ['report', 'performance', '--tenant', TENANT, '--data-dir', join(dir, 'empty'), '--out', out],
      env,
    );
    expect(files.status).not.toBe(0);
    expect(files.stderr).toContain(`tenant ${TENANT} has no score run yet`);
  }, 120_000);

  it('report campaigns --redis gives the KPIs of a campaign stored on Redis', async () => {
    const customers = (await store.readRecords(TENANT, 'customer')).slice(0, 3);
    await store.putRecords(TENANT, 'campaign', [{ id: 'spring', name: 'Spring <sale>', cost: 500 }]);
    // Joined after the observation end: no won order can follow within the window, so no conversion.
    await store.putRecords(
      TENANT,
      'campaignMember',
      customers.map((c, i) => ({
        id: `m${i}`,
        campaignId: 'spring',
        customerId: c.id,
        joinedAt: '2031-01-01T00:00:00.000Z',
        ...(i === 0 ? { respondedAt: '2031-01-02T00:00:00.000Z' } : {}),
      })),
    );
    const run = await runCliAsync(['report', 'campaigns', '--tenant', TENANT, '--redis', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { runId: string; campaigns: Record<string, unknown>[] };
    expect(report.runId).toBe(stored.runId);
    // Every campaign of the store (the sandbox's synced ones and this one), this one with its KPIs.
    const campaignIds = (await store.readRecords(TENANT, 'campaign')).map((c) => c.id);
    expect(report.campaigns.map((c) => c.campaignId).sort()).toEqual(campaignIds.sort());
    expect(report.campaigns.find((c) => c.campaignId === 'spring')).toEqual(
      expect.objectContaining({
        campaignId: 'spring',
        members: 3,
        responded: 1,
        converted: 0,
        revenue: 0,
        cost: 500,
        roi: -1,
      }),
    );
  }, 60_000);

  it('report email-content --redis writes the snippets of the run stored on Redis', async () => {
    const out = join(dir, 'emails');
    const run = await runCliAsync(
      ['report', 'email-content', '--tenant', TENANT, '--redis', '--out', out],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(join(out, 'email-content.json'), 'utf8')) as {
      runId: string;
      emails: unknown[];
    };
    expect(written.runId).toBe(stored.runId);
    expect(written.emails.length).toBeGreaterThan(0);
  }, 60_000);
});
