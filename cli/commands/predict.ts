/** `crm-clv predict`: fit on a summary CSV, then per-customer predictions and CLV to a CSV. */
import { Command } from 'commander';
import { z } from 'zod';
import { readSummaryCsv } from '../../connectors/csv';
import { fitGammaGamma } from '../../worker/analytics/clv/gamma-gamma';
import { predictCustomers } from '../../worker/analytics/clv/predict-customers';
import { TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import { writeCsv } from '../../worker/pipeline/write-csv';
import { CliOptionError } from '../errors';
import { numberText, timeUnit, transactionModelName } from '../options';

const PredictOptions = z.object({
  summary: z.string().min(1),
  model: transactionModelName,
  spendModel: z.enum(['gamma-gamma']).optional(),
  t: numberText('t').refine((v) => v > 0, 't must be > 0'),
  clvMonths: numberText('clv-months').refine(
    (v) => Number.isInteger(v) && v >= 1,
    'clv-months must be a whole number ≥ 1',
  ),
  discountRate: numberText('discount-rate').refine(
    (v) => v >= 0 && v <= 1,
    'discount-rate is monthly, between 0 and 1',
  ),
  timeUnit: timeUnit,
  margin: numberText('margin')
    .refine((v) => v > 0 && v <= 1, 'margin must be in (0, 1]')
    .default('1'),
  penalizer: numberText('penalizer')
    .refine((v) => v >= 0, 'penalizer must be ≥ 0')
    .default('0'),
  out: z.string().min(1),
});

export function predictCommand(): Command {
  return new Command('predict')
    .description(
      'Fit a transaction model (and optionally Gamma-Gamma) on a summary CSV and write per-customer predictions.',
    )
    .requiredOption('--summary <file>', 'summary CSV: frequency, recency, T[, monetary_value][, ID]')
    .requiredOption('--model <name>', 'bgnbd | pareto-nbd | mbgnbd')
    .option(
      '--spend-model <name>',
      'gamma-gamma (fitted on repeat buyers, applied to everyone); without it the observed mean order value is used',
    )
    .requiredOption('--t <periods>', 'horizon for expected_purchases, in the summary time unit')
    .requiredOption('--clv-months <H>', 'CLV horizon in months')
    .requiredOption('--discount-rate <d>', 'monthly discount rate, e.g. 0.01')
    .requiredOption(
      '--time-unit <unit>',
      'week | day: the summary time unit (a month is 4.345 weeks or 30 days)',
    )
    .option('--margin <m>', 'profit margin applied to CLV, in (0, 1]', '1')
    .option('--penalizer <x>', 'L2 penalty for the fits', '0')
    .requiredOption(
      '--out <file>',
      'output CSV: id, expected_purchases, p_alive, expected_average_value, clv',
    )
    .action(async (raw: Record<string, unknown>) => {
      const opts = PredictOptions.parse(raw);
      const summary = await readSummaryCsv(opts.summary);
      if (opts.spendModel && !summary.hasMonetaryValue) {
        throw new CliOptionError(
          `${opts.summary} has no monetary_value column, which --spend-model gamma-gamma needs`,
        );
      }
      const model = TRANSACTION_MODELS[opts.model];
      const fit = model.fit(summary, { penalizer: opts.penalizer });
      const spend = opts.spendModel ? fitGammaGamma(summary, { penalizer: opts.penalizer }) : null;
      const p = predictCustomers(model, fit.params, summary, spend?.params ?? null, {
        horizon: opts.t,
        months: opts.clvMonths,
        monthlyDiscountRate: opts.discountRate,
        timeUnit: opts.timeUnit,
        margin: opts.margin,
      });
      await writeCsv(
        opts.out,
        ['id', 'expected_purchases', 'p_alive', 'expected_average_value', 'clv'],
        summary.ids.length,
        (i) => [
          summary.ids[i],
          p.expectedPurchases[i],
          p.probabilityAlive[i],
          p.expectedAverageValue[i],
          p.clv[i],
        ],
      );
      const warnings = [...fit.diagnostics.warnings, ...(spend?.diagnostics.warnings ?? []), ...p.warnings];
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      process.stderr.write(`wrote ${summary.ids.length} customers to ${opts.out}\n`);
    });
}
