/**
 * `crm-clv report performance|campaigns|email-content|programs --tenant T [--data-dir DIR | --redis]`:
 * revenue-intelligence reports from the tenant's store, the CLI's files or the worker's Redis (issue P8).
 * `campaigns`: per campaign members, response, conversion to a won order within --within-days of joining, revenue, CLV of the converted, cost, ROI and an observational comparison with matched non-members;
 * `--csv FILE` exports it, `--json` prints it. `email-content`: the segment email snippets, as email-content.json
 * and one HTML preview per segment in --out. `performance` and `programs`: see report-performance.ts and report-programs.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { defaultPlaybooksDir } from '../../playbooks/assets';
import { loadEmailTemplates } from '../../playbooks/email';
import { segmentEmailsWithOffers } from '../../worker/programs/email-offers';
import { DEFAULT_CONVERSION_DAYS } from '../../worker/analytics/campaigns';
import { NoScoreRunError } from '../../worker/jobs/write-back-scores';
import {
  buildCampaignReport,
  CAMPAIGN_CSV_HEADER,
  campaignCsvRow,
} from '../../worker/pipeline/campaign-report';
import { renderSegmentEmailPreview } from '../../worker/report/render-email-preview';
import { writeCsv } from '../../worker/pipeline/write-csv';
import { renderCampaignReport } from '../../worker/report/render-campaigns';
import { withRecordStore, withRecordStoreOptions } from '../record-store-option';
import { parseTenantOption } from '../tenant-option';
import { reportPerformanceCommand } from './report-performance';
import { reportProgramsCommand } from './report-programs';

const CampaignOptions = z.object({
  dataDir: z.string().min(1),
  redis: z.boolean().optional(),
  withinDays: z.coerce
    .number({ message: 'within-days must be a number of days' })
    .int('within-days must be a whole number of days')
    .min(1, 'within-days must be at least 1')
    .max(3650, 'within-days must be at most 3650'),
  csv: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

const EmailOptions = z.object({
  dataDir: z.string().min(1),
  redis: z.boolean().optional(),
  out: z.string().min(1),
});

function campaignsCommand(): Command {
  return withRecordStoreOptions(
    new Command('campaigns')
      .description('Campaign KPIs: members, response, conversion within N days, revenue, CLV, cost, ROI.')
      .requiredOption('--tenant <id>', 'tenant id, e.g. salesforce-00D000000000001 or hubspot-1000'),
  )
    .option('--within-days <n>', 'conversion window after joining, in days', String(DEFAULT_CONVERSION_DAYS))
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print JSON instead of text')
    .action(async (raw: Record<string, unknown>) => {
      const { tenant } = parseTenantOption(raw.tenant);
      const opts = CampaignOptions.parse(raw);
      const report = await withRecordStore(opts, (store) =>
        buildCampaignReport(store, tenant, opts.withinDays),
      );
      if (opts.csv !== undefined) {
        const rows = report.campaigns.map(campaignCsvRow);
        await writeCsv(opts.csv, CAMPAIGN_CSV_HEADER, rows.length, (i) => rows[i]);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderCampaignReport(report));
    });
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'segment';

function emailContentCommand(): Command {
  return withRecordStoreOptions(
    new Command('email-content')
      .description(
        'Email snippets per segment (subject, opening, offer, products), as JSON and HTML previews.',
      )
      .requiredOption('--tenant <id>', 'tenant id, e.g. hubspot-1000')
      .requiredOption('--out <dir>', 'folder for email-content.json and the HTML previews'),
  ).action(async (raw: Record<string, unknown>) => {
    const { tenant } = parseTenantOption(raw.tenant);
    const opts = EmailOptions.parse(raw);
    const { scored, contexts } = await withRecordStore(opts, async (store) => {
      const run = await store.readScoreRun(tenant);
      if (run === undefined) throw new NoScoreRunError(tenant);
      return { scored: run, contexts: await segmentEmailsWithOffers(store, tenant, run, Date.now()) };
    });
    const templates = loadEmailTemplates(defaultPlaybooksDir());
    const emails = contexts.map((c) => templates.render(c));
    await mkdir(opts.out, { recursive: true });
    await writeFile(
      join(opts.out, 'email-content.json'),
      JSON.stringify({ tenant, runId: scored.run.runId, emails }, null, 2) + '\n',
    );
    for (const email of emails)
      await writeFile(
        join(opts.out, `${email.kind}-${slug(email.key)}.html`),
        renderSegmentEmailPreview(email),
      );
    process.stdout.write(
      `Email snippets for ${emails.length} segments of ${tenant} (run ${scored.run.runId}) in ${opts.out}.\n`,
    );
  });
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Revenue-intelligence reports from the tenant’s store.')
    .addCommand(reportPerformanceCommand().exitOverride())
    .addCommand(campaignsCommand().exitOverride())
    .addCommand(emailContentCommand().exitOverride())
    .addCommand(reportProgramsCommand().exitOverride());
}
