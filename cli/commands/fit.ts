/** `crm-clv fit`: one model on a summary CSV; with --json prints exactly the CLI contract's object. */
import { Command } from 'commander';
import { z } from 'zod';
import { readSummaryCsv } from '../../connectors/csv';
import { fitGammaGamma } from '../../worker/analytics/clv/gamma-gamma';
import { TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import type { FitDiagnostics } from '../../worker/analytics/clv/types';
import { CliOptionError } from '../errors';
import { modelName, numberText } from '../options';

const FitOptions = z.object({
  model: modelName,
  summary: z.string().min(1),
  penalizer: numberText('penalizer')
    .refine((v) => v >= 0, 'penalizer must be ≥ 0')
    .default('0'),
  json: z.boolean().default(false),
});

export type FitOutput = {
  model: string;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  n: number;
  converged: boolean;
};

export function fitCommand(): Command {
  return new Command('fit')
    .description('Fit one model on a customer summary CSV (frequency, recency, T[, monetary_value]).')
    .requiredOption('--model <name>', 'bgnbd | pareto-nbd | mbgnbd | gamma-gamma')
    .requiredOption(
      '--summary <file>',
      'summary CSV with header columns frequency, recency, T (and monetary_value)',
    )
    .option('--penalizer <x>', 'L2 penalty on the parameters (lifetimes convention)', '0')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (raw: Record<string, unknown>) => {
      const opts = FitOptions.parse(raw);
      const summary = await readSummaryCsv(opts.summary);
      let output: FitOutput;
      let diagnostics: FitDiagnostics;
      if (opts.model === 'gamma-gamma') {
        if (!summary.hasMonetaryValue) {
          throw new CliOptionError(
            `${opts.summary} has no monetary_value (or zbar) column: gamma-gamma needs each customer's mean repeat-purchase value`,
          );
        }
        const fit = fitGammaGamma(summary, { penalizer: opts.penalizer });
        output = contractOutput(fit);
        diagnostics = fit.diagnostics;
      } else {
        const fit = TRANSACTION_MODELS[opts.model].fit(summary, { penalizer: opts.penalizer });
        output = contractOutput(fit);
        diagnostics = fit.diagnostics;
      }
      process.stdout.write(opts.json ? JSON.stringify(output) + '\n' : renderFit(output, diagnostics));
    });
}

function contractOutput(fit: {
  model: string;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  n: number;
  diagnostics: FitDiagnostics;
}): FitOutput {
  return {
    model: fit.model,
    params: { ...fit.params },
    standardErrors: { ...fit.standardErrors },
    logLikelihood: fit.logLikelihood,
    n: fit.n,
    converged: fit.diagnostics.converged,
  };
}

function renderFit(f: FitOutput, d: FitDiagnostics): string {
  const lines = [`${f.model} on ${f.n.toLocaleString('en-US')} customers`, ''];
  lines.push('  parameter      estimate   std. error');
  for (const [k, v] of Object.entries(f.params)) {
    lines.push(
      `  ${k.padEnd(10)} ${v.toFixed(4).padStart(12)} ${f.standardErrors[k].toFixed(4).padStart(12)}`,
    );
  }
  lines.push('', `  log-likelihood ${f.logLikelihood.toFixed(2)}`);
  lines.push(`  converged      ${f.converged ? 'yes' : 'no'} (${d.iterations} iterations; ${d.message})`);
  for (const w of d.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}
