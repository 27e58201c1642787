/**
 * `crm-clv demo` (what `npm start` runs): generates a synthetic retailer's transactions from known BG/NBD and
 * Gamma-Gamma parameters, scores them with the whole engine, and shows how close the fitted models come to
 * the truth. Needs no CRM account and no network.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { PRODUCT_CATALOGUE } from '../../worker/analytics/simulate/product-catalogue';
import { DEMO_TRANSACTION_OPTIONS } from '../../worker/analytics/simulate/transaction-options';
import { demoCatalogueCategories } from '../../worker/analytics/segments/product-categories';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { numberText } from '../options';
import { runScore } from './score';
import { renderScoreSummary } from '../render-score-summary';

const DemoOptions = z.object({
  customers: numberText('customers')
    .refine(
      (v) => Number.isInteger(v) && v >= 100 && v <= 5_000_000,
      'customers must be a whole number from 100 to 5,000,000',
    )
    .default(String(DEMO_TRANSACTION_OPTIONS.customers)),
  seed: numberText('seed')
    .refine((v) => Number.isInteger(v), 'seed must be a whole number')
    .default(String(DEMO_TRANSACTION_OPTIONS.seed)),
  out: z.string().min(1).default(join('out', 'demo')),
});

/** The demo's split: 18 months of calibration, the last 6 months of the two-year history as holdout. */
const DEMO_CALIBRATION_END = '2024-06-30';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Generate a demo retailer (seeded), score it end to end and compare the fit with the truth.')
    .option('--customers <n>', 'customers to generate', String(DEMO_TRANSACTION_OPTIONS.customers))
    .option('--seed <s>', 'random seed', String(DEMO_TRANSACTION_OPTIONS.seed))
    .option('--out <dir>', 'output directory', join('out', 'demo'))
    .action(async (raw: Record<string, unknown>) => {
      const opts = DemoOptions.parse(raw);
      const transactions = join(opts.out, 'transactions.csv');
      process.stderr.write(
        `Generating ${opts.customers.toLocaleString('en-US')} customers (seed ${opts.seed})…\n`,
      );
      const { mkdir } = await import('node:fs/promises');
      await mkdir(opts.out, { recursive: true });
      const generated = await writeTransactionsCsv(transactions, {
        customers: opts.customers,
        seed: opts.seed,
      });
      process.stderr.write(
        `Wrote ${generated.rows.toLocaleString('en-US')} rows (${generated.orders.toLocaleString('en-US')} orders, with cancellations, refunds, duplicates and bad rows to clean) to ${transactions}\n`,
      );
      const { result, outputs } = await runScore(
        {
          transactions,
          format: 'generic',
          observationEnd: generated.options.end,
          calibrationEnd: DEMO_CALIBRATION_END,
          period: 'week',
          model: 'auto',
          clvMonths: 12,
          monthlyDiscountRate: 0.01,
          margin: 1,
          acquisitionCost: 0,
          penalizer: 0,
          baseCurrency: generated.options.currency,
          currencyRates: {},
          excludeAnomalies: false,
          churnWindowDays: 90,
          insights: true,
          productCategories: demoCatalogueCategories(),
          productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
        },
        opts.out,
      );
      process.stdout.write(renderScoreSummary(result, outputs));
      const truth = generated.options;
      const bg = result.report.calibration?.fits.find((f) => f.model === 'bgnbd');
      const lines = ['How close the engine came to the parameters the data were generated from:'];
      if (bg && !bg.error) {
        for (const [k, v] of Object.entries(truth.purchase))
          lines.push(compare(`BG/NBD ${k}`, v, bg.params[k], bg.standardErrors[k]));
      }
      if (!result.report.spend.error) {
        for (const [k, v] of Object.entries(truth.spend)) {
          lines.push(
            compare(
              `Gamma-Gamma ${k}`,
              v,
              result.report.spend.params[k],
              result.report.spend.standardErrors[k],
            ),
          );
        }
      }
      process.stdout.write(lines.join('\n') + `\nOpen ${outputs.html} for the holdout charts.\n`);
    });
}

function compare(name: string, truth: number, estimate: number, se: number): string {
  const z = (estimate - truth) / se;
  return `  ${name.padEnd(16)} truth ${truth.toFixed(3).padStart(8)}  fitted ${estimate.toFixed(3).padStart(8)} ± ${se.toFixed(3)}  (${Math.abs(z).toFixed(1)} s.e.)`;
}
