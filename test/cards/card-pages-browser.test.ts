/**
 * The preview and the dashboard in Debian's Chromium (playwright-core, never a downloaded browser): the
 * preview of a seeded sandbox contact shows the segment, CLV and churn risk HubSpot holds for it after
 * write-back; the dashboard opens only with the admin login and shows the run's segments and risk bands.
 * Screenshots are kept in a temp directory and must be real pictures (tens of KB), not blank pages.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { money } from '../../cards/preview/render-card-html';
import type { RunningCards } from './serve-harness';
import { ADMIN, cardServer, seedCardFixture, TENANT, type CardFixture } from './card-fixture';

const CHROMIUM = '/usr/bin/chromium';
const shots = mkdtempSync(join(tmpdir(), 'card-pages-'));
let f: CardFixture;
let up: RunningCards;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (never downloaded)`);
  f = await seedCardFixture();
  up = await cardServer(f, { preview: { tenants: [TENANT] } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await up?.close();
  await f?.close();
});

function expectPicture(path: string, minKb: number): void {
  expect(existsSync(path)).toBe(true);
  expect(statSync(path).size).toBeGreaterThan(minKb * 1024);
}

describe('the card preview in Chromium', () => {
  it('lists a champion, an at-risk big spender and a one-time buyer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${up.base}/preview`);
    const labels = await page.locator('[data-testid=preview-contact] td:first-child').allInnerTexts();
    expect(labels).toEqual(
      expect.arrayContaining(['A champion', 'An at-risk big spender', 'A one-time buyer']),
    );
    await page.screenshot({ path: join(shots, 'preview-index.png'), fullPage: true });
    expectPicture(join(shots, 'preview-index.png'), 10);
    await page.close();
  });

  it('shows the segment, CLV and churn risk written to the sandbox for the contact', async () => {
    const score = f.scores.find((s) => s.churnRisk === 'high' && s.segmentName)!;
    const props = f.sandbox.store.objects.contacts.byId.get(score.customerId)!.properties;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${up.base}/preview/contacts/${score.customerId}`);
    expect(await page.locator('[data-testid=segment]').getAttribute('title')).toBe(props.clv_segment);
    expect(await page.locator('[data-testid=segment]').innerText()).toBe(score.segmentName);
    expect(await page.locator('[data-testid=risk]').innerText()).toBe(`${props.clv_churn_risk} churn risk`);
    expect(await page.locator('[data-testid=clv-predicted]').innerText()).toBe(
      money(Number(props.clv_predicted_12m), 'USD'),
    );
    expect(await page.locator('[data-testid=clv-historic]').innerText()).toBe(
      money(Number(props.clv_historic), 'USD'),
    );
    expect(await page.locator('[data-testid=playbook] h3').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'preview-contact.png'), fullPage: true });
    expectPicture(join(shots, 'preview-contact.png'), 30);
    await page.close();
  });

  it('shows the fallback with its reason for a contact with too little history', async () => {
    const page = await browser.newPage();
    await page.goto(`${up.base}/preview/contacts/${f.unscored[0]}`);
    expect(await page.locator('[data-testid=reason]').innerText()).toMatch(/Too little history/);
    await page.close();
  });
});

describe('the dashboard in Chromium', () => {
  it('is closed without the admin login', async () => {
    const res = await fetch(`${up.base}/dashboard?tenant=${TENANT}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it("shows the run's segments, risk bands, revenue at risk and model, and links a segment to its list filter", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: ADMIN.user, password: ADMIN.password },
    });
    const page = await context.newPage();
    await page.goto(`${up.base}/dashboard?tenant=${TENANT}`);
    const segmentIds = new Set(f.scores.map((s) => s.segmentId ?? s.rfmSegment));
    expect(await page.locator('[data-testid=segment-row]').count()).toBe(segmentIds.size);
    const high = f.scores.filter((s) => s.churnRisk === 'high').length;
    const riskRows = await page.locator('[data-testid=risk-row]').allInnerTexts();
    expect(riskRows[0]).toMatch(new RegExp(`^high\\s+${high}\\s`));
    const atRisk = f.scores.reduce((a, s) => a + (s.churnProbability ?? 0) * Math.max(0, s.clvPredicted), 0);
    expect(await page.locator('[data-testid=revenue-at-risk]').innerText()).toBe(money(atRisk, 'USD'));
    expect(await page.locator('[data-testid=model-version]').innerText()).toBe(f.scores[0].modelVersion);
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
    expectPicture(join(shots, 'dashboard.png'), 40);
    const href = await page.locator('[data-testid=segment-row] a').first().getAttribute('href');
    const filter = await page.request.get(`${up.base}${href}`);
    expect(filter.status()).toBe(200);
    expect(JSON.stringify(await filter.json())).toContain('"property":"clv_segment"');
    await context.close();
  });

  it("shows the sales performance the score run stored: each rep's won and closed deals as the CRM holds them", async () => {
    // Won / closed per owner, counted straight from the sandbox's deals (refunded counts as closed, not won).
    const owners = f.sandbox.store.owners;
    const nameOf = new Map(owners.map((o) => [o.id, `${o.firstName} ${o.lastName}`]));
    const tally = new Map<string, { won: number; closed: number }>();
    for (const deal of f.sandbox.store.objects.deals.byId.values()) {
      const { dealstage, hubspot_owner_id: owner } = deal.properties;
      const t = tally.get(owner) ?? { won: 0, closed: 0 };
      if (dealstage === 'closedwon') t.won++;
      if (['closedwon', 'closedlost', 'refunded'].includes(dealstage)) t.closed++;
      tally.set(owner, t);
    }
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: ADMIN.user, password: ADMIN.password },
    });
    const page = await context.newPage();
    await page.goto(`${up.base}/dashboard?tenant=${TENANT}`);
    const rows = await page.locator('[data-testid=rep-row]').allInnerTexts();
    expect(rows).toHaveLength(owners.length);
    const shown = rows.map((r) => r.split('\t'));
    expect(shown.map((cells) => cells[0])).toEqual(owners.map((_, i) => String(i + 1)));
    for (const [owner, t] of tally)
      expect(shown.find((cells) => cells[1] === nameOf.get(owner))?.[2]).toBe(`${t.won} / ${t.closed}`);
    // Ranked by the shrunk rate, best first.
    const shrunk = shown.map((cells) => Number(cells[4].replace('%', '')));
    expect([...shrunk].sort((a, b) => b - a)).toEqual(shrunk);
    expect(await page.locator('[data-testid=channel-row]').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=performance]').screenshot({ path: join(shots, 'performance.png') });
    expectPicture(join(shots, 'performance.png'), 20);
    await context.close();
  });
});
