/**
 * The dashboard's retention-programs card in Debian's Chromium (playwright-core, never a downloaded browser):
 * a closed program shows its measured lift and interval as final, an open one is labelled interim, with the
 * enrolled customers and orders put in the tenant's store as write-back and sync would.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { simulateRetentionEffect } from '../../demo-data/retention-effect';
import type { Order } from '../../domain/records';
import { newcombeDifference, type Enrolment } from '../../worker/analytics/programs';
import { addEnrolments, writePrograms } from '../../worker/programs';
import { buildProgram } from '../programs/builders';
import { ADMIN, cardServer, seedCardFixture, TENANT, type CardFixture } from './card-fixture';
import type { RunningCards } from './serve-harness';

const CHROMIUM = '/usr/bin/chromium';
const DAY = 86_400_000;
const shots = mkdtempSync(join(tmpdir(), 'dashboard-programs-'));
let f: CardFixture;
let up: RunningCards;
let browser: Browser;
let expectedLift: { estimate: number; low: number; high: number };

const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pts`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (never downloaded)`);
  f = await seedCardFixture();
  const now = Date.now();
  const closedAt = now - 90 * DAY;
  const ids = f.scores.map((s) => s.customerId);
  const half = Math.floor(ids.length / 2);
  const closed: Enrolment[] = ids.slice(0, half).map((customerId, i) => ({
    customerId,
    arm: i % 4 === 0 ? 'control' : 'treatment',
    enrolledAt: closedAt,
  }));
  const open: Enrolment[] = ids.slice(half).map((customerId, i) => ({
    customerId,
    arm: i % 4 === 0 ? 'control' : 'treatment',
    enrolledAt: now - 10 * DAY,
  }));
  await writePrograms(f.store, TENANT, [
    buildProgram({
      id: 'closed',
      name: 'Spring win-back',
      currency: 'USD',
      createdAt: new Date(closedAt).toISOString(),
    }),
    buildProgram({
      id: 'open',
      name: 'Autumn call',
      currency: 'USD',
      createdAt: new Date(now - 10 * DAY).toISOString(),
    }),
  ]);
  await addEnrolments(f.store, TENANT, 'closed', closed);
  await addEnrolments(f.store, TENANT, 'open', open);
  const effect = { baselineRate: 0.2, liftPoints: 30, windowDays: 60, meanOrderValue: 100, seed: 9 };
  const orders = [
    ...simulateRetentionEffect(closed, effect),
    ...simulateRetentionEffect(open, effect),
  ].filter((o) => o.placedAt < now);
  await f.store.putRecords(
    TENANT,
    'order',
    orders.map((o, i): Order => ({
      id: `program-order-${i}`,
      customerId: o.customerId,
      placedAt: new Date(o.placedAt).toISOString(),
      amount: o.amount,
      currency: 'USD',
      status: 'won',
    })),
  );
  // Expected from the stored orders (the seeded history's and these): who ordered in the closed window.
  const ordered = new Set(
    (await f.store.readRecords(TENANT, 'order'))
      .filter((o) => o.status === 'won' && o.currency === 'USD')
      .filter((o) => Date.parse(o.placedAt) > closedAt && Date.parse(o.placedAt) <= closedAt + 60 * DAY)
      .map((o) => o.customerId),
  );
  const arm = (a: string) => closed.filter((e) => e.arm === a);
  const retained = (list: Enrolment[]) => list.filter((e) => ordered.has(e.customerId)).length;
  const [t, c] = [arm('treatment'), arm('control')];
  expectedLift = newcombeDifference(retained(t), t.length, retained(c), c.length);
  up = await cardServer(f);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await up?.close();
  await f?.close();
});

it('shows a closed program final with its lift and interval, and an open one as interim', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    httpCredentials: { username: ADMIN.user, password: ADMIN.password },
  });
  const page = await context.newPage();
  await page.goto(`${up.base}/dashboard?tenant=${TENANT}`);
  const closed = page.locator('[data-testid=program-row][data-program=closed]');
  const open = page.locator('[data-testid=program-row][data-program=open]');
  expect(await closed.locator('[data-testid=program-status]').innerText()).toBe('final');
  expect(await open.locator('[data-testid=program-status]').innerText()).toBe('interim: window open');
  const lift = await closed.locator('[data-testid=program-lift]').innerText();
  expect(lift).toBe(
    `${pts(expectedLift.estimate)}\n95% CI ${pts(expectedLift.low)} to ${pts(expectedLift.high)}`,
  );
  await page.locator('#programs').screenshot({ path: join(shots, 'programs.png') });
  expect(statSync(join(shots, 'programs.png')).size).toBeGreaterThan(10 * 1024);
  await context.close();
});
