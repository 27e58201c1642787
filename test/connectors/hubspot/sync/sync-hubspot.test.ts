import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHubSpotConnection,
  type HubSpotConnection,
} from '../../../../connectors/hubspot/create-client';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  sandboxCampaigns,
  type RunningSandbox,
} from '../../../../connectors/hubspot/sandbox';
import { syncHubSpot, type SyncSummary } from '../../../../connectors/hubspot/sync';
import { FileRecordStore } from '../../../../worker/state';
import { storeSink } from '../../../../worker/state/store-sink';

const TOKEN = 'sandbox-token';
const TENANT = '1000';

let sandbox: HubSpotSandbox;
let server: RunningSandbox;
let connection: HubSpotConnection;
let dir: string;
let store: FileRecordStore;
let full: SyncSummary;
let badDealId: string;

/**
 * Every run, full or incremental, reads the campaigns list (one page here) and each campaign's
 * influencedContacts report (one page each at this size): the campaigns API has no modified-since filter.
 */
const campaignCalls = () => 1 + sandboxCampaigns(sandbox.store).length;
const liveMembers = () =>
  sandboxCampaigns(sandbox.store)
    .flatMap((c) => c.contacts.influencedContacts)
    .filter((id) => sandbox.store.objects.contacts.byId.get(id)?.archived === false).length;

beforeAll(async () => {
  sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: TENANT,
    seed: 11,
    contacts: 150,
    rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 },
  });
  // A won deal with an unreadable amount: reported and skipped, never a crash.
  const deals = sandbox.store.objects.deals;
  badDealId = deals.ids.find((id) => deals.byId.get(id)?.properties.dealstage === 'closedwon') ?? '';
  const bad = deals.byId.get(badDealId);
  if (bad) bad.properties.amount = 'abc';
  server = await sandbox.listen(0);
  connection = createHubSpotConnection({
    accessToken: TOKEN,
    baseUrl: server.url,
    account: { auth: 'private', tier: 'enterprise', limitIncreases: 1 },
  });
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-sync-'));
  store = new FileRecordStore(dir);
  full = await syncHubSpot({ connection, sink: storeSink(store, TENANT), tenant: TENANT, mode: 'full' });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('syncHubSpot, full, through the real client against the sandbox', () => {
  it('reproduces the seeded contacts exactly', async () => {
    const table = sandbox.store.objects.contacts;
    const customers = await store.readRecords(TENANT, 'customer');
    expect(full.read.contacts).toBe(150);
    expect(customers.map((c) => c.id)).toEqual(table.ids);
    for (const customer of customers) {
      const seeded = table.byId.get(customer.id);
      const p = seeded?.properties ?? {};
      expect(customer).toMatchObject({
        tenant: TENANT,
        source: 'hubspot',
        externalId: customer.id,
        createdAt: seeded?.createdAt,
        updatedAt: seeded?.updatedAt,
        email: p.email,
        firstName: p.firstname,
        lastName: p.lastname,
        country: p.country,
        city: p.city,
        lifecycleStage: p.lifecyclestage,
        ownerId: p.hubspot_owner_id,
      });
      if (p.hs_analytics_num_page_views !== undefined)
        expect(customer.engagement?.pageViews).toBe(Number(p.hs_analytics_num_page_views));
      if (p.hs_email_open !== undefined)
        expect(customer.engagement?.emailOpens).toBe(Number(p.hs_email_open));
    }
    expect(full.skipped.contacts).toEqual([]);
  });

  it('reproduces the seeded products and owners exactly', async () => {
    const products = sandbox.store.objects.products;
    const expected = products.ids.map((id) => {
      const p = products.byId.get(id)?.properties ?? {};
      const category = p.category ?? p.product_category ?? p.product_family ?? p.hs_product_type;
      return {
        id,
        name: p.name,
        ...(category === undefined ? {} : { category }),
        ...(p.price === undefined ? {} : { price: Number(p.price) }),
      };
    });
    expect(await store.readRecords(TENANT, 'product')).toEqual(expected);
    expect(expected.some((p) => p.category !== undefined)).toBe(true);

    const reps = await store.readRecords(TENANT, 'rep');
    const owners = sandbox.store.owners.filter((o) => !o.archived);
    expect(reps).toEqual(
      owners.map((o) => ({ id: o.id, name: `${o.firstName} ${o.lastName}`, email: o.email })),
    );
    expect(full.read.owners).toBe(owners.length);
  });

  it('turns won and refunded deals into orders whose lines sum to the deal amount; open and lost deals are not orders', async () => {
    const deals = sandbox.store.objects.deals;
    const stageOf = (id: string) => deals.byId.get(id)?.properties.dealstage;
    const won = deals.ids.filter((id) => stageOf(id) === 'closedwon');
    const refunded = deals.ids.filter((id) => stageOf(id) === 'refunded');
    const orders = await store.readRecords(TENANT, 'order');
    expect(orders.map((o) => o.id).sort()).toEqual(
      [...won, ...refunded].filter((id) => id !== badDealId).sort(),
    );
    expect(full.deals.won).toBe(won.length);
    expect(full.deals.refunded).toBe(refunded.length);
    expect(refunded.length).toBeGreaterThan(0);
    expect(full.deals.won + full.deals.refunded + full.deals.lost + full.deals.open).toBe(deals.ids.length);
    expect(full.read.deals).toBe(deals.ids.length);
    expect(full.read.line_items).toBe(sandbox.store.objects.line_items.ids.length);
    for (const order of orders) {
      const p = deals.byId.get(order.id)?.properties ?? {};
      expect(order).toMatchObject({
        amount: Number(p.amount),
        currency: p.deal_currency_code,
        status: p.dealstage === 'refunded' ? 'refunded' : 'won',
        placedAt: p.closedate,
        ownerId: p.hubspot_owner_id,
      });
      const buyer = sandbox.store.associations.get('deals|contacts')?.get(order.id)?.[0]?.toId;
      expect(order.customerId).toBe(buyer);
      expect(order.lines?.length).toBeGreaterThan(0);
      const sum = (order.lines ?? []).reduce((s, l) => s + l.quantity * l.unitPrice, 0);
      expect(sum).toBeCloseTo(order.amount, 2);
    }
  });

  it('skips the deal with a bad amount with its id and reason', () => {
    expect(full.skipped.deals).toEqual([{ id: badDealId, reason: "amount: expected a number, got 'abc'" }]);
  });

  it('maps tickets to service cases of their contact and stores cursors per type', async () => {
    const tickets = sandbox.store.objects.tickets;
    const cases = await store.readRecords(TENANT, 'serviceCase');
    expect(cases.map((c) => c.id)).toEqual(tickets.ids);
    for (const c of cases)
      expect(c.customerId).toBe(sandbox.store.associations.get('tickets|contacts')?.get(c.id)?.[0]?.toId);
    const newestContact = Math.max(
      ...sandbox.store.objects.contacts.ids.map((id) =>
        Date.parse(sandbox.store.objects.contacts.byId.get(id)?.properties.lastmodifieddate ?? ''),
      ),
    );
    expect(full.cursors.contacts).toBe(newestContact);
    expect(full.rateLimitWaits).toBe(0);
    expect(full.apiCalls).toBeGreaterThan(0);
  });
});

describe('syncHubSpot, incremental', () => {
  it('after N contacts change, fetches exactly those N with one search call per type', async () => {
    const changed = sandbox.store.objects.contacts.ids.slice(20, 27);
    await connection.client.crm.contacts.batchApi.update({
      inputs: changed.map((id) => ({ id, properties: { hs_email_open: '77' } })),
    });
    const progress: string[] = [];
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
      onProgress: (p) => progress.push(p.phase),
    });
    expect(summary.read).toEqual({
      owners: 0,
      products: 0,
      contacts: changed.length,
      deals: 0,
      line_items: 0,
      tickets: 0,
      campaigns: sandboxCampaigns(sandbox.store).length,
      campaign_members: liveMembers(),
    });
    // One search per object type and one archived-list page per removable type (contacts, deals, products,
    // tickets), then the campaigns; nothing else: no pipelines, no associations.
    expect(summary.apiCalls).toBe(9 + campaignCalls());
    expect(summary.written.contacts).toBe(changed.length);
    expect(progress).toContain('contacts');
    const customers = await store.readRecords(TENANT, 'customer');
    expect(customers).toHaveLength(150);
    for (const customer of customers)
      expect(customer.engagement?.emailOpens === 77).toBe(changed.includes(customer.id));

    const again = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });
    expect(again.read.contacts).toBe(0);
    expect(again.apiCalls).toBe(9 + campaignCalls());
  });

  it('a changed deal is re-read with its contact and line items', async () => {
    const deals = sandbox.store.objects.deals;
    const id = deals.ids.find(
      (d) => d !== badDealId && deals.byId.get(d)?.properties.dealstage === 'closedwon',
    );
    await connection.client.crm.deals.basicApi.update(id ?? '', {
      properties: { hubspot_owner_id: sandbox.store.owners[0].id },
    });
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });
    expect(summary.read.deals).toBe(1);
    expect(summary.written.deals).toBe(1);
    const order = (await store.readRecords(TENANT, 'order')).find((o) => o.id === id);
    expect(order?.ownerId).toBe(sandbox.store.owners[0].id);
    expect(order?.lines?.length).toBeGreaterThan(0);
    // 5 searches + 2 pipeline reads + deal→contact and deal→line item associations + 1 line item batch read
    // + 4 archived lists + the campaigns.
    expect(summary.apiCalls).toBe(14 + campaignCalls());
  });
  it('a changed line item re-reads its deal, so the order carries the new line', async () => {
    const deals = sandbox.store.objects.deals;
    const dealId =
      deals.ids.find((d) => d !== badDealId && deals.byId.get(d)?.properties.dealstage === 'closedwon') ?? '';
    const lineIds = (sandbox.store.associations.get('deals|line_items')?.get(dealId) ?? []).map(
      (e) => e.toId,
    );
    await connection.client.crm.lineItems.basicApi.update(lineIds[0], { properties: { quantity: '42' } });
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });
    expect(summary.read.line_items).toBe(1);
    expect(summary.read.deals).toBe(1);
    expect(summary.written.deals).toBe(1);
    const order = (await store.readRecords(TENANT, 'order')).find((o) => o.id === dealId);
    expect(order?.lines).toHaveLength(lineIds.length);
    expect(order?.lines?.[0].quantity).toBe(42);
    // 5 searches, line item→deal associations, the deal's batch read, 2 pipeline reads, deal→contact and
    // deal→line item associations, a batch read of the deal's other line items when it has some, and 4
    // archived lists, then the campaigns.
    expect(summary.apiCalls).toBe((lineIds.length > 1 ? 16 : 15) + campaignCalls());
  });

  it('a won deal moved to a lost stage is no order any more', async () => {
    const deals = sandbox.store.objects.deals;
    const id =
      deals.ids.find((d) => d !== badDealId && deals.byId.get(d)?.properties.dealstage === 'closedwon') ?? '';
    expect((await store.readRecords(TENANT, 'order')).some((o) => o.id === id)).toBe(true);
    await connection.client.crm.deals.basicApi.update(id, { properties: { dealstage: 'closedlost' } });
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });
    expect(summary.read.deals).toBe(1);
    expect(summary.removed.deals).toBe(1);
    expect((await store.readRecords(TENANT, 'order')).some((o) => o.id === id)).toBe(false);
  });

  it('an archived contact is removed with its orders and cases; an archived deal and product too', async () => {
    const contactEdges = sandbox.store.associations.get('contacts|deals');
    const orders = await store.readRecords(TENANT, 'order');
    const buyer = orders[0].customerId;
    const buyerOrders = orders.filter((o) => o.customerId === buyer).map((o) => o.id);
    expect(contactEdges?.get(buyer)?.length).toBeGreaterThan(0);
    const otherOrder = orders.find((o) => o.customerId !== buyer)?.id ?? '';
    const product = (await store.readRecords(TENANT, 'product'))[0].id;

    await connection.client.crm.contacts.basicApi.archive(buyer);
    await connection.client.crm.deals.basicApi.archive(otherOrder);
    await connection.client.crm.products.basicApi.archive(product);
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });

    expect(summary.removed.contacts).toBe(1);
    expect(summary.removed.deals).toBe(buyerOrders.length + 1);
    expect(summary.removed.products).toBe(1);
    const left = await store.readRecords(TENANT, 'order');
    expect(left.filter((o) => o.customerId === buyer || o.id === otherOrder)).toEqual([]);
    expect(left).toHaveLength(orders.length - buyerOrders.length - 1);
    expect((await store.readRecords(TENANT, 'customer')).some((c) => c.id === buyer)).toBe(false);
    expect((await store.readRecords(TENANT, 'serviceCase')).some((c) => c.customerId === buyer)).toBe(false);
    expect((await store.readRecords(TENANT, 'product')).some((p) => p.id === product)).toBe(false);

    // Already gone: the next run removes nothing.
    const again = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'incremental',
    });
    expect(again.removed).toEqual({
      owners: 0,
      products: 0,
      contacts: 0,
      deals: 0,
      line_items: 0,
      tickets: 0,
      campaigns: 0,
      campaign_members: 0,
    });
  });

  it('a full sync drops stored records HubSpot no longer has', async () => {
    // A record the portal never had (e.g. from a portal state before a restore): a full read replaces it.
    await store.putRecords(TENANT, 'product', [{ id: '999999', name: 'Ghost' }]);
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'full',
    });
    expect(summary.removed.products).toBe(1);
    const products = await store.readRecords(TENANT, 'product');
    expect(products.map((p) => p.id).sort()).toEqual(
      [...sandbox.store.objects.products.byId.values()]
        .filter((p) => !p.archived)
        .map((p) => p.id)
        .sort(),
    );
  });
});
