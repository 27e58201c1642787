/**
 * `crm-clv program add|list|end|members --tenant T`: a tenant's retention programs (worker/programs). A program
 * is given by options or as a JSON file (--config); it is validated before it is stored, and `add` prints the
 * smallest lift it could detect on the tenant's latest scores, saying so when that is too coarse to be useful.
 * Customers are enrolled and their arm written (clv_retention_group) by the next write-back.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { z } from 'zod';
import {
  parseRetentionProgram,
  planProgram,
  programArmMembers,
  ProgramNotFoundError,
  readPrograms,
  writePrograms,
  type RetentionProgram,
} from '../../worker/programs';
import { CliOptionError } from '../errors';
import { withProgramStore, withProgramStoreOptions } from '../program-store';

const StoreOptions = z.object({
  tenant: z.string().min(1),
  dataDir: z.string().min(1),
  redis: z.boolean().optional(),
  json: z.boolean().optional(),
});

const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : undefined);
const num = (v: unknown) => (typeof v === 'string' ? Number(v) : undefined);

/** The program the options describe (or --config's), not yet validated. */
async function programFromOptions(raw: Record<string, unknown>, now: Date): Promise<Record<string, unknown>> {
  const defaults = {
    treatmentShare: 0.8,
    windowDays: 60,
    enrolmentDays: 0,
    costPerTreated: 0,
    offer: 'none',
    status: 'active',
    createdAt: now.toISOString(),
  };
  if (typeof raw.config === 'string') {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(raw.config, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code) throw error;
      throw new CliOptionError(`--config: ${raw.config} is not JSON`);
    }
    return { ...defaults, ...(value as Record<string, unknown>) };
  }
  const eligibility = Object.fromEntries(
    Object.entries({
      churnRisk: list(raw.eligibleChurnRisk),
      clvTopShare: num(raw.eligibleClvTop),
      minClvPredicted: num(raw.eligibleMinClv),
      minChurnProbability: num(raw.eligibleMinChurnProbability),
      segmentIds: list(raw.eligibleSegments),
      rfmSegments: list(raw.eligibleRfmSegments),
    }).filter(([, v]) => v !== undefined),
  );
  const given = Object.fromEntries(
    Object.entries({
      id: raw.id,
      name: raw.name ?? raw.id,
      eligibility,
      treatmentShare: num(raw.treatmentShare),
      windowDays: num(raw.windowDays),
      enrolmentDays: num(raw.enrolmentDays),
      costPerTreated: num(raw.cost),
      currency: raw.currency,
      offer: raw.offer,
    }).filter(([, v]) => v !== undefined),
  );
  return { ...defaults, ...given };
}

function addCommand(): Command {
  return withProgramStoreOptions(new Command('add'))
    .description('Add (or replace) a retention program; prints the smallest retention lift it can detect.')
    .option(
      '--config <file.json>',
      'the program as JSON (fields as in the README); options below are ignored',
    )
    .option('--id <id>', 'program id: lower-case letters, digits, "-" (e.g. winback-q1)')
    .option('--name <text>', 'name shown in reports (default: the id)')
    .option('--eligible-churn-risk <bands>', 'churn bands, comma-separated (low,medium,high)')
    .option('--eligible-clv-top <share>', 'top share of the run by predicted CLV, e.g. 0.4 for the top 40%')
    .option('--eligible-min-clv <amount>', 'predicted CLV at least this')
    .option('--eligible-min-churn-probability <p>', 'churn probability at least this')
    .option('--eligible-segments <ids>', 'segment ids, comma-separated')
    .option('--eligible-rfm-segments <names>', 'RFM segment names, comma-separated')
    .option('--treatment-share <share>', 'share of the eligible put in the treatment arm (default 0.8)')
    .option('--window-days <days>', 'outcome window after enrolment (default 60)')
    .option(
      '--enrolment-days <days>',
      'runs within this many days of adding enrol new customers (default 0: the first run)',
    )
    .option('--cost <amount>', 'cost per treated customer (default 0)')
    .option('--currency <code>', "ISO currency of cost and revenue (default: the latest run's)")
    .option(
      '--offer <kind>',
      "treated arm's offer: 'pricing-guidance' (P6's per-customer discount) or 'none'",
    )
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const opts = StoreOptions.parse(raw);
      await withProgramStore(opts, async (store) => {
        const run = await store.readScoreRun(opts.tenant);
        const candidate = await programFromOptions(raw, new Date());
        candidate.currency ??= run?.run.currency;
        const program = parseRetentionProgram(candidate);
        const programs = (await readPrograms(store, opts.tenant)).filter((p) => p.id !== program.id);
        await writePrograms(store, opts.tenant, [...programs, program]);
        const plan = run ? planProgram(opts.tenant, program, run.scores) : undefined;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ program, plan }, null, 2)}\n`);
          return;
        }
        process.stdout.write(`Added retention program ${program.id} to ${opts.tenant}.\n`);
        process.stdout.write(
          plan
            ? `${plan.eligible} customers of the latest run are eligible. ${plan.words}\n`
            : `No score run yet: the detectable lift is shown once ${opts.tenant} is scored.\n`,
        );
      });
    });
}

function listCommand(): Command {
  return withProgramStoreOptions(new Command('list'))
    .description("List a tenant's retention programs.")
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const opts = StoreOptions.parse(raw);
      const programs = await withProgramStore(opts, (store) => readPrograms(store, opts.tenant));
      if (opts.json) process.stdout.write(`${JSON.stringify(programs, null, 2)}\n`);
      else process.stdout.write(formatPrograms(opts.tenant, programs));
    });
}

function endCommand(): Command {
  return withProgramStoreOptions(new Command('end'))
    .description('End a program: no more enrolment; its customers are written retention group none.')
    .requiredOption('--id <id>', 'the program to end')
    .action(async (raw: Record<string, unknown>) => {
      const opts = StoreOptions.extend({ id: z.string().min(1) }).parse(raw);
      await withProgramStore(opts, async (store) => {
        const programs = await readPrograms(store, opts.tenant);
        const program = programs.find((p) => p.id === opts.id);
        if (!program) throw new ProgramNotFoundError(opts.tenant, opts.id);
        if (program.status !== 'ended') {
          program.status = 'ended';
          program.endedAt = new Date().toISOString();
          await writePrograms(store, opts.tenant, programs);
        }
        process.stdout.write(`Ended retention program ${opts.id} of ${opts.tenant} (${program.endedAt}).\n`);
      });
    });
}

function membersCommand(): Command {
  return withProgramStoreOptions(new Command('members'))
    .description("Print a program's enrolled customers by arm (JSON).")
    .requiredOption('--id <id>', 'the program')
    .action(async (raw: Record<string, unknown>) => {
      const opts = StoreOptions.extend({ id: z.string().min(1) }).parse(raw);
      const members = await withProgramStore(opts, async (store) => {
        if (!(await readPrograms(store, opts.tenant)).some((p) => p.id === opts.id))
          throw new ProgramNotFoundError(opts.tenant, opts.id);
        return programArmMembers(store, opts.tenant, opts.id);
      });
      process.stdout.write(`${JSON.stringify(members, null, 2)}\n`);
    });
}

function formatPrograms(tenant: string, programs: readonly RetentionProgram[]): string {
  if (programs.length === 0) return `${tenant} has no retention programs ('crm-clv program add' adds one).\n`;
  return programs
    .map(
      (p) =>
        `${p.id}: ${p.name} — ${p.status}, ${Math.round(p.treatmentShare * 100)}% treated, window ${p.windowDays} days, ` +
        `cost ${p.costPerTreated} ${p.currency} per treated, eligible ${JSON.stringify(p.eligibility)}\n`,
    )
    .join('');
}

export function programCommand(): Command {
  const command = new Command('program').description(
    'Retention programs with a randomised holdout: add, list, end, members.',
  );
  for (const sub of [addCommand(), listCommand(), endCommand(), membersCommand()])
    command.addCommand(sub.showHelpAfterError('(run with --help for usage)').exitOverride());
  return command;
}
