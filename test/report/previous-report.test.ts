import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previousTotalsOf, readPreviousTotals } from '../../worker/report/previous-report';

describe('previous run totals', () => {
  it('reads the summary of a report.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-clv-previous-'));
    writeFileSync(
      join(dir, 'report.json'),
      JSON.stringify({
        scoredAt: '2024-12-01T00:00:00.000Z',
        input: { observationEnd: '2024-11-30' },
        customers: { scored: 900 },
        clv: { totalHistoric: 1000, totalPredicted: 500 },
        summary: { currency: 'USD', revenueAtRisk: 40, expectedOrdersNextMonth: 12.5 },
      }),
    );
    expect(await readPreviousTotals(dir)).toEqual({
      observationEnd: '2024-11-30',
      scoredAt: '2024-12-01T00:00:00.000Z',
      currency: 'USD',
      customers: 900,
      revenue: 1000,
      predictedValue: 500,
      revenueAtRisk: 40,
      expectedOrdersNextMonth: 12.5,
    });
  });

  it('takes the totals of a report written before the summary existed, and nothing from other files', async () => {
    const old = previousTotalsOf({
      run: { currency: 'GBP' },
      customers: { scored: 10 },
      clv: { totalHistoric: 1, totalPredicted: 2 },
    });
    expect(old).toMatchObject({
      currency: 'GBP',
      customers: 10,
      revenue: 1,
      predictedValue: 2,
      revenueAtRisk: null,
    });
    expect(previousTotalsOf({ hello: 'world' })).toBeNull();
    expect(await readPreviousTotals(join(tmpdir(), 'no-such-crm-clv-dir'))).toBeNull();
  });
});
