/**
 * The dashboard's campaigns and segment-email page in Debian's Chromium (playwright-core): a campaign stored
 * for the fixture's tenant shows its members, conversion and ROI as worked out here from the stored orders,
 * and every segment of the run has an email preview with the product names escaped.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { percent } from '../../cards/preview/render-card-html';
import type { RunningCards } from './serve-harness';
import { ADMIN, cardServer, seedCardFixture, TENANT, type CardFixture } from './card-fixture';

const CHROMIUM = '/usr/bin/chromium';
const DAY = 86_400_000;
let f: CardFixture;
let up: RunningCards;
let browser: Browser;
let expectedRevenue = 0;
const COST = 50;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (never downloaded)`);
  f = await seedCardFixture(200);
  const run = (await f.store.readScoreRun(TENANT))!;
  const orders = (await f.store.readRecords(TENANT, 'order')).filter(
    (o) => o.status === 'won' && o.currency === run.run.currency,
  );
  const buyer = orders[0];
  const joined = Date.parse(buyer.placedAt) - DAY;
  // The buyer converted: every won order of theirs within 30 days of joining counts.
  expectedRevenue = orders
    .filter((o) => o.customerId === buyer.customerId)
    .filter((o) => Date.parse(o.placedAt) >= joined && Date.parse(o.placedAt) <= joined + 30 * DAY)
    .reduce((a, o) => a + o.amount, 0);
  const other = run.scores.find((s) => s.customerId !== buyer.customerId)!.customerId;
  await f.store.putRecords(TENANT, 'campaign', [{ id: 'CMP1', name: 'Spring <launch>', cost: COST }]);
  await f.store.putRecords(TENANT, 'campaignMember', [
    { id: 'M1', campaignId: 'CMP1', customerId: buyer.customerId, joinedAt: new Date(joined).toISOString() },
    // Joins in 2099: no order can fall in the window.
    { id: 'M2', campaignId: 'CMP1', customerId: other, joinedAt: '2099-01-01T00:00:00.000Z' },
  ]);
  up = await cardServer(f);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await up?.close();
  await f?.close();
});

describe('the campaigns page in Chromium', () => {
  it('is closed without the admin login', async () => {
    expect((await fetch(`${up.base}/dashboard/campaigns?tenant=${TENANT}`)).status).toBe(401);
  });

  it('shows the campaign with its hand-worked conversion and ROI, and an email preview per segment', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: ADMIN.user, password: ADMIN.password },
    });
    const page = await context.newPage();
    await page.goto(`${up.base}/dashboard?tenant=${TENANT}`);
    await page.locator('[data-testid=campaigns-link]').click();
    await page.waitForSelector('[data-testid=campaign-row]');
    // The portal's synced marketing campaigns are listed too; this test's campaign is the one with its name.
    const spring = page.locator('[data-testid=campaign-row]', { hasText: 'Spring <launch>' });
    const row = await spring.innerText();
    expect(row).toMatch(/^Spring <launch>/);
    expect(row).toMatch(/\t2\t/); // two members
    expect(row).toMatch(/\t1 \(50%\)\t/); // one converted of two
    expect(await spring.locator('[data-testid=campaign-roi]').innerText()).toBe(
      percent((expectedRevenue - COST) / COST),
    );
    expect(await page.locator('[data-testid=campaigns]').innerText()).toMatch(/Observational/);

    const run = (await f.store.readScoreRun(TENANT))!;
    const segments = new Set(
      run.scores
        .flatMap((s) => [s.segmentId && `s:${s.segmentId}`, s.rfmSegment && `r:${s.rfmSegment}`])
        .filter(Boolean),
    );
    expect(await page.locator('[data-testid=emails] article.email').count()).toBe(segments.size);
    expect(await page.locator('[data-testid=emails] .subject').first().innerText()).toMatch(/^Subject: /);
    const shot = join(mkdtempSync(join(tmpdir(), 'campaigns-page-')), 'campaigns.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(30 * 1024);
    await context.close();
  });
});
