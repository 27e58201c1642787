/** `crm-clv report <kind>`: revenue-intelligence reports from a tenant's stored records and Scores. */
import { Command } from 'commander';
import { reportProgramsCommand } from './report-programs';

export function reportCommand(): Command {
  return new Command('report')
    .description("Revenue-intelligence reports from a tenant's stored records and Scores.")
    .addCommand(reportProgramsCommand().exitOverride());
}
