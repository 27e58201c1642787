/**
 * Keeps the `CLV · …` contact lists (segment-list-specs.ts) in step with the run, idempotently, through the
 * Lists API v3 (https://developers.hubspot.com/docs/api-reference/crm-lists-v3; SDK 14.0.1
 * `client.crm.lists.listsApi`): each list is looked up by name; a missing one is created DYNAMIC; one whose
 * filters differ gets them replaced (update-list-filters); an equal one is left alone. A create answered
 * "name taken" (a retried create that had gone through, or a second run at the same time) is looked up again,
 * never created twice. Before any call each filter is checked against the portal's contact properties
 * (validateFilterAgainstProperties, the check users' pasted filters get): a list whose property or option
 * does not exist yet is reported and skipped, the others go on.
 */
import type { HubSpotConnection } from '../create-client';
import { HubSpotRequestError } from '../errors';
import type { RetryOptions } from '../retry-policy';
import { validateFilterAgainstProperties } from '../filters';
import { createCaller } from '../writeback/hubspot-caller';
import { filterBranchFor, filterBranchKey, segmentListSpecs } from './segment-list-specs';

export const CONTACT_OBJECT_TYPE_ID = '0-1';

export type SegmentListOutcome =
  | { name: string; listId: string; action: 'created' | 'updated' | 'unchanged' }
  | { name: string; action: 'skipped'; reason: string };

export type SyncSegmentListsResult = {
  lists: SegmentListOutcome[];
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  calls: number;
};

type SdkCreate = Parameters<HubSpotConnection['client']['crm']['lists']['listsApi']['create']>[0];
type SdkFilterUpdate = Parameters<
  HubSpotConnection['client']['crm']['lists']['listsApi']['updateListFilters']
>[1];
type FoundList = { listId: string; processingType: string; filterBranch?: unknown };

const isStatus = (error: unknown, status: number) =>
  error instanceof HubSpotRequestError && error.status === status;

export async function syncSegmentLists(
  connection: HubSpotConnection,
  input: { segments: readonly { id: string; name?: string }[]; retry?: Partial<RetryOptions> },
): Promise<SyncSegmentListsResult> {
  const caller = createCaller(connection, input.retry);
  const api = connection.client.crm.lists.listsApi;
  const all = await caller.call(() => connection.client.crm.properties.coreApi.getAll('contacts'));
  // A list is named after the segment's label in the portal (write-back set it from the segment's name), so
  // a caller that knows only the ids (the worker reads no Scores for this) names lists as write-back did.
  const labels = new Map(
    (all.results.find((p) => p.name === 'clv_segment')?.options ?? []).map((o) => [o.value, o.label]),
  );
  const segments = input.segments.map((s) => ({ id: s.id, name: labels.get(s.id) ?? s.name ?? s.id }));

  const findByName = async (name: string): Promise<FoundList | undefined> => {
    try {
      const found = await caller.call(() => api.getByName(name, CONTACT_OBJECT_TYPE_ID, true));
      return found.list as unknown as FoundList;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  };

  const lists: SegmentListOutcome[] = [];
  for (const spec of segmentListSpecs(segments)) {
    const filterBranch = filterBranchFor(spec);
    const problems = validateFilterAgainstProperties({ filterBranch }, all.results);
    if (problems.length > 0) {
      const hint = problems.some((p) => p.code === 'PROPERTY_MISSING' || p.code === 'VALUE_NOT_AN_OPTION')
        ? ' (run write-back first: it creates the clv properties and their options)'
        : '';
      lists.push({
        name: spec.name,
        action: 'skipped',
        reason: problems.map((p) => p.message).join('; ') + hint,
      });
      continue;
    }
    let found = await findByName(spec.name);
    if (found === undefined) {
      try {
        const body = {
          name: spec.name,
          objectTypeId: CONTACT_OBJECT_TYPE_ID,
          processingType: 'DYNAMIC',
          filterBranch,
        } as unknown as SdkCreate;
        const created = await caller.call(() => api.create(body));
        lists.push({ name: spec.name, listId: created.list.listId, action: 'created' });
        continue;
      } catch (error) {
        if (!isStatus(error, 409)) throw error;
        found = await findByName(spec.name);
        if (found === undefined) throw error;
      }
    }
    if (found.processingType !== 'DYNAMIC') {
      lists.push({
        name: spec.name,
        action: 'skipped',
        reason: `a ${found.processingType} list of that name exists (list ${found.listId}); rename or delete it`,
      });
      continue;
    }
    if (filterBranchKey(found.filterBranch) === filterBranchKey(filterBranch)) {
      lists.push({ name: spec.name, listId: found.listId, action: 'unchanged' });
      continue;
    }
    const listId = found.listId;
    await caller.call(() => api.updateListFilters(listId, { filterBranch } as unknown as SdkFilterUpdate));
    lists.push({ name: spec.name, listId, action: 'updated' });
  }
  const count = (action: SegmentListOutcome['action']) => lists.filter((l) => l.action === action).length;
  return {
    lists,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    calls: caller.stats.calls,
  };
}
