/**
 * `crm-clv report performance --tenant T [--data-dir DIR | --redis] [--acquisition-spend FILE] [--rates FILE]
 * [--out DIR]`: sales performance from the tenant's stored records and latest Scores: reps (ranked by shrunk win
 * rate), acquisition channels (CLV, CAC, CLV:CAC, payback) and products per segment; prints a summary and writes
 * reps.csv, channels.csv, segment-products.csv and performance.json to --out. Without --acquisition-spend the
 * tenant's registered spend (`crm-clv tenant spend`) is used, as the worker does.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { readAcquisitionSpend } from '../../worker/pipeline/acquisition-spend-file';
import {
  buildSalesPerformance,
  writeSalesPerformance,
  type SalesPerformance,
} from '../../worker/pipeline/sales-performance';
import type { AcquisitionSpend } from '../../worker/analytics/performance';
import type { TenantRegistry } from '../../worker/tenants';
import { withRecordStore, withRecordStoreOptions } from '../record-store-option';
import { readRates } from './run';

const Options = z.object({
  tenant: z.string().min(1),
  dataDir: z.string().min(1),
  redis: z.boolean().optional(),
  acquisitionSpend: z.string().min(1).optional(),
  rates: z.string().min(1).optional(),
  out: z.string().min(1),
  seed: z.coerce.number().int().min(0).default(1),
});

export function reportPerformanceCommand(): Command {
  return withRecordStoreOptions(
    new Command('performance')
      .description(
        'Sales performance: reps, acquisition channels and products per segment, from the stored records and Scores.',
      )
      .requiredOption('--tenant <id>', 'tenant whose stored records and Scores to read'),
  )
    .option(
      '--acquisition-spend <file>',
      "CSV channel,month,spend (month YYYY-MM, spend in the run currency); default: the tenant's registered spend",
    )
    .option('--rates <file.json>', 'currency rates: {"EUR": 1.08, ...} units of the run currency per unit')
    .option(
      '--out <dir>',
      'directory for reps.csv, channels.csv, segment-products.csv, performance.json',
      'performance',
    )
    .option('--seed <n>', 'seed of the bootstrap intervals', '1')
    .action(async (raw: Record<string, unknown>) => {
      const opts = Options.parse(raw);
      const fileSpend = opts.acquisitionSpend ? await readAcquisitionSpend(opts.acquisitionSpend) : undefined;
      const rates = opts.rates ? await readRates(opts.rates) : undefined;
      const { report, spendFrom } = await withRecordStore(opts, async (store, registry) => {
        const registered = fileSpend ? undefined : await registeredSpend(registry, opts.tenant);
        const spend = fileSpend ?? registered;
        return {
          report: await buildSalesPerformance(store, opts.tenant, {
            spend,
            rates,
            bootstrap: { samples: 1000, seed: opts.seed },
          }),
          spendFrom: fileSpend
            ? opts.acquisitionSpend
            : registered
              ? `the tenant's registered spend (${registered.length} rows)`
              : undefined,
        };
      });
      const paths = await writeSalesPerformance(opts.out, report);
      process.stdout.write(formatPerformance(report));
      process.stdout.write(
        spendFrom === undefined
          ? 'No acquisition spend (--acquisition-spend FILE, or `crm-clv tenant spend`): channels have no CAC.\n'
          : `Acquisition spend: ${spendFrom}.\n`,
      );
      for (const s of report.skipped.slice(0, 20))
        process.stderr.write(`skipped ${s.type} ${s.id}: ${s.reason}\n`);
      if (report.skipped.length > 20)
        process.stderr.write(`… and ${report.skipped.length - 20} more skipped\n`);
      process.stdout.write(`wrote ${paths.join(', ')}\n`);
    });
}

/** The tenant's spend from its registry entry; none when it is not registered there. */
async function registeredSpend(
  registry: TenantRegistry,
  tenant: string,
): Promise<AcquisitionSpend[] | undefined> {
  return (await registry.get(tenant))?.acquisitionSpend;
}

const money = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(0));
const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);

export function formatPerformance(report: SalesPerformance): string {
  const lines = [
    `Sales performance of ${report.tenant} (run ${report.runId}, ${report.currency}, CLV over ${report.clvMonths} months)`,
    '',
    'Reps (all segments, ranked by shrunk win rate):',
  ];
  for (const r of report.reps.filter((x) => x.segment === 'all'))
    lines.push(
      `  ${r.rank}. ${r.repName}: win rate ${pct(r.winRate)} [${pct(r.winRateLow)}–${pct(r.winRateHigh)}], shrunk ${pct(r.shrunkWinRate)}, ` +
        `${r.won}/${r.won + r.lost} closed won, revenue ${money(r.wonRevenue)}, pipeline ${money(r.openPipeline)}, ${r.newCustomers} new customers`,
    );
  lines.push('', 'Channels:');
  for (const c of report.channels)
    lines.push(
      `  ${c.channel}: ${c.customersAcquired} customers, mean CLV ${money(c.meanClv)}` +
        (c.cac !== undefined
          ? `, CAC ${money(c.cac)}, CLV:CAC ${c.clvToCac?.toFixed(2) ?? '–'} [${c.clvToCacInterval?.low.toFixed(2) ?? '–'}–${c.clvToCacInterval?.high.toFixed(2) ?? '–'}], payback ${c.paybackMonths?.toFixed(1) ?? '–'} months`
          : ''),
    );
  return lines.join('\n') + '\n';
}
