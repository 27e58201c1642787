/**
 * Keeps the `CLV · …` Contact list views (list-view-specs.ts) in step with the run through the Metadata API,
 * idempotently (sandbox NOTES-list-views-campaigns.md §1):
 * 1. `readMetadata('CustomField')` of the four filtered picklists: the segment labels write-back gave the
 *    segment values (so a caller knowing only ids names views as write-back did), and which values exist;
 *    a view whose field or value does not exist yet is reported as skipped, the others go on;
 * 2. `readMetadata('ListView')` of the wanted views, 10 per call;
 * 3. `upsertMetadata('ListView')` of the missing or changed ones only, 10 per call. An upsert of a full name
 *    that exists updates that view (its id stays), so a rerun creates nothing and one with nothing changed
 *    sends only the reads.
 * A view whose segment left the run is kept, not deleted: it may be pinned or shared by users, a segment id
 * can return in a later run, and nobody holds the old value once write-back has moved them, so it shows none.
 */
import type { SegmentListsReport } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import type { SalesforceCaller } from '../salesforce-caller';
import { CONTRACT_BY_NAME } from '../writeback/contract-fields';
import { fullNameOf, readComponents, upsertComponents } from '../writeback/deploy-fields';
import {
  listViewDiffers,
  listViewMetadata,
  listViewSpecs,
  type ListViewMetadata,
  type ReadListView,
} from './list-view-specs';

const FILTERED = ['clv_segment', 'clv_rfm_segment', 'clv_churn_risk', 'clv_retention_group'];

type ReadPicklist = {
  fullName?: string;
  valueSet?: { valueSetDefinition?: { value?: ReadValue | ReadValue[] } };
};
type ReadValue = { fullName?: string; label?: string };

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

export async function syncListViews(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  segments: readonly { id: string; name?: string }[],
): Promise<SegmentListsReport> {
  const callsBefore = caller.stats.calls;
  const fieldNames = FILTERED.map((name) => fullNameOf(CONTRACT_BY_NAME.get(name)!));
  const fields = await readComponents<ReadPicklist>(sf, caller, 'CustomField', fieldNames);
  // Picklist value → label, per filtered contract field; absent: the field does not exist yet.
  const values = new Map<string, Map<string, string>>();
  for (const name of FILTERED) {
    const read = fields.get(fullNameOf(CONTRACT_BY_NAME.get(name)!).toLowerCase());
    if (read === undefined) continue;
    values.set(
      name,
      new Map(
        asArray(read.valueSet?.valueSetDefinition?.value)
          .filter((v) => typeof v.fullName === 'string')
          .map((v) => [String(v.fullName).toLowerCase(), String(v.label ?? v.fullName)]),
      ),
    );
  }
  const labels = values.get('clv_segment');
  const named = segments.map((s) => ({
    id: s.id,
    name: labels?.get(s.id.toLowerCase()) ?? s.name ?? s.id,
  }));

  const lists: SegmentListsReport['lists'] = [];
  const wanted: ListViewMetadata[] = [];
  for (const spec of listViewSpecs(named)) {
    const held = values.get(spec.contract);
    if (held === undefined || !held.has(spec.value.toLowerCase())) {
      lists.push({
        name: spec.label,
        action: 'skipped',
        reason:
          held === undefined
            ? `Contact.${spec.field} does not exist yet (run write-back first: it creates the CLV fields)`
            : `'${spec.value}' is not a value of Contact.${spec.field} yet (run write-back first: it adds the run's values)`,
      });
      continue;
    }
    wanted.push(listViewMetadata(spec));
  }

  const have = await readComponents<ReadListView>(
    sf,
    caller,
    'ListView',
    wanted.map((w) => w.fullName),
  );
  const changed = wanted.filter((w) => {
    const current = have.get(w.fullName.toLowerCase());
    return current === undefined || listViewDiffers(w, current);
  });
  await upsertComponents(sf, caller, 'ListView', changed, 'save the CLV list views');
  const sent = new Set(changed.map((c) => c.fullName));
  for (const w of wanted)
    lists.push({
      name: w.label,
      listId: w.fullName,
      action: !sent.has(w.fullName)
        ? 'unchanged'
        : have.has(w.fullName.toLowerCase())
          ? 'updated'
          : 'created',
    });
  const count = (action: string) => lists.filter((l) => l.action === action).length;
  return {
    lists,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    calls: caller.stats.calls - callsBefore,
  };
}
