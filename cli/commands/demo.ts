/**
 * `crm-clv demo` (what `npm start` runs): generates a synthetic retailer's transactions from known BG/NBD and
 * Gamma-Gamma parameters, scores them with the whole engine, and shows how close the fitted models come to
 * the truth; then the CRM part: a HubSpot portal and a Salesforce org (local sandboxes seeded alike, two
 * tenants of one store) each synced, scored and written back. Needs no CRM account and no network.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import { DEMO_TRANSACTION_OPTIONS } from '../../demo-data/transaction-options';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { numberText } from '../options';
import { runScoreWithProgress } from './score';
import { packageVersion } from '../version';
import { renderScoreSummary } from '../render-score-summary';
import { highChurnRiskList } from '../../connectors/hubspot/filters';
import { DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import { DEMO_RATES, hubspotRoundTrip } from '../../worker/demo/hubspot-round-trip';
import { queuedDemoRun, type QueuedRunOutcome } from '../../worker/demo/queued-run';
import { DEFAULT_REDIS_URL } from '../../worker/queue/redis-connection';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { serveDemoCards } from '../serve-demo-cards';
import { salesforceRoundTrip } from '../../worker/demo/salesforce-round-trip';
import type { RoundTripOptions } from '../../worker/demo/hubspot-round-trip';
import { FileRecordStore } from '../../worker/state';
import type { CrmAdapter } from '../../connectors/crm-adapter';

const DemoOptions = z.object({
  customers: numberText('customers')
    .refine(
      (v) => Number.isInteger(v) && v >= 100 && v <= 5_000_000,
      'customers must be a whole number from 100 to 5,000,000',
    )
    .default(String(DEMO_TRANSACTION_OPTIONS.customers)),
  seed: numberText('seed')
    .refine((v) => Number.isInteger(v), 'seed must be a whole number')
    .default(String(DEMO_TRANSACTION_OPTIONS.seed)),
  out: z.string().min(1).default(join('out', 'demo')),
  crm: z.boolean().default(true),
  serve: z.boolean().default(false),
  crmContacts: numberText('crm-contacts')
    .refine(
      (v) => Number.isInteger(v) && v >= 50 && v <= 100_000,
      'crm-contacts must be a whole number from 50 to 100,000',
    )
    .default('2000'),
});

/** The demo's split: 18 months of calibration, the last 6 months of the two-year history as holdout. */
const DEMO_CALIBRATION_END = '2024-06-30';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Generate a demo retailer (seeded), score it end to end and compare the fit with the truth.')
    .option('--customers <n>', 'customers to generate', String(DEMO_TRANSACTION_OPTIONS.customers))
    .option('--seed <s>', 'random seed', String(DEMO_TRANSACTION_OPTIONS.seed))
    .option('--out <dir>', 'output directory', join('out', 'demo'))
    .option(
      '--crm-contacts <n>',
      'contacts in the sandboxed HubSpot portal and Salesforce org of the CRM part',
      '2000',
    )
    .option('--no-crm', 'skip the CRM part (HubSpot and Salesforce sandboxes → sync → score → write-back)')
    .option(
      '--serve',
      "then serve the demo portal's card preview and dashboard on PORT until Ctrl-C (npm start)",
    )
    .action(async (raw: Record<string, unknown>) => {
      const opts = DemoOptions.parse(raw);
      const transactions = join(opts.out, 'transactions.csv');
      process.stderr.write(
        `Generating ${opts.customers.toLocaleString('en-US')} customers (seed ${opts.seed})…\n`,
      );
      const { mkdir } = await import('node:fs/promises');
      await mkdir(opts.out, { recursive: true });
      const generated = await writeTransactionsCsv(transactions, {
        customers: opts.customers,
        seed: opts.seed,
      });
      process.stderr.write(
        `Wrote ${generated.rows.toLocaleString('en-US')} rows (${generated.orders.toLocaleString('en-US')} orders, with cancellations, refunds, duplicates and bad rows to clean) to ${transactions}\n`,
      );
      const { result, outputs } = await runScoreWithProgress({
        tenant: 'csv-demo',
        source: 'csv',
        engineVersion: packageVersion(),
        outDir: opts.out,
        settings: {
          ...DEMO_SCORE_SETTINGS,
          transactions,
          observationEnd: generated.options.end,
          calibrationEnd: DEMO_CALIBRATION_END,
          baseCurrency: generated.options.currency,
          productCategories: demoCatalogueCategories(),
          productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
        },
      });
      if (outputs === undefined) throw new Error('the demo run exports its outputs');
      process.stdout.write(renderScoreSummary(result, outputs));
      const truth = generated.options;
      const bg = result.report.calibration?.fits.find((f) => f.model === 'bgnbd');
      const lines = ['How close the engine came to the parameters the data were generated from:'];
      if (bg && !bg.error) {
        for (const [k, v] of Object.entries(truth.purchase))
          lines.push(compare(`BG/NBD ${k}`, v, bg.params[k], bg.standardErrors[k]));
      }
      if (!result.report.spend.error) {
        for (const [k, v] of Object.entries(truth.spend)) {
          lines.push(
            compare(
              `Gamma-Gamma ${k}`,
              v,
              result.report.spend.params[k],
              result.report.spend.standardErrors[k],
            ),
          );
        }
      }
      process.stdout.write(lines.join('\n') + `\nOpen ${outputs.html} for the holdout charts.\n`);
      if (opts.crm) {
        await crmPart(opts.out, opts.seed, opts.crmContacts);
        await salesforcePart(opts.out, opts.seed, opts.crmContacts);
      }
      if (opts.crm && opts.serve) await serveDemoCards(opts.out);
    });
}

/** Score settings every demo run shares; the input, dates and currency are set per part. */
const DEMO_SCORE_SETTINGS = STANDARD_SCORE_SETTINGS;

async function crmPart(out: string, seed: number, contacts: number): Promise<void> {
  process.stdout.write(
    '\n== The CRM part: a HubSpot portal (local sandbox) → sync → score → write-back ==\n',
  );
  const r = await hubspotRoundTrip({
    out,
    seed,
    contacts,
    port: Number(process.env.HUBSPOT_SANDBOX_PORT ?? 4010),
    token: process.env.HUBSPOT_SANDBOX_TOKEN ?? 'sandbox-token',
    portalId: process.env.HUBSPOT_SANDBOX_PORTAL_ID ?? '1000',
    log: (line) => process.stderr.write(`${line}\n`),
    score: scoreDemoTenant('hubspot'),
    whileRunning: runDemoTenant,
  });
  const s = r.sync;
  const w1 = r.first.written;
  const w2 = r.second.written;
  const lines = [
    `Synced ${s.read.contacts.toLocaleString('en-US')} contacts, ${s.read.deals.toLocaleString('en-US')} deals ` +
      `(${s.deals.won} won, ${s.deals.refunded} refunded), ${s.read.line_items.toLocaleString('en-US')} line items, ` +
      `${s.read.tickets} tickets in ${s.apiCalls} API calls through @hubspot/api-client.`,
    `Write-back: properties ${r.first.ensured.created.length} created; ${w1.customersWritten.toLocaleString('en-US')} contacts ` +
      `written in ${w1.writeCalls} batch calls, ${w1.failed.length} failed.`,
    `Write-back again with the same scores: ${w2.customersChanged} changed, ${w2.writeCalls} calls (only changed values are sent).`,
    `The list "churn risk is high" (filter JSON below) is ${r.filterProblems.length === 0 ? 'valid' : 'INVALID'} against the written properties` +
      (r.filterProblems.length === 0 ? '.' : `: ${r.filterProblems.join('; ')}`),
    `  ${JSON.stringify(highChurnRiskList())}`,
  ];
  if (r.example) {
    lines.push(`Contact ${r.example.id} in HubSpot now has:`);
    for (const [name, value] of Object.entries(r.example.properties))
      lines.push(`  ${name.padEnd(24)} ${value ?? ''}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** The score stage of a demo tenant: the demo's settings over the tenant's, a one-line summary. */
function scoreDemoTenant(source: 'hubspot' | 'salesforce'): RoundTripOptions['score'] {
  return async ({ settings, tenant, store, outDir: dir }) => {
    const { result } = await runScoreWithProgress({
      settings: { ...DEMO_SCORE_SETTINGS, ...settings },
      tenant,
      source,
      engineVersion: packageVersion(),
      outDir: dir,
      store,
    });
    const segments = result.insights?.segments?.model.ids ?? [];
    process.stdout.write(
      `Scored ${result.summary.ids.length.toLocaleString('en-US')} buying contacts with ${result.report.selectedModel}` +
        (segments.length > 0 ? `; ${segments.length} behavioural segments` : '') +
        ` (report: ${join(dir, 'report.html')})\n`,
    );
  };
}

/** The same tenant through the worker pipeline (BullMQ when Redis answers, else inline). */
async function runDemoTenant(running: {
  tenant: string;
  store: FileRecordStore;
  adapter: () => CrmAdapter | Promise<CrmAdapter>;
}): Promise<void> {
  process.stdout.write('\n== The running system: the same tenant through the worker pipeline ==\n');
  const outcome = await queuedDemoRun({
    tenant: running.tenant,
    adapter: running.adapter,
    redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    store: running.store,
    data: {
      mode: 'incremental',
      observationEnd: DEMO_PORTAL_OBSERVATION_END,
      currency: 'USD',
      rates: { ...DEMO_RATES },
    },
    engineVersion: packageVersion(),
  });
  process.stdout.write(describeQueuedRun(outcome));
}

/**
 * The second demo tenant: a Salesforce org seeded from the same demo portal (SALESFORCE_SANDBOX_PORT 4020,
 * SALESFORCE_SANDBOX_ORG_ID 00D000000000001AAA), synced into the same store, scored and written back.
 */
async function salesforcePart(out: string, seed: number, contacts: number): Promise<void> {
  process.stdout.write(
    '\n== The second tenant: a Salesforce org (local sandbox, same customers) → sync → score → write-back ==\n',
  );
  const r = await salesforceRoundTrip({
    out,
    seed,
    contacts,
    port: Number(process.env.SALESFORCE_SANDBOX_PORT ?? 4020),
    token: process.env.SALESFORCE_SANDBOX_TOKEN ?? 'sandbox-token',
    orgId: process.env.SALESFORCE_SANDBOX_ORG_ID ?? '00D000000000001AAA',
    store: new FileRecordStore(join(out, 'store')),
    log: (line) => process.stderr.write(`${line}\n`),
    score: scoreDemoTenant('salesforce'),
    whileRunning: runDemoTenant,
  });
  const s = r.sync;
  const o = s.opportunities;
  const w1 = r.first.written;
  const w2 = r.second.written;
  const lines = [
    `Synced ${s.read.Contact.toLocaleString('en-US')} contacts, ${s.read.Opportunity.toLocaleString('en-US')} opportunities ` +
      `(${o.won} won, ${o.refunded} refunded), ${s.read.OpportunityLineItem.toLocaleString('en-US')} line items, ` +
      `${s.read.Case} cases of ${r.tenant} in ${s.apiCalls} API calls through jsforce.`,
    `Write-back: ${w1.customersWritten.toLocaleString('en-US')} contacts written in ${w1.writeCalls} collection calls ` +
      `(≤200 each), ${w1.failed.length} failed; the org's churn Flow created ${r.flowTasks} follow-up tasks.`,
    `Write-back again with the same scores: ${w2.customersChanged} changed, ${w2.writeCalls} calls (only changed values are sent).`,
  ];
  if (r.example) {
    lines.push(`Contact ${r.example.id} in Salesforce now has:`);
    for (const [name, value] of Object.entries(r.example.fields))
      lines.push(`  ${name.padEnd(28)} ${value === null || value === undefined ? '' : String(value)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** The demo portal's last seeded day (every seeded timestamp is before DEFAULT_OBSERVATION_END). */
const DEMO_PORTAL_OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000)
  .toISOString()
  .slice(0, 10);

function describeQueuedRun(outcome: QueuedRunOutcome): string {
  const stages = outcome.via === 'bullmq' ? outcome.status.stages : outcome.stages;
  const lines = [
    outcome.via === 'bullmq'
      ? `A pipeline run through BullMQ on Redis at ${outcome.redisUrl} (in-process workers): ${outcome.status.state}.`
      : `No Redis answers (${outcome.why}): the same stage processors ran in-process instead.`,
  ];
  for (const stage of stages) {
    const result = 'result' in stage ? stage.result : undefined;
    const state = 'state' in stage ? `${stage.state} ` : '';
    lines.push(`  ${stage.stage.padEnd(9)} ${state}${result === undefined ? '' : JSON.stringify(result)}`);
  }
  lines.push(
    '  (incremental: only what changed since the last sync, here the contacts the write-back just updated;\n' +
      '   the write-back then finds no value that changed, so it writes nothing)',
  );
  return lines.join('\n') + '\n';
}

function compare(name: string, truth: number, estimate: number, se: number): string {
  const z = (estimate - truth) / se;
  return `  ${name.padEnd(16)} truth ${truth.toFixed(3).padStart(8)}  fitted ${estimate.toFixed(3).padStart(8)} ± ${se.toFixed(3)}  (${Math.abs(z).toFixed(1)} s.e.)`;
}
