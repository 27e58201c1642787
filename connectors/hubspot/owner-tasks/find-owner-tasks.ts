/**
 * Whether a task a killed run may have created exists: a search of the contact's tasks
 * (`associations.contact` EQ id, NOTES §4.1 Search; search's own 5/s limiter) whose notes carry the episode's
 * marker. The marker is checked here, on the text HubSpot returns, rather than by a search filter on the
 * notes: a rich-text property's tokenising is HubSpot's business, a substring of the text is not. Only tasks
 * of contacts with a leftover intent are looked up, so a normal run searches nothing.
 */
import type { HubSpotConnection } from '../create-client';
import type { RetryOptions } from '../retry-policy';
import { createCaller, type CallerStats } from '../writeback/hubspot-caller';
import { TASK_OBJECT_TYPE } from './task-associations';

/** Search's page maximum (NOTES §4.1). */
const PAGE = 200;
/** Search pages beyond 10,000 results are refused (NOTES §4.1); no contact has that many tasks of ours. */
const RESULT_CAP = 10_000;

type SearchBody = Parameters<HubSpotConnection['client']['crm']['objects']['searchApi']['doSearch']>[1];

/** marker → task id, for the (contact, marker) pairs whose task exists. */
export async function findOwnerTasks(
  connection: HubSpotConnection,
  wanted: readonly { customerId: string; marker: string }[],
  retry?: Partial<RetryOptions>,
): Promise<{ found: Map<string, string>; stats: CallerStats }> {
  const caller = createCaller(connection, retry, 'search');
  const found = new Map<string, string>();
  const byContact = new Map<string, string[]>();
  for (const { customerId, marker } of wanted)
    byContact.set(customerId, [...(byContact.get(customerId) ?? []), marker]);
  for (const [contactId, markers] of byContact) {
    for (let after = 0; after < RESULT_CAP; after += PAGE) {
      const body = {
        filterGroups: [
          { filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactId }] },
        ],
        properties: ['hs_task_body', 'hs_task_subject'],
        limit: PAGE,
        after: String(after),
      } as unknown as SearchBody;
      const page = await caller.call(() =>
        connection.client.crm.objects.searchApi.doSearch(TASK_OBJECT_TYPE, body),
      );
      for (const task of page.results) {
        const notes = task.properties.hs_task_body ?? '';
        for (const marker of markers) if (notes.includes(marker)) found.set(marker, String(task.id));
      }
      if (page.paging?.next?.after === undefined || page.results.length === 0) break;
    }
  }
  return { found, stats: caller.stats };
}
