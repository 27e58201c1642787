import { indexStages } from '../deal-stages';
import type { HubSpotObject } from '../hubspot-object';
import { mapContact } from '../map-contact';
import { mapOwner } from '../map-owner';
import { mapProduct } from '../map-product';
import { ASSOCIATION_BATCH, eachPage, listOwners, readPipelines } from './hubspot-reads';
import { SYNCED_OBJECT_TYPES, type SyncedObjectType } from './object-api';
import { STORED_AS, type RunContext } from './run-context';
import { storeCursor } from './save-cursor';
import { modifiedAt, newestOf, type StoredCursor } from './sync-cursor';
import { LineIndex } from './line-index';
import { syncCampaigns } from './campaigns';
import { indexLines, wonDeals, write, writeDeals, writeTickets } from './write-objects';

/**
 * A full read: owners, pipelines and every object of each type, stored as it is read, page by page (deals and
 * tickets in groups of one association read), so memory holds a group of records and not the portal. Line
 * items are read before deals and kept mapped (the deals' order lines need them). Then every stored record
 * the read did not return is dropped (`retain-only` per type), the marketing campaigns are read (campaigns.ts),
 * and the cursors are stored for the next incremental run.
 */
export async function fullSync(ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  const tenant = ctx.options.tenant;
  const owners = await listOwners(ctx.reads);
  summary.read.owners = owners.length;
  await write(ctx, 'owners', 'rep', owners.map(mapOwner));
  const { deals: dealStages, tickets: ticketStages } = await readPipelines(ctx.reads);

  const cursors: Partial<Record<SyncedObjectType, StoredCursor>> = {};
  const read = async (
    type: SyncedObjectType,
    onPage: (objects: HubSpotObject[]) => Promise<void> | void,
  ): Promise<void> => {
    summary.read[type] = await eachPage(ctx.reads, type, (page) => {
      cursors[type] = newestOf(
        page.map((o) => ({ id: o.id, modified: modifiedAt(type, o) })),
        cursors[type],
      );
      return onPage(page);
    });
  };

  await read('products', (page) => write(ctx, 'products', 'product', page.map(mapProduct)));
  await read('contacts', (page) =>
    write(
      ctx,
      'contacts',
      'customer',
      page.map((c) => mapContact(c, { tenant })),
    ),
  );
  const lines = new LineIndex();
  await read('line_items', (page) => indexLines(ctx, page, lines));
  const stages = dealStages ?? indexStages([]);
  let deals: HubSpotObject[] = [];
  await read('deals', async (page) => {
    wonDeals(ctx, page, stages);
    deals.push(...page);
    // Whole groups only: a group one deal over ASSOCIATION_BATCH would cost two association calls.
    while (deals.length >= ASSOCIATION_BATCH) {
      await writeDeals(ctx, deals.slice(0, ASSOCIATION_BATCH), lines, stages);
      deals = deals.slice(ASSOCIATION_BATCH);
    }
  });
  if (deals.length > 0) await writeDeals(ctx, deals, lines, stages);
  lines.clear();
  let tickets: HubSpotObject[] = [];
  await read('tickets', async (page) => {
    tickets.push(...page);
    while (tickets.length >= ASSOCIATION_BATCH) {
      await writeTickets(ctx, tickets.slice(0, ASSOCIATION_BATCH), ticketStages);
      tickets = tickets.slice(ASSOCIATION_BATCH);
    }
  });
  if (tickets.length > 0) await writeTickets(ctx, tickets, ticketStages);

  // What a full read did not return is gone from HubSpot (archived, merged away): drop it here too.
  for (const [type, recordType] of STORED_AS) {
    const removed = await ctx.options.sink.apply({
      kind: 'retain-only',
      type: recordType,
      keep: ctx.writes.storedIds[type],
    });
    summary.removed[type] += removed[recordType] ?? 0;
  }
  const removedDeals = await ctx.options.sink.apply({
    kind: 'retain-only',
    type: 'deal',
    keep: ctx.writes.dealIds,
  });
  summary.dealRecords.removed += removedDeals.deal ?? 0;
  // After the contacts, so the members' customers are stored.
  await syncCampaigns(ctx);
  for (const type of SYNCED_OBJECT_TYPES) await storeCursor(ctx, type, cursors[type]);
}
