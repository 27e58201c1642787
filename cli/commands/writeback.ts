/**
 * `crm-clv writeback --crm hubspot|salesforce`: writes the tenant's latest Scores (or an exported run, `--scores
 * DIR`) to the portal's (or org's) contacts (DESIGN, property contract), creating the `clv` group and properties
 * first (Salesforce: checking the contract fields exist; they are deployed from cards/salesforce), and
 * sending only values that changed since the last confirmed write (recorded after every accepted batch, so a
 * rerun after a crash or a 429 storm resends only what HubSpot never confirmed).
 * Exit code 0 when every changed contact was written; 1 when any was not (refused, or the run stopped early
 * at a daily limit or after retries): the next run writes only what is still missing. A second write-back of
 * the same portal from the same store stops while the first runs (a lock file next to the store), so no value
 * is sent twice. With `--owner-tasks`, the contact owners of top-20%-CLV customers who turned high risk also
 * get a task, one per customer per high-risk episode (worker/jobs/owner-tasks.ts).
 */
import { Command } from 'commander';
import { z } from 'zod';
import { contactUpdates } from '../../connectors/hubspot/changed-values';
import { contactUpdate } from '../../connectors/salesforce/writeback/changed-fields';
import { COLLECTION_LIMIT } from '../../connectors/salesforce/writeback/write-changed';
import { DEFAULT_BULK_WRITE_THRESHOLD } from '../../connectors/salesforce/writeback/write-bulk';
import type { EnsureFieldsReport, WriteReport } from '../../connectors/crm-adapter';
import { runContractValues } from '../../domain/property-contract';
import type { Score, ScoreRun } from '../../domain/score';
import { assertRunBelongsTo, NoScoreRunError, writeBackScores } from '../../worker/jobs/write-back-scores';
import type { OwnerTaskReport } from '../../worker/jobs/owner-tasks';
import { readScoreRunExport } from '../../worker/pipeline/read-score-run';
import { FileRecordStore } from '../../worker/state';
import {
  connectHubSpotAdapter,
  HubSpotConnectionOptions,
  tenantOf,
  withEnvironmentDefaults,
  withHubSpotConnectionOptions,
} from '../hubspot-connection';
import { createStatusLine } from '../progress';
import {
  connectSalesforceAdapter,
  SalesforceConnectionOptions,
  salesforceDefaults,
  salesforceTenantOf,
  withSalesforceConnectionOptions,
} from '../salesforce-connection';
import { withStageLockFile } from '../stage-lock';
import { CliOptionError } from '../errors';

const WritebackExtras = {
  scores: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  ownerTasks: z.boolean().default(false),
};
const WritebackOptions = HubSpotConnectionOptions.extend(WritebackExtras);
const SalesforceWritebackOptions = SalesforceConnectionOptions.extend({
  ...WritebackExtras,
  checkFields: z.boolean().default(false),
});

export class WritebackStoppedError extends Error {
  readonly code = 'WRITEBACK_STOPPED';
  constructor(message: string) {
    super(message);
    this.name = 'WritebackStoppedError';
  }
}

export function writebackCommand(): Command {
  return withSalesforceConnectionOptions(
    withHubSpotConnectionOptions(
      new Command('writeback').description(
        "Write a score run's segments, CLV and churn risk to the CRM's contacts (changed values only).",
      ),
    ),
  )
    .option('--scores <dir>', "a 'crm-clv score' output directory (default: the tenant's last score run)")
    .option('--dry-run', 'count what would be written; ensure nothing, write nothing')
    .option(
      '--check-fields',
      'Salesforce: only check that the CLV_*__c fields exist and are writable (describe), for an integration ' +
        'user that may not modify metadata; by default missing fields, picklist values and the permission ' +
        'set CRM_CLV_Integration are created through the Metadata API',
    )
    .option(
      '--owner-tasks',
      "also create a task for the contact's owner when a top-20%-CLV customer turns high churn risk " +
        '(one per customer per high-risk episode; off unless given)',
    )
    .action(async (raw: Record<string, unknown>, command: Command) => {
      if (raw.crm === 'salesforce') {
        const fromDefault = command.getOptionValueSource('auth') === 'default';
        await writebackSalesforce(SalesforceWritebackOptions.parse(salesforceDefaults(raw, fromDefault)));
        return;
      }
      const opts = WritebackOptions.parse(withEnvironmentDefaults(raw));
      const store = new FileRecordStore(opts.dataDir);
      const tenant = tenantOf(opts);
      const exported = opts.scores === undefined ? undefined : await readScoreRunExport(opts.scores);
      const scored = exported ?? (await store.readScoreRun(tenant));
      if (scored === undefined) throw new NoScoreRunError(tenant);
      const from = exported?.dir ?? `the store in ${opts.dataDir}`;
      const rejected = exported?.rejected ?? [];
      if (opts.dryRun) {
        assertRunBelongsTo(scored.run, { tenant, crm: 'hubspot' });
        const { values } = runContractValues(scored.run, scored.scores);
        const written = await store.getWrittenValues(tenant);
        const changed = contactUpdates([...values], (id) => written[id]);
        process.stdout.write(
          `Dry run for ${tenant}: ${changed.length} of ${values.size} scored contacts have changed values ` +
            `(${Math.ceil(changed.length / 100)} batch calls); nothing was written.\n`,
        );
        return;
      }

      const result = await withStageLockFile(opts.dataDir, tenant, 'writeback', async () => {
        const adapter = await connectHubSpotAdapter(opts);
        const status = createStatusLine();
        try {
          return await writeBackScores({
            adapter,
            store,
            scored,
            ownerTasks: { enabled: opts.ownerTasks },
            onProgress: (p) =>
              status.show(
                'stage' in p
                  ? p.stage === 'tasks'
                    ? '  creating owner tasks'
                    : '  ensuring the clv properties'
                  : `  ${p.round === 0 ? 'writing' : `retry round ${p.round}`}: batch ${p.batchesDone}/${p.batchesInRound}, ` +
                      `${p.inputsWritten.toLocaleString('en-US')} contacts written, ${p.inputsFailed} failed`,
              ),
          });
        } finally {
          status.stop();
          adapter.close();
        }
      });
      const { ensured, written, settled } = result;
      if (settled.customers > 0)
        process.stdout.write(
          `Checked ${settled.customers} contacts an interrupted write-back had sent: ${settled.confirmed} already held the values and were not sent again.\n`,
        );
      process.stdout.write(
        renderWritebackSummary('HubSpot', tenant, from, scored, rejected, ensured, written),
      );
      if (result.tasks !== undefined) process.stdout.write(renderOwnerTaskSummary(result.tasks));
      throwUnlessComplete(written);
      const tasks = result.tasks;
      if (tasks !== undefined && (tasks.stopped !== undefined || tasks.failed.length + tasks.unknown > 0))
        throw new WritebackStoppedError(
          `owner tasks incomplete: ${tasks.failed.length} not created, ${tasks.unknown} unanswered` +
            (tasks.stopped ? ` (${tasks.stopped.message})` : '') +
            '; run it again: a task already created is found and not created twice',
        );
    });
}

/** Exit 1 (WritebackStoppedError) when any changed contact was not written. */
function throwUnlessComplete(written: WriteReport): void {
  if (written.stopped !== undefined)
    throw new WritebackStoppedError(
      `write-back stopped early: ${written.stopped.message}${written.stopped.resetAt ? ` (limit resets at ${written.stopped.resetAt})` : ''}; ` +
        `${written.failed.length} contacts were not written; run it again to write the rest`,
    );
  if (written.failed.length > 0)
    throw new WritebackStoppedError(
      `${written.failed.length} of ${written.customersChanged} changed contacts were not written (reasons above); ` +
        'fix what the reasons name and run it again: only what is still missing is sent',
    );
}

async function orgTenant(opts: z.infer<typeof SalesforceWritebackOptions>): Promise<string> {
  const adapter = await connectSalesforceAdapter(opts);
  adapter.close();
  return adapter.tenant;
}

/** `writeback --crm salesforce`: the same write-back job through the Salesforce adapter (sObject Collections). */
async function writebackSalesforce(opts: z.infer<typeof SalesforceWritebackOptions>): Promise<void> {
  if (opts.ownerTasks)
    throw new CliOptionError(
      '--owner-tasks is not available for Salesforce yet (the Flow on CLV_Churn_Risk__c can create them)',
    );
  const store = new FileRecordStore(opts.dataDir);
  const exported = opts.scores === undefined ? undefined : await readScoreRunExport(opts.scores);
  const from = exported?.dir ?? `the store in ${opts.dataDir}`;
  const rejected = exported?.rejected ?? [];
  const known = salesforceTenantOf(opts);
  if (opts.dryRun) {
    // Without --org-id the credentials name the org (one call to the token endpoint or the identity URL).
    const tenant = known ?? exported?.run.tenant ?? (await orgTenant(opts));
    const scored = exported ?? (await store.readScoreRun(tenant));
    if (scored === undefined) throw new NoScoreRunError(tenant);
    assertRunBelongsTo(scored.run, { tenant, crm: 'salesforce' });
    const { values } = runContractValues(scored.run, scored.scores);
    const written = await store.getWrittenValues(tenant);
    const changed = [...values].filter(
      ([id, wanted]) => contactUpdate(id, wanted, written[id]) !== undefined,
    );
    process.stdout.write(
      `Dry run for ${tenant}: ${changed.length} of ${values.size} scored contacts have changed values ` +
        `(${
          changed.length > DEFAULT_BULK_WRITE_THRESHOLD
            ? 'one Bulk API 2.0 ingest job'
            : `${Math.ceil(changed.length / COLLECTION_LIMIT)} collection calls`
        }); nothing was written.\n`,
    );
    return;
  }
  const adapter = await connectSalesforceAdapter(opts, { fields: opts.checkFields ? 'check' : 'deploy' });
  const tenant = known ?? adapter.tenant;
  const status = createStatusLine();
  try {
    const scored = exported ?? (await store.readScoreRun(tenant));
    if (scored === undefined) throw new NoScoreRunError(tenant);
    const result = await withStageLockFile(opts.dataDir, tenant, 'writeback', () =>
      writeBackScores({
        adapter,
        store,
        scored,
        onProgress: (p) =>
          status.show(
            'stage' in p
              ? '  checking the contract fields'
              : `  ${p.round === 0 ? 'writing' : `retry round ${p.round}`}: batch ${p.batchesDone}/${p.batchesInRound}, ` +
                  `${p.inputsWritten.toLocaleString('en-US')} contacts written, ${p.inputsFailed} failed`,
          ),
      }),
    );
    status.stop();
    const { ensured, written, settled } = result;
    if (settled.customers > 0)
      process.stdout.write(
        `Checked ${settled.customers} contacts an interrupted write-back had sent: ${settled.confirmed} already held the values and were not sent again.\n`,
      );
    process.stdout.write(
      renderWritebackSummary('Salesforce', tenant, from, scored, rejected, ensured, written),
    );
    throwUnlessComplete(written);
  } finally {
    status.stop();
    adapter.close();
  }
}

function renderOwnerTaskSummary(t: OwnerTaskReport): string {
  if (!t.supported) return '  owner tasks: this CRM adapter cannot create tasks; none created\n';
  const lines = [
    `  owner tasks: ${t.qualifying} top-20% CLV customers at high churn risk; ${t.created} tasks created, ` +
      `${t.alreadyOpen} skipped as already open, ${t.noOwner} contacts had no owner (task created unassigned)` +
      (t.missing > 0 ? `, ${t.missing} contacts no longer in the CRM` : '') +
      (t.failed.length > 0 ? `, ${t.failed.length} failed` : '') +
      (t.unknown > 0 ? `, ${t.unknown} unanswered (looked up next run, never created twice)` : ''),
    `  high-risk episodes: ${t.opened} opened, ${t.closed} closed` +
      (t.settled.checked > 0
        ? `; ${t.settled.checked} creates of an interrupted run checked, ${t.settled.found} had landed`
        : ''),
  ];
  for (const f of t.failed.slice(0, 10)) lines.push(`  task for contact ${f.id} not created: ${f.reason}`);
  return lines.join('\n') + '\n';
}

function renderWritebackSummary(
  crm: 'HubSpot' | 'Salesforce',
  tenant: string,
  from: string,
  scored: { run: ScoreRun; scores: readonly Score[] },
  rejected: readonly { line: number; reason: string }[],
  ensured: EnsureFieldsReport,
  w: WriteReport,
): string {
  const { run } = scored;
  const added = Object.entries(ensured.optionsAdded)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => `${name} +${values.length}`);
  const lines = [
    `${crm} write-back for ${tenant} from ${from} (model ${run.modelVersion}, scored ${run.scoredAt})`,
    `  ${crm === 'HubSpot' ? 'properties' : 'Contact fields'}: ${ensured.created.length} created, ${ensured.existing.length} existed${ensured.groupCreated ? ', group clv created' : ''}` +
      (added.length > 0 ? `; options added: ${added.join(', ')}` : ''),
    `  contacts: ${scored.scores.length} scored, ${w.customersChanged} changed, ${w.customersWritten} written, ${w.failed.length} failed` +
      (rejected.length > 0 ? `, ${rejected.length} score rows unreadable` : ''),
    crm === 'HubSpot'
      ? `  API calls: ${w.writeCalls} writes + ${ensured.calls} property calls; ${w.retriedInputs} inputs resent after 207; ` +
        `rate-limit waits ${w.rateLimitWaits + ensured.rateLimitWaits}`
      : `  API calls: ${w.writeCalls} writes (collections of ≤${COLLECTION_LIMIT} contacts, or one Bulk API 2.0 job above ${DEFAULT_BULK_WRITE_THRESHOLD}) + ${ensured.calls} describe; ` +
        `${w.retriedInputs} records resent after a transient failure`,
  ];
  for (const f of w.failed.slice(0, 10)) lines.push(`  failed contact ${f.id}: ${f.reason}`);
  if (w.failed.length > 10) lines.push(`  … and ${w.failed.length - 10} more`);
  for (const r of rejected.slice(0, 5)) lines.push(`  scores.csv line ${r.line}: ${r.reason}`);
  return lines.join('\n') + '\n';
}
