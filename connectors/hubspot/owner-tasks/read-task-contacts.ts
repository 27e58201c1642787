/**
 * The owner and name of contacts as HubSpot holds them now (batch reads of 100, NOTES §4.1): a task goes to
 * the contact's current owner (`hubspot_owner_id`, NOTES §4.3), which may have changed since the last sync.
 */
import type { TaskContact } from '../../crm-adapter';
import { BATCH_INPUT_LIMIT, chunk } from '../changed-values';
import type { HubSpotConnection } from '../create-client';
import type { RetryOptions } from '../retry-policy';
import { createCaller, type CallerStats } from '../writeback/hubspot-caller';

const PROPERTIES = ['hubspot_owner_id', 'firstname', 'lastname'];

/** A property's text, or undefined when HubSpot holds none (absent, null or blank). */
function present(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value.trim();
}

export async function readTaskContacts(
  connection: HubSpotConnection,
  ids: readonly string[],
  retry?: Partial<RetryOptions>,
): Promise<{ contacts: Map<string, TaskContact>; stats: CallerStats }> {
  const caller = createCaller(connection, retry);
  const contacts = new Map<string, TaskContact>();
  for (const batch of chunk([...new Set(ids)], BATCH_INPUT_LIMIT)) {
    // A 207 naming archived contacts still carries the others; the missing ones stay absent.
    const response = await caller.call(() =>
      connection.client.crm.contacts.batchApi.read({
        inputs: batch.map((id) => ({ id })),
        properties: PROPERTIES,
        propertiesWithHistory: [],
      }),
    );
    for (const object of response.results) {
      const p = object.properties;
      const ownerId = present(p.hubspot_owner_id);
      const firstName = present(p.firstname);
      const lastName = present(p.lastname);
      contacts.set(String(object.id), {
        id: String(object.id),
        ...(ownerId === undefined ? {} : { ownerId }),
        ...(firstName === undefined ? {} : { firstName }),
        ...(lastName === undefined ? {} : { lastName }),
      });
    }
  }
  return { contacts, stats: caller.stats };
}
