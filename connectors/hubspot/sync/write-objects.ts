/**
 * HubSpot objects into canonical records, written to the sink as upserts. Every object is mapped with the
 * mappers and validated by the canonical schemas; a bad object is reported in `skipped` with its id and
 * reason and never stops the sync. Records the ids it stored and the deals that are not orders in the run's
 * WriteState, for the removals that follow.
 *
 * Deals and tickets are written in groups of up to ASSOCIATION_BATCH, one association read per group and
 * direction, so a full sync can hand them over page by page and hold one group, not every deal of the portal.
 */
import type { Customer, Deal, Order, OrderLine, Product, Rep, ServiceCase } from '../../../domain/records';
import { indexStages, type StageIndex } from '../deal-stages';
import type { HubSpotObject } from '../hubspot-object';
import { mapContact } from '../map-contact';
import { dealOutcome, mapDeal } from '../map-deal';
import { mapDealRecord } from '../map-deal-record';
import { mapLineItem } from '../map-line-item';
import type { MapOutcome } from '../map-outcome';
import { mapProduct } from '../map-product';
import { mapTicket } from '../map-ticket';
import { ASSOCIATION_BATCH, associations, batchRead, progress } from './hubspot-reads';
import { LineIndex } from './line-index';
import type { SyncedObjectType } from './object-api';
import type { RunContext, SyncedType } from './run-context';

type RecordFor<T> = T extends 'customer'
  ? Customer
  : T extends 'order'
    ? Order
    : T extends 'product'
      ? Product
      : T extends 'rep'
        ? Rep
        : ServiceCase;

/** Products, contacts, deals (orders with their line items, and deal records) and tickets, in that order. */
export async function writeObjects(
  ctx: RunContext,
  objects: Partial<Record<SyncedObjectType, HubSpotObject[]>>,
  dealStages: StageIndex | undefined,
  ticketStages: StageIndex | undefined,
): Promise<void> {
  const tenant = ctx.options.tenant;
  await write(ctx, 'products', 'product', (objects.products ?? []).map(mapProduct));
  await write(
    ctx,
    'contacts',
    'customer',
    (objects.contacts ?? []).map((c) => mapContact(c, { tenant })),
  );
  const lines = new LineIndex();
  indexLines(ctx, objects.line_items ?? [], lines);
  const stages = dealStages ?? indexStages([]);
  const deals = objects.deals ?? [];
  wonDeals(ctx, deals, stages);
  for (let i = 0; i < deals.length; i += ASSOCIATION_BATCH)
    await writeDeals(ctx, deals.slice(i, i + ASSOCIATION_BATCH), lines, stages);
  const tickets = objects.tickets ?? [];
  for (let i = 0; i < tickets.length; i += ASSOCIATION_BATCH)
    await writeTickets(ctx, tickets.slice(i, i + ASSOCIATION_BATCH), ticketStages);
}

/**
 * Maps line items into `lines` (kept mapped, not as HubSpot objects: deals need them later and a mapped line
 * is a few numbers); rejected ones go to the summary.
 */
export function indexLines(ctx: RunContext, items: readonly HubSpotObject[], lines: LineIndex): void {
  for (const item of items) {
    const outcome = mapLineItem(item);
    if (outcome.kind === 'line') lines.set(item.id, outcome.line);
    else {
      lines.set(item.id, null);
      ctx.summary.skipped.line_items.push({ id: outcome.id, reason: outcome.reason });
    }
  }
}

/**
 * Counts deals by stage outcome and returns those that may be orders: won, refunded, and unknown stages (which
 * mapDeal rejects with the reason). The others are recorded as not orders.
 */
export function wonDeals(
  ctx: RunContext,
  deals: readonly HubSpotObject[],
  stages: StageIndex,
): HubSpotObject[] {
  const { summary, writes } = ctx;
  const won: HubSpotObject[] = [];
  for (const deal of deals) {
    const outcome = dealOutcome(deal, stages);
    if (outcome === undefined) summary.deals.unknownStage++;
    else summary.deals[outcome]++;
    if (outcome === 'won' || outcome === 'refunded' || outcome === undefined) won.push(deal);
    else writes.notOrders.add(deal.id);
  }
  return won;
}

/**
 * Deals (at most ASSOCIATION_BATCH) become deal records of their contact (deal→contact, v4 batch); the won
 * ones (and those of unknown stages, which mapDeal rejects with the reason) also orders with their line
 * items' lines (deal→line item, read for those only). Line items not in `lines` (created after the list was
 * read) are read and added to it.
 */
export async function writeDeals(
  ctx: RunContext,
  deals: readonly HubSpotObject[],
  lines: LineIndex,
  stages: StageIndex,
): Promise<void> {
  const contacts = await associations(
    ctx.reads,
    'deals',
    'contacts',
    deals.map((d) => d.id),
  );
  const refused = await writeDealRecords(
    ctx,
    deals.map((deal) =>
      mapDealRecord(deal, {
        stages,
        contactIds: contacts.get(deal.id) ?? [],
        defaultCurrency: ctx.options.defaultCurrency,
      }),
    ),
  );
  const won = deals.filter((deal) => {
    const outcome = dealOutcome(deal, stages);
    return outcome === 'won' || outcome === 'refunded' || outcome === undefined;
  });
  if (won.length === 0) return;
  const ids = won.map((d) => d.id);
  const lineIds = await associations(ctx.reads, 'deals', 'line_items', ids);
  const missing = [...new Set([...lineIds.values()].flat())].filter((id) => !lines.has(id));
  indexLines(ctx, await batchRead(ctx.reads, 'line_items', missing), lines);

  const outcomes: MapOutcome<'order'>[] = won.map((deal) => {
    const dealLines = (lineIds.get(deal.id) ?? [])
      .map((id) => lines.get(id))
      .filter((l): l is OrderLine => l !== undefined && l !== null);
    return mapDeal(deal, {
      stages,
      contactIds: contacts.get(deal.id) ?? [],
      lines: dealLines,
      defaultCurrency: ctx.options.defaultCurrency,
    });
  });
  for (const outcome of outcomes)
    if (outcome.kind === 'rejected') ctx.writes.notOrders.add(outcome.rejection.id);
  // A deal refused as a deal record is reported once, not again as an order.
  await write(
    ctx,
    'deals',
    'order',
    outcomes.filter((o) => o.kind !== 'rejected' || !refused.has(o.rejection.id)),
  );
}

/** Upserts deal records; rejections go to the summary (under deals), not the store; returns their ids. */
async function writeDealRecords(
  ctx: RunContext,
  outcomes: readonly MapOutcome<'deal'>[],
): Promise<Set<string>> {
  const refused = new Set<string>();
  const records: Deal[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'record') {
      records.push(outcome.record);
      for (const warning of outcome.warnings)
        ctx.summary.warnings.push({ type: 'deals', id: outcome.record.id, warning });
    } else if (outcome.kind === 'rejected') {
      refused.add(outcome.rejection.id);
      ctx.summary.skipped.deals.push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
    }
  }
  if (records.length > 0) {
    await ctx.options.sink.apply({ kind: 'upsert', type: 'deal', records });
    for (const record of records) ctx.writes.dealIds.add(record.id);
    ctx.summary.dealRecords.written += records.length;
  }
  return refused;
}

/** Tickets (at most ASSOCIATION_BATCH) become service cases of their contacts (ticket→contact, v4 batch). */
export async function writeTickets(
  ctx: RunContext,
  tickets: readonly HubSpotObject[],
  stages: StageIndex | undefined,
): Promise<void> {
  const ticketContacts = await associations(
    ctx.reads,
    'tickets',
    'contacts',
    tickets.map((t) => t.id),
  );
  await write(
    ctx,
    'tickets',
    'serviceCase',
    tickets.map((t) => mapTicket(t, { contactIds: ticketContacts.get(t.id) ?? [], stages })),
  );
}

/** Upserts the mapped records of one type; rejections and skips go to the summary, not the store. */
export async function write<T extends 'customer' | 'order' | 'product' | 'rep' | 'serviceCase'>(
  ctx: RunContext,
  type: SyncedType,
  recordType: T,
  outcomes: MapOutcome<T>[],
): Promise<void> {
  const { summary } = ctx;
  const records: RecordFor<T>[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'record') {
      records.push(outcome.record as RecordFor<T>);
      for (const warning of outcome.warnings) summary.warnings.push({ type, id: outcome.record.id, warning });
    } else if (outcome.kind === 'rejected') {
      summary.skipped[type].push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
    } else if (type !== 'deals') {
      // Open and lost deals are counted in `deals`, not reported as skipped.
      summary.skipped[type].push({ id: outcome.id, reason: outcome.reason });
    }
  }
  await ctx.options.sink.apply({ kind: 'upsert', type: recordType, records });
  for (const record of records) ctx.writes.storedIds[type].add(record.id);
  summary.written[type] += records.length;
  progress(ctx.reads, 'store', records.length);
}
