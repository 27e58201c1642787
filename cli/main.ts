#!/usr/bin/env node
/** `crm-clv`: the command line of the CLV engine (contract in ../shared/DESIGN.md, "CLI contract"). */
import { Command, CommanderError } from 'commander';
import { demoCommand } from './commands/demo';
import { fitCommand } from './commands/fit';
import { predictCommand } from './commands/predict';
import { sandboxCommand } from './commands/sandbox';
import { syncCommand } from './commands/sync';
import { writebackCommand } from './commands/writeback';
import { scoreCommand } from './commands/score';
import { tenantCommand } from './commands/tenant';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { workerCommand } from './commands/worker';
import { serveCommand } from './commands/serve';
import { reportCommand } from './commands/report';
import { describeError, exitCodeFor } from './errors';
import { packageVersion } from './version';

export function buildProgram(): Command {
  const program = new Command('crm-clv')
    .description('Customer lifetime value, churn risk and segments from CRM and transaction data.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [
    fitCommand(),
    predictCommand(),
    scoreCommand(),
    demoCommand(),
    sandboxCommand(),
    syncCommand(),
    writebackCommand(),
    tenantCommand(),
    workerCommand(),
    serveCommand(),
    runCommand(),
    statusCommand(),
    reportCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`crm-clv: ${describeError(error)}\n`);
    if (process.env.CRM_CLV_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(error.stack + '\n');
    return exitCodeFor(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
