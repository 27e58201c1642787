/**
 * The demo's Salesforce tenant in Debian's Chromium (playwright-core, never a downloaded browser), served as
 * `npm start` serves it: a seeded Salesforce sandbox org synced, scored and written back through the worker's
 * stages into a file store (the demo's), and the card server with the preview for both demo tenants. The
 * dashboard of `salesforce-<org>` and a contact's card — the Salesforce card API's answer as the Lightning card
 * shows it — must show what the store holds for that contact: every expected text is computed here from the
 * stored Scores and cursors (Intl formatting, not the server's), and checked against the org's written fields.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Score } from '../../domain/score';
import { FileRecordStore } from '../../worker/state';
import { startOrg, type Org } from '../connectors/salesforce/e2e/org-harness';
import { runWorkerStages } from './run-worker-stages';
import { startCards, type RunningCards } from './serve-harness';

const CHROMIUM = '/usr/bin/chromium';
const ORG_ID = '00D000000000001AAA';
const SALESFORCE = `salesforce-${ORG_ID}`;
const HUBSPOT = 'hubspot-1000';
const ADMIN = { user: 'ops', password: 'demo-pages-password' };
const shots = mkdtempSync(join(tmpdir(), 'salesforce-pages-'));

const usd = (n: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(n);
const pct = (p: number) =>
  new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(p);

let org: Org;
let dir: string;
let store: FileRecordStore;
let up: RunningCards;
let browser: Browser;
let scores: Score[];
let months: number;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (never downloaded)`);
  org = await startOrg({ seed: 5, contacts: 400 });
  dir = mkdtempSync(join(tmpdir(), 'salesforce-demo-store-'));
  store = new FileRecordStore(dir);
  await runWorkerStages(store, SALESFORCE, () => org.adapter());
  const run = (await store.readScoreRun(SALESFORCE))!;
  scores = run.scores;
  months = run.run.clvMonths ?? 12;
  up = await startCards({
    store,
    redisUrl: process.env.REDIS_URL,
    redisPrefix: `salesforce-pages-${process.pid}`,
    cardHeaderCheckMs: 0,
    env: { CRM_CLV_ADMIN_USER: ADMIN.user, CRM_CLV_ADMIN_PASSWORD: ADMIN.password },
    // As serve-demo-cards configures it.
    preview: { tenants: [HUBSPOT, SALESFORCE] },
    dashboardTenant: HUBSPOT,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await up?.close();
  await org?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectPicture(path: string, minKb: number): void {
  expect(statSync(path).size).toBeGreaterThan(minKb * 1024);
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.locator(`[data-testid=${testId}]`).innerText()).trim();
}

describe("the demo's Salesforce tenant in Chromium", () => {
  it('dashboard: the segments, risk bands, revenue at risk and freshness of the stored run, with list view filters', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: ADMIN.user, password: ADMIN.password },
    });
    const page = await context.newPage();
    await page.goto(`${up.base}/dashboard?tenant=${SALESFORCE}`);
    expect(await page.locator('h1').innerText()).toBe(`${SALESFORCE} — customer value dashboard`);

    const segmentIds = [...new Set(scores.map((s) => s.segmentId ?? s.rfmSegment ?? 'unsegmented'))];
    expect(await page.locator('[data-testid=segment-row]').count()).toBe(segmentIds.length);
    const filters = await page.locator('[data-testid=segment-filter]').allInnerTexts();
    expect(filters.sort()).toEqual(segmentIds.map((id) => `CLV_Segment__c = '${id}'`).sort());

    const high = scores.filter((s) => s.churnRisk === 'high').length;
    expect(high).toBeGreaterThan(0);
    const riskRows = await page.locator('[data-testid=risk-row]').allInnerTexts();
    expect(riskRows[0]).toMatch(new RegExp(`^high\\s+${high}\\s`));
    const atRisk = scores.reduce((a, s) => a + (s.churnProbability ?? 0) * Math.max(0, s.clvPredicted), 0);
    expect(await text(page, 'revenue-at-risk')).toBe(usd(atRisk));

    // Freshness from the Salesforce cursors (SystemModstamp of the newest Contact, Opportunity, Case read).
    const freshness = await page.locator('[data-testid=freshness-row]').allInnerTexts();
    for (const [i, object] of ['Contact', 'Opportunity', 'Case'].entries()) {
      const cursor = JSON.parse((await store.getCursor(SALESFORCE, `salesforce:${object}`))!) as {
        since: string;
      };
      expect(freshness[i]).toBe(`Last sync of ${object}\t${new Date(cursor.since).toISOString()}`);
    }
    expect(await page.locator('[data-testid=tenant-link]').getAttribute('href')).toBe(
      `/dashboard?tenant=${HUBSPOT}`,
    );
    await page.screenshot({ path: join(shots, 'salesforce-dashboard.png'), fullPage: true });
    expectPicture(join(shots, 'salesforce-dashboard.png'), 40);
    await context.close();
  });

  it("preview index: the org's picks, with a switch to the HubSpot portal", async () => {
    const page = await browser.newPage();
    await page.goto(`${up.base}/preview?tenant=${SALESFORCE}`);
    expect(await text(page, 'preview-tenant')).toBe(`Salesforce org ${SALESFORCE}`);
    const labels = await page.locator('[data-testid=preview-contact] td:first-child').allInnerTexts();
    expect(labels).toEqual(expect.arrayContaining(['A champion', 'An at-risk big spender']));
    const href = await page.locator('[data-testid=preview-contact] a').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^/preview/contacts/003\\w+\\?tenant=${SALESFORCE}$`));
    expect(await page.locator(`a[href="/preview?tenant=${HUBSPOT}"]`).count()).toBe(1);
    await page.close();
  });

  it("a contact's card: segment, CLV and churn band of its stored Score, as the Lightning card shows them", async () => {
    const score = scores
      .filter((s) => s.churnRisk === 'high' && s.segmentName && s.churnProbability !== undefined)
      .sort((a, b) => b.clvPredicted - a.clvPredicted)[0];
    // What write-back put on the Contact in the org is what the card shows.
    const contact = org.sandbox.store.records.get('Contact')!.get(score.customerId)!;
    expect(contact.CLV_Churn_Risk__c).toBe('high');
    expect(contact.CLV_Segment__c).toBe(score.segmentId);

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const res = await page.goto(`${up.base}/preview/contacts/${score.customerId}?tenant=${SALESFORCE}`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('[data-testid=lightning-card] h2').innerText()).toBe('Customer value');
    expect(await text(page, 'badge-segment')).toBe(score.segmentName);
    expect(await text(page, 'badge-churn')).toBe('High churn risk');
    expect(await page.locator('[data-testid=badge-churn]').getAttribute('class')).toContain(
      'slds-theme_error',
    );
    expect(await page.locator('[data-testid=stat-predicted] .label').innerText()).toBe(
      `Predicted CLV (${months} months)`,
    );
    expect(await page.locator('[data-testid=stat-predicted] .value').innerText()).toBe(
      usd(score.clvPredicted),
    );
    expect(await page.locator('[data-testid=stat-historic] .value').innerText()).toBe(usd(score.clvHistoric));
    expect(await page.locator('[data-testid=stat-churn] .value').innerText()).toBe(
      pct(score.churnProbability!),
    );
    expect(await page.locator('[data-testid=drivers] li').count()).toBeGreaterThan(0);
    expect(await text(page, 'model-line')).toMatch(new RegExp(`^Model ${score.modelVersion} · scored `));
    await page.screenshot({ path: join(shots, 'salesforce-card.png'), fullPage: true });
    expectPicture(join(shots, 'salesforce-card.png'), 30);
    await page.close();
  });

  it('a synced contact without a Score shows the fallback; an unknown one the empty state (404)', async () => {
    const scored = new Set(scores.map((s) => s.customerId));
    const unscored = (await store.readRecordIds(SALESFORCE, 'customer')).find((id) => !scored.has(id))!;
    const page = await browser.newPage();
    await page.goto(`${up.base}/preview/contacts/${unscored}?tenant=${SALESFORCE}`);
    expect(await page.locator('[data-testid=lwc-reason]').innerText()).toMatch(
      /^Not enough history to score this customer yet/,
    );
    const missing = await page.goto(`${up.base}/preview/contacts/003000000000000ZZZ?tenant=${SALESFORCE}`);
    expect(missing?.status()).toBe(404);
    expect(await text(page, 'lwc-empty')).toBe('No customer value for this contact yet');
    await page.close();
  });

  it('serves the demo tenants only', async () => {
    const res = await fetch(`${up.base}/preview?tenant=salesforce-00D000000000002AAA`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(`the preview serves ${HUBSPOT} and ${SALESFORCE} only`);
  });
});
