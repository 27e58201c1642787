/**
 * `crm-clv report programs --tenant T [--as-of DATE] [--json]`: each retention program's arms, retention and
 * revenue lift with 95% intervals, incremental revenue and ROI; INTERIM until every window has closed.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { measurePrograms, renderProgramResults } from '../../worker/programs';
import { withProgramStore, withProgramStoreOptions } from '../program-store';

const Options = z.object({
  tenant: z.string().min(1),
  dataDir: z.string().min(1),
  redis: z.boolean().optional(),
  json: z.boolean().optional(),
  asOf: z
    .string()
    .datetime({ offset: true, message: 'must be an ISO date-time such as 2026-06-30T00:00:00Z' })
    .optional(),
});

export function reportProgramsCommand(): Command {
  return withProgramStoreOptions(new Command('programs'))
    .description('Retention programs: lift by arm with 95% intervals, incremental revenue and ROI.')
    .option('--as-of <datetime>', 'measure as of this moment (default: now)')
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const opts = Options.parse(raw);
      const asOf = opts.asOf ? new Date(opts.asOf) : new Date();
      const results = await withProgramStore(opts, (store) => measurePrograms(store, opts.tenant, asOf));
      process.stdout.write(
        opts.json ? `${JSON.stringify(results, null, 2)}\n` : renderProgramResults(results),
      );
    });
}
