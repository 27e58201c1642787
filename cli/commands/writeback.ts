/**
 * `crm-clv writeback --crm hubspot`: writes a score run's values to the contacts of the portal (DESIGN,
 * property contract), creating the `clv` group and properties first, and sending only values that changed
 * since the last confirmed write (kept in the record store, so a rerun after a crash or a 429 storm resends
 * only what HubSpot never confirmed).
 * Exit code 0 when the run finished (contacts HubSpot refused are listed), 1 when it stopped early (daily
 * limit, retries exhausted): the rest is written by the next run.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { contactUpdates } from '../../connectors/hubspot/changed-values';
import type { EnsureClvPropertiesResult, WriteChangedValuesResult } from '../../connectors/hubspot/writeback';
import { writeBackScoreRun, type HubSpotWritebackResult } from '../../worker/jobs/hubspot-writeback';
import { runPropertyValues } from '../../connectors/hubspot/writeback/score-property-values';
import { FileRecordStore, LAST_SCORE_RUN } from '../../connectors/store';
import { readScoreRun, type ScoreRun } from '../../worker/pipeline/read-score-run';
import { CliOptionError } from '../errors';
import {
  connectHubSpot,
  HubSpotConnectionOptions,
  tenantOf,
  withEnvironmentDefaults,
  withHubSpotConnectionOptions,
} from '../hubspot-connection';
import { createStatusLine } from '../progress';

const WritebackOptions = HubSpotConnectionOptions.extend({
  scores: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
});

export class WritebackStoppedError extends Error {
  readonly code = 'WRITEBACK_STOPPED';
  constructor(message: string) {
    super(message);
    this.name = 'WritebackStoppedError';
  }
}

export function writebackCommand(): Command {
  return withHubSpotConnectionOptions(
    new Command('writeback').description(
      "Write a score run's segments, CLV and churn risk to the CRM's contacts (changed values only).",
    ),
  )
    .option('--scores <dir>', "a 'crm-clv score' output directory (default: the tenant's last score run)")
    .option('--dry-run', 'count what would be written; ensure nothing, write nothing')
    .action(async (raw: Record<string, unknown>) => {
      const opts = WritebackOptions.parse(withEnvironmentDefaults(raw));
      const store = new FileRecordStore(opts.dataDir);
      const tenant = tenantOf(opts);
      const scoresDir = opts.scores ?? (await store.getCursor(tenant, LAST_SCORE_RUN));
      if (scoresDir === undefined)
        throw new CliOptionError(
          `no score run for ${tenant} in ${opts.dataDir}: run 'crm-clv score --tenant ${tenant} …' first or pass --scores DIR`,
        );
      const run = await readScoreRun(scoresDir);
      if (opts.dryRun) {
        const { updates } = runPropertyValues(run);
        const written = await store.getWrittenValues(tenant);
        const changed = contactUpdates([...updates], (id) => written[id]);
        process.stdout.write(
          `Dry run for ${tenant}: ${changed.length} of ${updates.size} scored contacts have changed values ` +
            `(${Math.ceil(changed.length / 100)} batch calls); nothing was written.\n`,
        );
        return;
      }

      const hubspot = await connectHubSpot(opts);
      const status = createStatusLine();
      let result: HubSpotWritebackResult;
      try {
        result = await writeBackScoreRun({
          connection: hubspot.connection,
          store,
          tenant,
          run,
          onProgress: (p) =>
            status.show(
              'stage' in p
                ? '  ensuring the clv properties'
                : `  ${p.round === 0 ? 'writing' : `retry round ${p.round}`}: batch ${p.batchesDone}/${p.batchesInRound}, ` +
                    `${p.inputsWritten.toLocaleString('en-US')} contacts written, ${p.inputsFailed} failed`,
            ),
        });
      } finally {
        status.stop();
        hubspot.close();
      }
      const { ensured, written } = result;
      process.stdout.write(renderWritebackSummary(tenant, run, ensured, written));
      if (written.stopped !== undefined)
        throw new WritebackStoppedError(
          `write-back stopped early: ${written.stopped.message}${written.stopped.resetAt ? ` (limit resets at ${written.stopped.resetAt})` : ''}; run it again to write the rest`,
        );
    });
}

function renderWritebackSummary(
  tenant: string,
  run: ScoreRun,
  ensured: EnsureClvPropertiesResult,
  w: WriteChangedValuesResult,
): string {
  const added = Object.entries(ensured.optionsAdded)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => `${name} +${values.length}`);
  const lines = [
    `HubSpot write-back for ${tenant} from ${run.dir} (model ${run.modelVersion}, scored ${run.scoredAt})`,
    `  properties: ${ensured.created.length} created, ${ensured.existing.length} existed${ensured.groupCreated ? ', group clv created' : ''}` +
      (added.length > 0 ? `; options added: ${added.join(', ')}` : ''),
    `  contacts: ${run.scores.length} scored, ${w.contactsChanged} changed, ${w.contactsWritten} written, ${w.failed.length} failed` +
      (run.rejected.length > 0 ? `, ${run.rejected.length} score rows unreadable` : ''),
    `  API calls: ${w.writeCalls} writes + ${ensured.calls} property calls; ${w.retriedInputs} inputs resent after 207; ` +
      `rate-limit waits ${w.rateLimitWaits + ensured.rateLimitWaits}`,
  ];
  for (const f of w.failed.slice(0, 10)) lines.push(`  failed contact ${f.id}: ${f.reason}`);
  if (w.failed.length > 10) lines.push(`  … and ${w.failed.length - 10} more`);
  for (const r of run.rejected.slice(0, 5)) lines.push(`  scores.csv line ${r.line}: ${r.reason}`);
  return lines.join('\n') + '\n';
}
