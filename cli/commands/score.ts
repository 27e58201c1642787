/** `crm-clv score`: the whole engine on a transactions file. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { parseCrmTenantId } from '../../domain/tenant';
import { runScore, type ScoreRunRequest, type ScoreRunResult } from '../../worker/jobs/score-run';
import type { ScoreRunSettings } from '../../worker/pipeline/score-transactions';
import { CliOptionError } from '../errors';
import { isoDate, numberText, textEncoding } from '../options';
import { createProgress } from '../progress';
import { renderScoreSummary } from '../render-score-summary';
import { readPreviousRun } from '../../worker/pipeline/previous-run';
import { packageVersion } from '../version';
import { FileRecordStore } from '../../worker/state';
import { FileTenantRegistry } from '../../worker/tenants';
import { tenantScoreInput } from '../../worker/jobs/tenant-score-input';

const ScoreOptions = z
  .object({
    transactions: z.string().min(1).optional(),
    format: z.enum(['generic', 'online-retail', 'cdnow']).optional(),
    encoding: textEncoding.default('auto'),
    tenant: z.string().min(1).optional(),
    dataDir: z.string().min(1),
    observationEnd: isoDate,
    calibrationEnd: isoDate.optional(),
    period: z.enum(['day', 'week']).default('week'),
    out: z.string().min(1),
    model: z.enum(['auto', 'bgnbd', 'pareto-nbd', 'mbgnbd']).default('auto'),
    clvMonths: numberText('clv-months')
      .refine(
        (v) => Number.isInteger(v) && v >= 1 && v <= 600,
        'clv-months must be a whole number from 1 to 600',
      )
      .default('12'),
    discountRate: numberText('discount-rate')
      .refine((v) => v >= 0 && v <= 1, 'discount-rate is monthly, between 0 and 1')
      .default('0.01'),
    margin: numberText('margin')
      .refine((v) => v > 0 && v <= 1, 'margin must be in (0, 1]')
      .default('1'),
    acquisitionCost: numberText('acquisition-cost')
      .refine((v) => v >= 0, 'acquisition-cost must be ≥ 0')
      .default('0'),
    penalizer: numberText('penalizer')
      .refine((v) => v >= 0, 'penalizer must be ≥ 0')
      .default('0'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO 4217 code')
      .optional(),
    rates: z.string().optional(),
    excludeAnomalies: z.boolean().default(false),
    churnWindowDays: numberText('churn-window-days')
      .refine(
        (v) => Number.isInteger(v) && v >= 7 && v <= 730,
        'churn-window-days must be a whole number of days, 7 to 730',
      )
      .default('90'),
    segments: numberText('segments')
      .refine((v) => Number.isInteger(v) && v >= 2 && v <= 20, 'segments must be a whole number from 2 to 20')
      .optional(),
    previousRun: z.string().optional(),
    categories: z.string().optional(),
    insights: z.boolean().default(true),
  })
  .refine((o) => !o.calibrationEnd || o.calibrationEnd < o.observationEnd, {
    message: 'must be before --observation-end',
    path: ['calibration-end'],
  })
  .refine((o) => (o.tenant === undefined) !== (o.transactions === undefined), {
    message: 'give either --transactions FILE with --format, or --tenant ID (a synced CRM portal)',
    path: ['transactions'],
  })
  .refine((o) => o.transactions === undefined || o.format !== undefined, {
    message: 'is required with --transactions: generic | online-retail | cdnow',
    path: ['format'],
  })
  .refine((o) => o.encoding === 'auto' || o.transactions !== undefined, {
    message: 'applies to a --transactions file (a synced --tenant has no file to decode)',
    path: ['encoding'],
  });

type ScoreOptionValues = z.infer<typeof ScoreOptions>;

export function scoreCommand(): Command {
  return new Command('score')
    .description(
      'Import, clean, fit and score a transactions file; writes scores.csv, quality.json and the model report.',
    )
    .option('--transactions <file>', 'transactions file (CSV or whitespace text, gzip allowed)')
    .option('--format <format>', 'generic | online-retail | cdnow (with --transactions)')
    .option(
      '--encoding <name>',
      'text encoding of --transactions: auto (UTF-8; a file that is not valid UTF-8 is read as Windows-1252 ' +
        'and quality.json says so) | utf-8 (refuse anything else) | latin1 | windows-1252',
      'auto',
    )
    .option('--tenant <id>', "a synced CRM tenant instead of a file, e.g. hubspot-1000 ('crm-clv sync')")
    .option('--data-dir <dir>', 'record store directory of --tenant', 'data')
    .requiredOption(
      '--observation-end <date>',
      'last day of data to use, YYYY-MM-DD (later rows are counted as future dates)',
    )
    .option(
      '--calibration-end <date>',
      'split for model validation: models are compared on the holdout after this day',
    )
    .option('--period <unit>', 'time unit: day | week (days/7)', 'week')
    .requiredOption('--out <dir>', 'output directory')
    .option('--model <name>', 'auto | bgnbd | pareto-nbd | mbgnbd', 'auto')
    .option('--clv-months <H>', 'CLV horizon in months', '12')
    .option('--discount-rate <d>', 'monthly discount rate', '0.01')
    .option('--margin <m>', 'profit margin applied to CLV, in (0, 1]', '1')
    .option('--acquisition-cost <c>', 'customer acquisition cost subtracted for clv_net', '0')
    .option('--penalizer <x>', 'L2 penalty for the fits', '0')
    .option('--currency <code>', 'base currency (default GBP for online-retail, USD otherwise)')
    .option('--rates <file.json>', 'currency rates: {"EUR": 1.08, ...} units of base currency per unit')
    .option('--exclude-anomalies', 'drop anomalous orders instead of only flagging them')
    .option(
      '--churn-window-days <n>',
      'a customer churns without a purchase in this many days (or 2× their usual gap)',
      '90',
    )
    .option('--segments <k>', 'number of behavioural segments (default: chosen by silhouette, 2…10)')
    .option(
      '--previous-run <dir>',
      "an earlier run's --out directory: keeps segment ids stable and reports migration",
    )
    .option('--categories <file.csv>', 'product categories: CSV with header product_id,category')
    .option('--no-insights', 'CLV engine only: skip segments, churn and recommendations')
    .action(async (raw: Record<string, unknown>) => {
      const opts = ScoreOptions.parse(raw);
      const store = opts.tenant === undefined ? undefined : new FileRecordStore(opts.dataDir);
      const input = opts.tenant === undefined ? undefined : await tenantInput(opts, opts.tenant);
      const format = opts.format ?? 'generic';
      const settings: ScoreRunSettings = {
        transactions: opts.transactions ?? `${opts.tenant} (synced store in ${opts.dataDir})`,
        format,
        encoding: opts.encoding,
        rows: input?.rows,
        observationEnd: opts.observationEnd,
        calibrationEnd: opts.calibrationEnd,
        period: opts.period,
        model: opts.model,
        clvMonths: opts.clvMonths,
        monthlyDiscountRate: opts.discountRate,
        margin: opts.margin,
        acquisitionCost: opts.acquisitionCost,
        penalizer: opts.penalizer,
        baseCurrency: (
          opts.currency ??
          input?.baseCurrency ??
          (format === 'online-retail' ? 'GBP' : 'USD')
        ).toUpperCase(),
        currencyRates: input?.rates ?? (opts.rates ? await readRates(opts.rates) : {}),
        excludeAnomalies: opts.excludeAnomalies,
        churnWindowDays: opts.churnWindowDays,
        clusters: opts.segments,
        insights: opts.insights,
        // A synced tenant's last run is runScore's to find; a directory only when named.
        previous: opts.previousRun ? await readPreviousRun(opts.previousRun) : undefined,
        productCategories: opts.categories
          ? await readProductCategories(opts.categories)
          : input?.productCategories,
        productNames: input?.productNames,
        crm: input?.crm,
      };
      const tenant = opts.tenant ?? csvTenant(opts.transactions ?? '');
      const source = opts.tenant === undefined ? 'csv' : (parseCrmTenantId(opts.tenant)?.crm ?? 'csv');
      const { result, outputs } = await runScoreWithProgress({
        settings,
        tenant,
        source,
        engineVersion: packageVersion(),
        outDir: opts.out,
        store,
        // The report's channel CAC: the spend registered for the tenant beside its store (`tenant spend`).
        acquisitionSpend:
          opts.tenant === undefined
            ? undefined
            : (await new FileTenantRegistry({ dataDir: opts.dataDir }).get(opts.tenant))?.acquisitionSpend,
      });
      if (outputs === undefined) throw new Error('a score run with --out exports its outputs');
      process.stdout.write(renderScoreSummary(result, outputs));
    });
}

/** A file run's tenant: the file's name, so its exported scores can never pass for a CRM portal's. */
function csvTenant(path: string): string {
  return `csv-${basename(path).replace(/[^A-Za-z0-9_-]+/g, '_')}`;
}

export async function runScoreWithProgress(request: Omit<ScoreRunRequest, 'hooks'>): Promise<ScoreRunResult> {
  const progress = createProgress();
  try {
    return await runScore({ ...request, hooks: { stage: progress.stage, progress: progress.update } });
  } finally {
    progress.stop();
  }
}

async function tenantInput(opts: ScoreOptionValues, tenant: string) {
  return tenantScoreInput(new FileRecordStore(opts.dataDir), tenant, {
    currency: opts.currency,
    rates: opts.rates ? await readRates(opts.rates) : undefined,
    where: opts.dataDir,
  });
}

async function readProductCategories(path: string): Promise<Map<string, string>> {
  const summary = await readFile(path, 'utf8');
  const [header, ...rows] = summary.split(/\r?\n/);
  const cols = header.split(',').map((c) => c.trim().toLowerCase());
  const idCol = cols.indexOf('product_id');
  const catCol = cols.indexOf('category');
  if (idCol < 0 || catCol < 0) {
    throw new CliOptionError(`--categories ${path} needs a header with product_id and category columns`);
  }
  const map = new Map<string, string>();
  rows.forEach((row) => {
    if (!row.trim()) return;
    const cells = row.split(',');
    map.set(cells[idCol].trim(), (cells[catCol] ?? '').trim());
  });
  return map;
}

async function readRates(path: string): Promise<Record<string, number>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliOptionError(`--rates ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rates = z.record(z.string().regex(/^[A-Za-z]{3}$/), z.number().positive()).safeParse(parsed);
  if (!rates.success) {
    throw new CliOptionError(
      `--rates ${path} must be a JSON object of 3-letter currency codes to positive numbers (${rates.error.issues[0].path.join('.')}: ${rates.error.issues[0].message})`,
    );
  }
  return Object.fromEntries(Object.entries(rates.data).map(([k, v]) => [k.toUpperCase(), v]));
}
