/**
 * What HubSpot holds now in given properties of given contacts, in the text a write of each value is recorded
 * as (heldAsWritten): batch reads of 100 (NOTES §4.1), each through callWithRetry and the general limiter like
 * every other write-back call. Write-back uses it to settle batches a killed process sent but never recorded
 * as confirmed: a value HubSpot already holds is recorded, not sent again.
 */
import { BATCH_INPUT_LIMIT, chunk, heldAsWritten, type WrittenValues } from '../changed-values';
import type { HubSpotConnection } from '../create-client';
import type { RetryOptions } from '../retry-policy';
import { createCaller } from './hubspot-caller';

export type ReadWrittenValuesResult = {
  /** Contact id → property → held value; archived or unknown contacts are absent. */
  values: Map<string, WrittenValues>;
  /** Batch-read requests sent, retries included. */
  calls: number;
  rateLimitWaits: number;
};

export async function readWrittenValues(
  connection: HubSpotConnection,
  ids: readonly string[],
  properties: readonly string[],
  retry?: Partial<RetryOptions>,
): Promise<ReadWrittenValuesResult> {
  const caller = createCaller(connection, retry);
  const values = new Map<string, WrittenValues>();
  if (properties.length === 0) return { values, calls: 0, rateLimitWaits: 0 };
  for (const batch of chunk([...new Set(ids)], BATCH_INPUT_LIMIT)) {
    // A 207 naming missing contacts still carries the others in `results`; the missing ones stay absent.
    const response = await caller.call(() =>
      connection.client.crm.contacts.batchApi.read({
        inputs: batch.map((id) => ({ id })),
        properties: [...properties],
        propertiesWithHistory: [],
      }),
    );
    for (const object of response.results) {
      const held: Record<string, string> = {};
      for (const name of properties) held[name] = heldAsWritten(name, object.properties[name]);
      values.set(String(object.id), held);
    }
  }
  return { values, calls: caller.stats.calls, rateLimitWaits: caller.stats.rateLimitWaits };
}
