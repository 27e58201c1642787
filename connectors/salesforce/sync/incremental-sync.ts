import type { SalesforceRecord } from '../query-pages';
import { mapCase } from '../map-case';
import { mapContact } from '../map-contact';
import { mapProduct } from '../map-product';
import { mapUser } from '../map-user';
import { text } from '../record-values';
import { SYNCED_OBJECTS, type SyncedObject } from '../salesforce-objects';
import { chunk, IN_LIST_SIZE } from '../soql';
import { relationsOf, storeOpportunities } from './opportunities';
import { readDeleted, readObject, readWhereIn } from './read-objects';
import { cursorName, type RunContext } from './run-context';
import { decodeCursor, type StoredCursor } from './sync-cursor';
import { removeRecords, storeOutcomes } from './store-records';

function ids(rows: readonly SalesforceRecord[], field = 'Id'): string[] {
  return rows.map((row) => text(row, field)).filter((id): id is string => id !== undefined);
}

/**
 * An incremental read (NOTES §5.3): each object queried `WHERE SystemModstamp >= cursor` (minus the rows the
 * cursor saw at its instant; whole when it has no cursor yet), its deletions since the cursor through queryAll. An opportunity is re-read when one of its line
 * items or contact roles changed or was deleted, and every changed opportunity is mapped with its current
 * lines and roles. Opportunities no longer won lose their stored order.
 */
export async function incrementalSync(ctx: RunContext): Promise<void> {
  const { tenant, sink } = ctx.options;
  const cursors: Partial<Record<SyncedObject, StoredCursor>> = {};
  for (const object of SYNCED_OBJECTS) {
    const cursor = decodeCursor(await sink.cursor(cursorName(object)));
    cursors[object] = cursor;
    // A row at the stored instant that this run sees for the first time joins the ids already there.
    if (cursor !== undefined) ctx.newest[object] = { since: cursor.since, ids: new Set(cursor.idsAtSince) };
  }

  await readObject(ctx, 'User', cursors.User, (rows) => storeOutcomes(ctx, 'User', 'rep', rows.map(mapUser)));
  await readObject(ctx, 'Product2', cursors.Product2, (rows) =>
    storeOutcomes(ctx, 'Product2', 'product', rows.map(mapProduct)),
  );
  await readObject(ctx, 'Contact', cursors.Contact, (rows) =>
    storeOutcomes(
      ctx,
      'Contact',
      'customer',
      rows.map((row) => mapContact(row, { tenant })),
    ),
  );
  await readObject(ctx, 'Case', cursors.Case, (rows) =>
    storeOutcomes(ctx, 'Case', 'serviceCase', rows.map(mapCase)),
  );

  const reread = new Set<string>();
  for (const object of ['OpportunityLineItem', 'OpportunityContactRole'] as const)
    await readObject(ctx, object, cursors[object], (rows) => {
      for (const id of ids(rows, 'OpportunityId')) reread.add(id);
    });
  const opportunities: SalesforceRecord[] = [];
  await readObject(ctx, 'Opportunity', cursors.Opportunity, (rows) => void opportunities.push(...rows));

  // Deletions since each cursor (an object without one was read whole: nothing stored can be stale).
  const deletedOpportunities = new Set<string>();
  if (cursors.Contact !== undefined)
    await removeRecords(ctx, 'customer', ids(await readDeleted(ctx, 'Contact', cursors.Contact)), true);
  if (cursors.Product2 !== undefined)
    await removeRecords(ctx, 'product', ids(await readDeleted(ctx, 'Product2', cursors.Product2)));
  if (cursors.Case !== undefined)
    await removeRecords(ctx, 'serviceCase', ids(await readDeleted(ctx, 'Case', cursors.Case)));
  if (cursors.Opportunity !== undefined) {
    for (const id of ids(await readDeleted(ctx, 'Opportunity', cursors.Opportunity)))
      deletedOpportunities.add(id);
    await removeRecords(ctx, 'order', [...deletedOpportunities]);
  }
  for (const object of ['OpportunityLineItem', 'OpportunityContactRole'] as const) {
    const cursor = cursors[object];
    if (cursor === undefined) continue;
    for (const id of ids(await readDeleted(ctx, object, cursor, ['OpportunityId']), 'OpportunityId'))
      reread.add(id);
  }

  const changed = new Set(ids(opportunities));
  const missing = [...reread].filter((id) => !changed.has(id) && !deletedOpportunities.has(id));
  const extra = await readWhereIn(ctx, 'Opportunity', 'Id', missing);
  ctx.report.read.Opportunity += extra.length;
  opportunities.push(...extra);
  for (const part of chunk(opportunities, IN_LIST_SIZE))
    await storeOpportunities(ctx, part, await relationsOf(ctx, ids(part)));
  await removeRecords(ctx, 'order', [...ctx.notOrders]);
}
