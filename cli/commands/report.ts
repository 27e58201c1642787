/** `crm-clv report <kind>`: revenue-intelligence reports from a tenant's stored records and Scores. */
import { Command } from 'commander';
import { reportPerformanceCommand } from './report-performance';

export function reportCommand(): Command {
  return new Command('report')
    .description("Revenue-intelligence reports from a tenant's stored records and Scores.")
    .addCommand(reportPerformanceCommand().exitOverride());
}
