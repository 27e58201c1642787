/**
 * One write-back of a score run to a HubSpot portal: the contract properties and the run's segment options
 * first, then only the values that changed since the last confirmed write. What HubSpot confirmed is saved
 * even when the run fails half-way, so a retried job never sends a confirmed value again.
 */
import type { HubSpotConnection } from '../../connectors/hubspot/create-client';
import type { WrittenValues } from '../../connectors/hubspot/changed-values';
import {
  ensureClvProperties,
  writeChangedValues,
  type EnsureClvPropertiesResult,
  type WriteChangedValuesResult,
  type WriteProgress,
} from '../../connectors/hubspot/writeback';
import { runPropertyValues } from '../../connectors/hubspot/writeback/score-property-values';
import type { RecordStore } from '../../connectors/store';
import type { ScoreRun } from '../pipeline/read-score-run';

export type HubSpotWritebackResult = {
  ensured: EnsureClvPropertiesResult;
  written: WriteChangedValuesResult;
};

export async function writeBackScoreRun(input: {
  connection: HubSpotConnection;
  store: RecordStore;
  tenant: string;
  run: ScoreRun;
  onProgress?: (progress: WriteProgress | { stage: 'properties' }) => void;
}): Promise<HubSpotWritebackResult> {
  const { connection, store, tenant, run } = input;
  const { updates, segments } = runPropertyValues(run);
  const lastWritten = new Map<string, WrittenValues>(Object.entries(await store.getWrittenValues(tenant)));
  const before = new Map(lastWritten);
  try {
    input.onProgress?.({ stage: 'properties' });
    const ensured = await ensureClvProperties(connection, { segments });
    const written = await writeChangedValues(connection, {
      updates,
      lastWritten,
      definitions: ensured.definitions,
      onProgress: input.onProgress,
    });
    return { ensured, written };
  } finally {
    await store.setWrittenValues(tenant, confirmedSince(before, lastWritten));
  }
}

/** Contacts whose written values changed in this run (mergeWritten makes a new object for each). */
function confirmedSince(
  before: ReadonlyMap<string, WrittenValues>,
  after: ReadonlyMap<string, WrittenValues>,
): Record<string, WrittenValues> {
  const out: Record<string, WrittenValues> = {};
  for (const [id, values] of after) if (before.get(id) !== values) out[id] = values;
  return out;
}
