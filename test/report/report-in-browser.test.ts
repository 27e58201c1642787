/**
 * report.html in a real browser: Debian's Chromium (never a downloaded one) driven by playwright-core. At
 * 1,280 px the page does not overflow sideways, the first screen shows the manager's summary (customers,
 * revenue, currency, dates), every chart has a <title> and visible axis labels, and nothing is fetched from
 * the network. A screenshot of the first screen is kept (/tmp/report-first-screen.png).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ModelReport } from '../../worker/report/model-report';
import { scoredDemo } from './scored-demo';

const CHROMIUM = '/usr/bin/chromium';
const MISSING_CHROMIUM =
  `The report's browser test needs Debian's Chromium at ${CHROMIUM}, and it is not installed. ` +
  'Install it with: apt-get update -qq && apt-get install -y -qq chromium ' +
  '(.ci/run does this before npm test). The test never downloads a browser.';
const VIEWPORT = { width: 1280, height: 800 };
const FIRST_SCREEN_COPY = '/tmp/report-first-screen.png';

type Rendered = { html: string; report: ModelReport };
let browser: Browser;
const reports: Record<'no calibration split' | 'with a calibration split', Rendered> = {} as never;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(MISSING_CHROMIUM);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  const plain = await scoredDemo('browser');
  reports['no calibration split'] = { html: join(plain.dir, 'report.html'), report: plain.result.report };
  const split = await scoredDemo('browser-holdout', { calibrationEnd: '2024-06-30' });
  reports['with a calibration split'] = { html: join(split.dir, 'report.html'), report: split.result.report };
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report at 1,280 × 800; any request that is not the file itself is recorded and refused. */
async function open(path: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const url = pathToFileURL(path).href;
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  return { page, requests };
}

type SvgFacts = { title: string; caption: string; axisLabels: { text: string; width: number }[] };

/** Runs in the page: every chart's <title>, its figure caption and its axis labels with their drawn width. */
const SVG_FACTS = `[...document.querySelectorAll('svg')].map((svg) => ({
  title: svg.querySelector(':scope > title')?.textContent?.trim() ?? '',
  caption: svg.closest('figure')?.querySelector('figcaption')?.innerText?.trim() ?? '',
  axisLabels: [...svg.querySelectorAll('.axis-label')].map((t) => ({
    text: t.textContent.trim(),
    width: t.getBoundingClientRect().width,
  })),
}))`;

describe.each(['no calibration split', 'with a calibration split'] as const)(
  'report.html (%s) in Chromium',
  (name) => {
    it('does not overflow sideways at 1,280 px', async () => {
      const { page } = await open(reports[name].html);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(VIEWPORT.width);
      await page.close();
    });

    it('gives every chart a <title>, a caption and visible axis labels', async () => {
      const { page } = await open(reports[name].html);
      const svgs = (await page.evaluate(SVG_FACTS)) as SvgFacts[];
      expect(svgs.length).toBeGreaterThanOrEqual(name === 'with a calibration split' ? 8 : 6);
      for (const svg of svgs) {
        expect(svg.title).not.toBe('');
        expect(svg.caption).toBe(svg.title);
        expect(svg.axisLabels.map((a) => a.text)).toHaveLength(2);
        for (const label of svg.axisLabels) {
          expect(label.text).not.toBe('');
          expect(label.width).toBeGreaterThan(0);
        }
      }
      await page.close();
    });

    it('fetches nothing: the page is self-contained', async () => {
      const { page, requests } = await open(reports[name].html);
      await page.waitForLoadState('load');
      expect(requests).toEqual([]);
      await page.close();
    });
  },
);

describe('the first screen of report.html', () => {
  it('shows the summary: title and dates, currency, customers and revenue', async () => {
    const { html, report } = reports['no calibration split'];
    const s = report.summary;
    const { page } = await open(html);
    const onFirstScreen = async (selector: string): Promise<string> => {
      const element = page.locator(selector).first();
      expect(await element.isVisible()).toBe(true);
      const box = await element.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT.height);
      return element.innerText();
    };
    expect(await onFirstScreen('h1')).toBe('Transactions: customer value report, data to 31 Dec 2024');
    const meta = await onFirstScreen('.meta');
    expect(meta).toContain('Data to 31 Dec 2024 (observation end)');
    expect(meta).toContain('run on 15 Jan 2025');
    expect(meta).toContain(`all amounts in ${s.currency}`);
    expect(s.currency).toBe('USD');
    expect(await onFirstScreen('[data-kpi="customers"]')).toContain(s.customers.toLocaleString('en-US'));
    const revenue = await onFirstScreen('[data-kpi="revenue"]');
    expect(revenue).toContain(`$${Math.round(s.revenue).toLocaleString('en-US')}`);
    expect(revenue).toContain('1 Jan 2023 – 31 Dec 2024');
    expect(await onFirstScreen('[data-kpi="predicted-value"]')).toContain(
      `$${Math.round(s.predictedValue).toLocaleString('en-US')}`,
    );
    expect(await onFirstScreen('[data-kpi="revenue-at-risk"]')).toContain(
      `$${Math.round(s.revenueAtRisk!).toLocaleString('en-US')}`,
    );
    await onFirstScreen('[data-kpi="orders-next-month"]');

    const shot = join(mkdtempSync(join(tmpdir(), 'crm-clv-report-shot-')), 'first-screen.png');
    await page.screenshot({ path: shot });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(VIEWPORT.width);
    expect(png.readUInt32BE(20)).toBe(VIEWPORT.height);
    copyFileSync(shot, FIRST_SCREEN_COPY);
    await page.close();
  });
});
