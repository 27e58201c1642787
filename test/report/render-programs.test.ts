import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order } from '../../domain/records';
import { addEnrolments, measurePrograms, writePrograms } from '../../worker/programs';
import { blocksToMarkdown } from '../../worker/report/report-blocks';
import { programBlocks } from '../../worker/report/render-programs';
import { FileRecordStore } from '../../worker/state';
import { buildProgram } from '../programs/builders';

const TENANT = 'hubspot-42';
const ENROLLED = Date.parse('2026-03-02T00:00:00.000Z');
const DAY = 86_400_000;
let dir: string;
let store: FileRecordStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-program-report-'));
  store = new FileRecordStore(dir);
  await writePrograms(store, TENANT, [buildProgram({ windowDays: 30, costPerTreated: 10 })]);
  await addEnrolments(store, TENANT, 'winback', [
    ...['t1', 't2', 't3', 't4'].map((customerId) => ({
      customerId,
      arm: 'treatment' as const,
      enrolledAt: ENROLLED,
    })),
    ...['c1', 'c2', 'c3', 'c4'].map((customerId) => ({
      customerId,
      arm: 'control' as const,
      enrolledAt: ENROLLED,
    })),
  ]);
  // Treatment: 3 of 4 order (100, 50, 30); control: 1 of 4 (20). One order in USD, one refunded: left out.
  const order = (id: string, customerId: string, amount: number, extra: Partial<Order> = {}): Order => ({
    id,
    customerId,
    placedAt: new Date(ENROLLED + 10 * DAY).toISOString(),
    amount,
    currency: 'EUR',
    status: 'won',
    ...extra,
  });
  await store.putRecords(TENANT, 'order', [
    order('o1', 't1', 100),
    order('o2', 't2', 50),
    order('o3', 't3', 30),
    order('o4', 'c1', 20),
    order('o5', 'c2', 999, { currency: 'USD' }),
    order('o6', 'c3', 999, { status: 'refunded' }),
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the run report’s retention-programs section', () => {
  it('labels a result interim while the window is open', async () => {
    const results = await measurePrograms(store, TENANT, new Date(ENROLLED + 15 * DAY));
    const md = blocksToMarkdown(programBlocks(results));
    expect(md).toMatch(/### Win-back call: interim — the window has not closed, do not act on it yet/);
  });

  it('shows arms, the lift with its interval, incremental revenue and ROI once the window has closed', async () => {
    const [result] = await measurePrograms(store, TENANT, new Date(ENROLLED + 31 * DAY));
    expect(result.status).toBe('final');
    expect(result.otherCurrencyOrders).toBe(1);
    const md = blocksToMarkdown(programBlocks([result]));
    expect(md).toMatch(/### Win-back call: final/);
    expect(md).toMatch(/\| Treatment \| 4 \| 3 \| 75\.0% \| €45 \|/);
    expect(md).toMatch(/\| Control \| 4 \| 1 \| 25\.0% \| €5 \|/);
    // Newcombe method 10 for 3/4 − 1/4, by hand from the Wilson limits (0.3006, 0.9544) and (0.0456, 0.6994):
    // 0.5 − √(0.4494² + 0.4494²) = −0.1355 and 0.5 + √(0.2044² + 0.2044²) = 0.7891.
    expect(md).toMatch(/Retention lift: \*\*\+50\.0 pts \(95% CI −13\.5 pts to \+78\.9 pts\)\*\*/);
    // Revenue lift 40 per customer × 4 treated = 160; cost 4 × 10 = 40; ROI (160 − 40) / 40 = 300%.
    expect(md).toMatch(/Incremental revenue €160, cost €40, ROI 300\.0%/);
  });

  it('adds nothing to the report of a tenant without programs', () => {
    expect(programBlocks([])).toEqual([]);
    expect(programBlocks(undefined)).toEqual([]);
  });
});
