/**
 * sync → score → write-back from the CLI against the HubSpot sandbox (issue 4: "crm-clv score can take the
 * synced tenant as its input … so sync → score → write-back works from the CLI today"). Expectations come
 * from the sandbox's own portal state (won deals, the property definitions HubSpot would hold), not from the
 * code under test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { readCsvRows } from '../helpers/read-csv';
import { runCliAsync, tempDir } from '../helpers/run-cli';

const TOKEN = 'flow-token';
let sandbox: HubSpotSandbox;
let running: RunningSandbox;
let dataDir: string;
let outDir: string;
let ratesFile: string;
const env = { HUBSPOT_ACCESS_TOKEN: TOKEN };
const connection = () => [
  '--crm',
  'hubspot',
  '--base-url',
  running.url,
  '--portal-id',
  '55',
  '--data-dir',
  dataDir,
];

/** `crm-clv score` on the synced tenant in USD with the test's rates, plus any extra options. */
const scoreTenant = (out: string, extra: string[] = []) =>
  runCliAsync(
    [
      'score',
      '--tenant',
      'hubspot-55',
      '--data-dir',
      dataDir,
      '--observation-end',
      '2026-10-31',
      '--currency',
      'USD',
      '--rates',
      ratesFile,
      ...extra,
      '--out',
      out,
    ],
    env,
  );

/** Contacts with at least one closed-won deal: the buyers a score run must cover. */
function buyersInPortal(): Set<string> {
  const buyers = new Set<string>();
  const edges = sandbox.store.associations.get('deals|contacts');
  for (const deal of sandbox.store.objects.deals.byId.values()) {
    if (deal.archived || deal.properties.dealstage !== 'closedwon') continue;
    const first = edges?.get(deal.id)?.[0];
    if (first !== undefined) buyers.add(first.toId);
  }
  return buyers;
}

function contact(id: string): Record<string, string | null | undefined> {
  const object = sandbox.store.objects.contacts.byId.get(id);
  if (object === undefined) throw new Error(`contact ${id} is not in the sandbox`);
  return object.properties;
}

beforeAll(async () => {
  sandbox = createHubSpotSandbox({ token: TOKEN, portalId: '55', seed: 11, contacts: 400 });
  running = await sandbox.listen(0);
  dataDir = tempDir('flow-store');
  outDir = join(tempDir('flow-out'), 'run');
  ratesFile = join(tempDir('flow-rates'), 'rates.json');
  writeFileSync(ratesFile, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
  const sync = await runCliAsync(['sync', ...connection(), '--mode', 'full'], env);
  expect(sync.status).toBe(0);
});

afterAll(async () => {
  await running.close();
});

describe('crm-clv score --tenant and crm-clv writeback --crm hubspot', () => {
  it('refuses a multi-currency tenant without rates, naming the currencies', async () => {
    const r = await runCliAsync(
      [
        'score',
        '--tenant',
        'hubspot-55',
        '--data-dir',
        dataDir,
        '--observation-end',
        '2026-10-31',
        '--out',
        outDir,
      ],
      env,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--rates/);
    expect(r.stderr).toMatch(/(EUR|GBP|USD) \(\d+ orders\)/);
  });

  it('scores every buyer of the synced portal', async () => {
    const r = await scoreTenant(outDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const scores = readCsvRows(join(outDir, 'scores.csv'));
    expect(new Set(scores.map((s) => s.customer_id))).toEqual(buyersInPortal());
    // Deals in the portal's Refunded stage are sales that were reversed: netted and counted, not lost.
    const refunded = [...sandbox.store.objects.deals.byId.values()].filter(
      (d) => d.properties.dealstage === 'refunded',
    ).length;
    expect(refunded).toBeGreaterThan(0);
    const quality = JSON.parse(readFileSync(join(outDir, 'quality.json'), 'utf8')) as {
      cancellations: { ordersFullyCancelled: number };
    };
    expect(quality.cancellations.ordersFullyCancelled).toBe(refunded);

    // The CRM's demographics reach the profiles: the gender profile counts what the portal's contacts say.
    type Profile = { segment: string; size: number };
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as {
      segments: { gender: Profile[]; ageBand: Profile[] };
      churn: { evaluation: { coefficients: { feature: string }[] } | null };
      warnings: string[];
    };
    const wantGender = new Map<string, number>();
    for (const s of scores) {
      const g = contact(s.customer_id).gender;
      const key = g === 'female' || g === 'male' ? g : g === 'non_binary' ? 'other' : 'unknown';
      wantGender.set(key, (wantGender.get(key) ?? 0) + 1);
    }
    expect(new Map(report.segments.gender.filter((p) => p.size > 0).map((p) => [p.segment, p.size]))).toEqual(
      wantGender,
    );
    const withBirthDate = scores.filter((s) => contact(s.customer_id).date_of_birth).length;
    const knownAge = report.segments.ageBand
      .filter((p) => p.segment !== 'unknown')
      .reduce((a, p) => a + p.size, 0);
    expect(knownAge).toBe(withBirthDate);
    expect(withBirthDate).toBeGreaterThan(0);
    // Tickets (dated, so known as of any cutoff) become churn features; engagement counters are snapshots with
    // no history, so training one window back must not see them, and the report says so.
    const features = report.churn.evaluation?.coefficients.map((c) => c.feature) ?? [];
    expect(features).toEqual(expect.arrayContaining(['support_tickets']));
    expect(features).not.toEqual(expect.arrayContaining(['email_opens']));
    expect(features).not.toEqual(expect.arrayContaining(['page_views']));
    expect(report.warnings.join('\n')).toMatch(/page views.*snapshots with no history/);
  });

  it('writes the scores to the contacts once, then nothing when nothing changed', async () => {
    const first = await runCliAsync(['writeback', ...connection()], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).not.toContain(TOKEN);
    const scores = readCsvRows(join(outDir, 'scores.csv'));
    expect(first.stdout).toContain(`${scores.length} changed, ${scores.length} written, 0 failed`);

    const definitions = sandbox.store.properties.contacts;
    const rfmOptions = definitions.get('clv_rfm_segment')?.options ?? [];
    const segmentOptions = definitions.get('clv_segment')?.options ?? [];
    for (const s of scores) {
      const props = contact(s.customer_id);
      // Enumerations hold option values whose labels are the run's names (NOTES §7: filters use values).
      expect(segmentOptions.find((o) => o.value === props.clv_segment)?.label).toBe(s.segment_name);
      expect(props.clv_segment).toBe(s.segment_id);
      expect(rfmOptions.find((o) => o.value === props.clv_rfm_segment)?.label).toBe(s.rfm_segment);
      expect(props.clv_churn_risk).toBe(s.churn_risk);
      expect(props.clv_rfm_score).toBe(s.rfm_score);
      // Written rounded to the property's precision: within half a unit of the last place of the score.
      expect(Math.abs(Number(props.clv_predicted_12m) - Number(s.clv_predicted))).toBeLessThanOrEqual(
        0.005 + 1e-9,
      );
      expect(Math.abs(Number(props.clv_p_alive) - Number(s.p_alive))).toBeLessThanOrEqual(0.00005 + 1e-9);
      expect(props.clv_model_version).toBe(s.model_version);
    }
    const scored = new Set(scores.map((s) => s.customer_id));
    const unscored = [...sandbox.store.objects.contacts.byId.values()].filter((c) => !scored.has(c.id));
    expect(unscored.length).toBeGreaterThan(0);
    for (const c of unscored) expect(c.properties.clv_segment ?? undefined).toBeUndefined();

    const stamps = scores.map((s) => sandbox.store.objects.contacts.byId.get(s.customer_id)?.updatedAt);
    const second = await runCliAsync(['writeback', ...connection()], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`${scores.length} scored, 0 changed, 0 written`);
    expect(second.stdout).toMatch(/API calls: 0 writes/);
    expect(scores.map((s) => sandbox.store.objects.contacts.byId.get(s.customer_id)?.updatedAt)).toEqual(
      stamps,
    );
  });

  it('with --owner-tasks, creates one task per top-fifth high-risk customer, and none on the next run', async () => {
    const scores = readCsvRows(join(outDir, 'scores.csv'));
    // The top fifth by hand: mid-rank percentile (rank − ½) / n of predicted CLV, ties sharing their mean rank.
    const clv = scores.map((s) => Number(s.clv_predicted));
    const sorted = [...clv].sort((a, b) => a - b);
    const meanRank = (v: number) => (sorted.indexOf(v) + sorted.lastIndexOf(v)) / 2 + 1;
    const qualifying = scores.filter(
      (s, i) => s.churn_risk === 'high' && (meanRank(clv[i]) - 0.5) / scores.length >= 0.8,
    );
    expect(qualifying.length).toBeGreaterThan(0);
    const unowned = qualifying.filter((s) => (contact(s.customer_id).hubspot_owner_id ?? '') === '').length;

    const first = await runCliAsync(['writeback', ...connection(), '--owner-tasks'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      `owner tasks: ${qualifying.length} top-20% CLV customers at high churn risk; ${qualifying.length} tasks created, ` +
        `0 skipped as already open, ${unowned} contacts had no owner`,
    );
    const tasks = [...sandbox.store.objects.tasks.byId.values()];
    const taskContacts = tasks.map(
      (t) => sandbox.store.associations.get('tasks|contacts')?.get(t.id)?.[0]?.toId,
    );
    expect(taskContacts.sort()).toEqual(qualifying.map((s) => s.customer_id).sort());

    const second = await runCliAsync(['writeback', ...connection(), '--owner-tasks'], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`0 tasks created, ${qualifying.length} skipped as already open`);
    expect(sandbox.store.objects.tasks.ids).toHaveLength(qualifying.length);
  });

  it('refuses a run whose horizon is not the contract 12 months', async () => {
    const six = join(tempDir('flow-six'), 'run');
    const score = await scoreTenant(six, ['--clv-months', '6', '--no-insights']);
    expect(score.status).toBe(0);
    const r = await runCliAsync(['writeback', ...connection(), '--scores', six], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--clv-months 12/);
  });

  it('says what to do when the tenant has no score run', async () => {
    const r = await runCliAsync(['writeback', ...connection(), '--data-dir', tempDir('flow-empty')], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/crm-clv score --tenant hubspot-55/);
  });
});
