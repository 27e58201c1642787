/**
 * Deterministic demo portal: contacts with demographics and engagement, a product catalogue with categories,
 * two years of deals whose timing follows BG/NBD and whose values follow Gamma-Gamma, line items, tickets and
 * the contact↔deal, deal↔line item, contact↔ticket associations (type ids NOTES §4.2). Same options, same portal.
 *
 * Purchase process per buying contact (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * λ ~ Gamma(r, α), p ~ Beta(a, b); Exponential(λ) weeks between purchases; dropout with probability p after each
 * repeat purchase. Order value z ~ Gamma(p, ν), ν ~ Gamma(q, v) per customer (Fader, Hardie & Lee 2005b), split
 * over catalogue lines.
 */

import { drawSpendRate, drawTransactionValue } from '../../../demo-data/gamma-gamma-simulation';
import { PRODUCT_CATALOGUE, PRODUCT_CATEGORIES } from '../../../demo-data/product-catalogue';
import { seededRandom as createRandom, type SeededRandom } from '../../../demo-data/seeded-random';
import {
  ANALYTICS_SOURCES,
  defaultGroups,
  defaultProperties,
  DEAL_STAGES,
  GENDERS,
  TICKET_PRIORITIES,
} from './default-properties';
import { associate, createEmptyStore, insertObject, type SandboxStore } from './sandbox-store';
import {
  FIRST_NAMES,
  LAST_NAMES,
  PLACES,
  seedDealPipelines,
  seedOwners,
  seedTicketPipelines,
} from './seed-reference-data';
import { OBJECT_TYPES, type ObjectType } from './types';

// Local bindings: the contact loop runs 100,000 times under jest's vm, where Math.x loads are slow.
const { floor, max, min, round } = Math;

/** CDNOW BG/NBD (weeks) and Gamma-Gamma parameters as published by Fader, Hardie & Lee (2005a, 2005b). */
export const BGNBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };

const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;
const HISTORY_WEEKS = 104;
const BUYER_SHARE = 0.45;

export type SeedOptions = {
  portalId: string;
  seed: number;
  contacts: number;
  /** End of the seeded history (ISO); every seeded timestamp is before it. */
  observationEnd?: string;
};

export const DEFAULT_OBSERVATION_END = '2026-10-31T00:00:00.000Z';

/** First ids per type: numeric strings as HubSpot uses, disjoint ranges so a wrong type never resolves. */
const FIRST_ID: Record<ObjectType, number> = {
  contacts: 101,
  deals: 5_000_001,
  line_items: 9_000_000_001,
  products: 1001,
  tickets: 7_000_001,
  tasks: 8_000_001,
};

type Clock = { iso: (ms: number) => string };

/** Share of won deals later refunded (moved to the `refunded` stage). */
export const REFUND_SHARE = 0.03;

/**
 * Whether a won deal was refunded, from a hash of its id (Knuth's multiplicative hash) instead of a random
 * draw, so adding refunds did not shift the seeded random stream every other value comes from.
 */
function isRefunded(dealId: string): boolean {
  return (Math.imul(Number(dealId), 2654435761) >>> 0) / 2 ** 32 < REFUND_SHARE;
}

export function seedPortal(options: SeedOptions): SandboxStore {
  return seedPortalWithTruth(options).store;
}

/** The portal and what it was generated from (sales-truth.ts): what acceptance tests check analytics against. */
export function seedPortalWithTruth(options: SeedOptions): { store: SandboxStore; draws: ContactDraw[] } {
  if (!Number.isInteger(options.contacts) || options.contacts < 0) {
    throw new RangeError(`contacts must be a non-negative integer, got ${options.contacts}`);
  }
  const endMs = Date.parse(options.observationEnd ?? DEFAULT_OBSERVATION_END);
  if (!Number.isFinite(endMs))
    throw new RangeError(`observationEnd is not a date: ${options.observationEnd}`);
  const startMs = endMs - HISTORY_WEEKS * WEEK_MS;
  const setupAt = new Date(startMs - 30 * DAY_MS).toISOString();
  const store = createEmptyStore(options.portalId);
  const random = createRandom(options.seed);
  const clock: Clock = { iso: (ms) => new Date(round(ms)).toISOString() };

  store.owners = seedOwners(setupAt);
  const ownerIds = store.owners.map((o) => o.id);
  for (const type of OBJECT_TYPES) {
    for (const p of defaultProperties(type, ownerIds, setupAt)) store.properties[type].set(p.name, p);
    for (const g of defaultGroups(type)) store.groups[type].set(g.name, g);
  }
  store.pipelines.deals = seedDealPipelines(setupAt);
  store.pipelines.tickets = seedTicketPipelines(setupAt);

  const productIds = seedProducts(store, setupAt);
  const picker = createProductPicker();
  const next = { ...FIRST_ID };
  const take = (type: ObjectType): string => String(next[type]++);

  const draws: ContactDraw[] = [];
  for (let i = 0; i < options.contacts; i++) {
    draws.push(seedContact(store, random, picker, productIds, take, clock, startMs, endMs, ownerIds));
  }
  seedLostDeals(store, draws, repWinProbabilities(options.seed, ownerIds), options.seed, {
    take,
    clock,
    picker,
    productIds,
  });
  return { store, draws };
}

/**
 * Each rep's true win probability, from a stream of its own (so the contacts' stream is untouched): a
 * stratified uniform draw over 0.3…0.85 (McKay, Beckman & Conover 1979, Latin hypercube sampling), one rep
 * per stratum in a seeded order, placed within the middle half of its stratum. Plain draws for 8 reps often
 * put several within a point of each other, which no amount of deals tells apart; strata keep the reps'
 * skills distinct, so a ranking can be checked against them.
 */
export function repWinProbabilities(seed: number, ownerIds: readonly string[]): Map<string, number> {
  const random = createRandom((seed ^ 0x5a1e5) >>> 0);
  const strata = ownerIds.map((_, k) => k);
  for (let i = strata.length - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    [strata[i], strata[j]] = [strata[j], strata[i]];
  }
  const n = ownerIds.length;
  return new Map(
    ownerIds.map((id, i) => [id, 0.3 + (0.55 * (strata[i] + 0.25 + 0.5 * random.uniform())) / n]),
  );
}

/**
 * The deals each rep lost on the way to a win: before every won deal of a contact, its owner loses a
 * Geometric(p) number of earlier attempts (p the rep's win probability), so over many deals the rep's
 * won / closed tends to p. Seeded after every contact, from a stream of its own, so the contacts, their won
 * deals and ids are the same as without them; these deals and their lines take ids after all others.
 */
function seedLostDeals(
  store: SandboxStore,
  draws: readonly ContactDraw[],
  winProbability: ReadonlyMap<string, number>,
  seed: number,
  at: { take: (type: ObjectType) => string; clock: Clock; picker: ProductPicker; productIds: string[] },
): void {
  const random = createRandom((seed ^ 0x10575) >>> 0);
  for (const draw of draws) {
    const p = winProbability.get(draw.ownerId)!;
    for (const won of draw.wonDeals) {
      while (random.uniform() >= p) {
        const dealId = at.take('deals');
        const createdMs = max(draw.createdMs, won.createdMs - random.uniform() * 30 * DAY_MS);
        const closeMs = min(won.createdMs, createdMs + random.uniform() * 14 * DAY_MS);
        const createdAt = at.clock.iso(createdMs);
        const closedAt = at.clock.iso(closeMs);
        // The quote's lines, made as a won deal's are (a value split over catalogue items).
        const value = drawTransactionValue(GAMMA_GAMMA, draw.spendRate, random);
        const lines = 1 + min(3, random.poisson(0.8));
        let total = 0;
        for (let l = 0; l < lines; l++) {
          const index = at.picker.pick(random, draw.preferred);
          const product = PRODUCT_CATALOGUE[index];
          const quantity = max(1, round(value / lines / product.price));
          const amount = quantity * product.price;
          total += amount;
          const lineId = at.take('line_items');
          insertObject(store, 'line_items', {
            id: lineId,
            properties: {
              hs_object_id: lineId,
              createdate: createdAt,
              hs_lastmodifieddate: createdAt,
              name: product.name,
              hs_product_id: at.productIds[index],
              quantity: String(quantity),
              price: product.price.toFixed(2),
              amount: amount.toFixed(2),
            },
            createdAt,
            updatedAt: createdAt,
            archived: false,
          });
          associate(
            store,
            { type: 'deals', id: dealId, typeId: 19 },
            { type: 'line_items', id: lineId, typeId: 20 },
          );
        }
        insertObject(store, 'deals', {
          id: dealId,
          properties: {
            hs_object_id: dealId,
            createdate: createdAt,
            hs_lastmodifieddate: closedAt,
            dealname: `${draw.name} quote`,
            amount: total.toFixed(2),
            deal_currency_code: draw.currency,
            closedate: closedAt,
            pipeline: 'default',
            dealstage: 'closedlost',
            hubspot_owner_id: draw.ownerId,
            hs_analytics_source: draw.source,
          },
          createdAt,
          updatedAt: closedAt,
          archived: false,
        });
        associate(
          store,
          { type: 'contacts', id: draw.id, typeId: 4 },
          { type: 'deals', id: dealId, typeId: 3 },
        );
      }
    }
  }
}

/** What one contact was generated from: its latent purchase process and its won deals. */
export type ContactDraw = {
  id: string;
  name: string;
  ownerId: string;
  source: string;
  currency: string;
  createdMs: number;
  /** Index into PRODUCT_CATEGORIES of the category it leans towards. */
  preferred: number;
  /** Gamma-Gamma spend rate ν (E[value] = p/ν). */
  spendRate: number;
  /** BG/NBD purchase rate λ per week and drop-out probability p; absent for a contact who never buys. */
  lambda?: number;
  dropout?: number;
  /** Still active at the end of the history (never dropped out); false for a contact who never buys. */
  alive: boolean;
  /** Won deals in time order, refunded ones included (flagged). */
  wonDeals: { id: string; createdMs: number; closeMs: number; refunded: boolean }[];
};

/**
 * Mean amount of one of this contact's deals as the generator makes it (a Gamma-Gamma value split over
 * catalogue lines and rounded to whole items), by Monte Carlo over `samples` deals from its own stream.
 */
export function meanDealAmount(draw: ContactDraw, samples: number, seed: number): number {
  const random = createRandom((seed ^ Number(draw.id)) >>> 0);
  const picker = createProductPicker();
  let sum = 0;
  for (let k = 0; k < samples; k++) {
    const value = drawTransactionValue(GAMMA_GAMMA, draw.spendRate, random);
    const lines = 1 + min(3, random.poisson(0.8));
    for (let l = 0; l < lines; l++) {
      const product = PRODUCT_CATALOGUE[picker.pick(random, draw.preferred)];
      sum += max(1, round(value / lines / product.price)) * product.price;
    }
  }
  return sum / samples;
}

function seedProducts(store: SandboxStore, at: string): string[] {
  const ids: string[] = [];
  PRODUCT_CATALOGUE.forEach((product, i) => {
    const id = String(FIRST_ID.products + i);
    ids.push(id);
    insertObject(store, 'products', {
      id,
      properties: {
        hs_object_id: id,
        createdate: at,
        hs_lastmodifieddate: at,
        name: product.name,
        price: product.price.toFixed(2),
        hs_sku: product.id,
        category: product.category,
      },
      createdAt: at,
      updatedAt: at,
      archived: false,
    });
  });
  return ids;
}

type ProductPicker = {
  /** Index into PRODUCT_CATALOGUE; `preferred` is a category index the customer leans towards. */
  pick(random: SeededRandom, preferred: number): number;
  pickCategory(random: SeededRandom): number;
};

/** Co-purchase structure: 70 % of a customer's lines come from one preferred category, by popularity. */
function createProductPicker(): ProductPicker {
  const byCategory = PRODUCT_CATEGORIES.map((c) =>
    PRODUCT_CATALOGUE.flatMap((p, i) => (p.category === c ? [i] : [])),
  );
  const categoryWeight = byCategory.map((idx) =>
    idx.reduce((s, i) => s + PRODUCT_CATALOGUE[i].popularity, 0),
  );
  const weighted = (random: SeededRandom, items: number[], weight: (i: number) => number): number => {
    let total = 0;
    for (const i of items) total += weight(i);
    let u = random.uniform() * total;
    for (const i of items) {
      u -= weight(i);
      if (u < 0) return i;
    }
    return items[items.length - 1];
  };
  const all = PRODUCT_CATALOGUE.map((_, i) => i);
  const categories = PRODUCT_CATEGORIES.map((_, i) => i);
  return {
    pick: (random, preferred) =>
      weighted(
        random,
        random.uniform() < 0.7 ? byCategory[preferred] : all,
        (i) => PRODUCT_CATALOGUE[i].popularity,
      ),
    pickCategory: (random) => weighted(random, categories, (c) => categoryWeight[c]),
  };
}

function pickOne<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.integer(items.length)];
}

function seedContact(
  store: SandboxStore,
  random: SeededRandom,
  picker: ProductPicker,
  productIds: string[],
  take: (type: ObjectType) => string,
  clock: Clock,
  startMs: number,
  endMs: number,
  ownerIds: string[],
): ContactDraw {
  const id = take('contacts');
  const createdMs = startMs + random.uniform() * (endMs - startMs - WEEK_MS);
  const first = pickOne(random, FIRST_NAMES);
  const last = pickOne(random, LAST_NAMES);
  const [country, city, currency] = pickOne(random, PLACES);
  const owner = pickOne(random, ownerIds);
  const source = pickOne(random, ANALYTICS_SOURCES);
  const preferred = picker.pickCategory(random);
  let lastActivityMs = createdMs;

  // Purchase times: BG/NBD in weeks from the first purchase, which follows sign-up within two weeks.
  const purchases: number[] = [];
  let latent: { lambda: number; dropout: number } | undefined;
  let alive = false;
  if (random.uniform() < BUYER_SHARE) {
    let t = createdMs + random.uniform() * 2 * WEEK_MS;
    const lambda = random.gamma(BGNBD.r, BGNBD.alpha);
    const p = random.beta(BGNBD.a, BGNBD.b);
    latent = { lambda, dropout: p };
    alive = true;
    while (t < endMs) {
      purchases.push(t);
      if (purchases.length > 1 && random.uniform() < p) {
        alive = false;
        break;
      }
      const gap = random.exponential(lambda) * WEEK_MS;
      if (!(gap < endMs)) break; // λ ≈ 0 gives an infinite gap
      t += gap;
    }
  }
  const spendRate = drawSpendRate(GAMMA_GAMMA, random);

  const wonDeals: ContactDraw['wonDeals'] = [];
  const addDeal = (closeMs: number, wantedStage: string, value: number): void => {
    const dealId = take('deals');
    const stage = wantedStage === 'closedwon' && isRefunded(dealId) ? 'refunded' : wantedStage;
    const dealCreated = max(createdMs, closeMs - random.uniform() * 7 * DAY_MS);
    if (wantedStage === 'closedwon')
      wonDeals.push({ id: dealId, createdMs: dealCreated, closeMs, refunded: stage === 'refunded' });
    let total = 0;
    const lines = 1 + min(3, random.poisson(0.8));
    for (let l = 0; l < lines; l++) {
      const product = PRODUCT_CATALOGUE[picker.pick(random, preferred)];
      const quantity = max(1, round(value / lines / product.price));
      const amount = quantity * product.price;
      total += amount;
      const lineId = take('line_items');
      const at = clock.iso(dealCreated);
      insertObject(store, 'line_items', {
        id: lineId,
        properties: {
          hs_object_id: lineId,
          createdate: at,
          hs_lastmodifieddate: at,
          name: product.name,
          hs_product_id: productIds[PRODUCT_CATALOGUE.indexOf(product)],
          quantity: String(quantity),
          price: product.price.toFixed(2),
          amount: amount.toFixed(2),
        },
        createdAt: at,
        updatedAt: at,
        archived: false,
      });
      associate(
        store,
        { type: 'deals', id: dealId, typeId: 19 },
        { type: 'line_items', id: lineId, typeId: 20 },
      );
    }
    const modifiedMs = min(endMs - 1, closeMs + random.uniform() * DAY_MS);
    lastActivityMs = max(lastActivityMs, modifiedMs);
    const createdAt = clock.iso(dealCreated);
    const updatedAt = clock.iso(modifiedMs);
    insertObject(store, 'deals', {
      id: dealId,
      properties: {
        hs_object_id: dealId,
        createdate: createdAt,
        hs_lastmodifieddate: updatedAt,
        dealname: `${first} ${last} order`,
        amount: total.toFixed(2),
        deal_currency_code: currency,
        closedate: clock.iso(closeMs),
        pipeline: 'default',
        dealstage: stage,
        hubspot_owner_id: owner,
        hs_analytics_source: random.uniform() < 0.8 ? source : pickOne(random, ANALYTICS_SOURCES),
      },
      createdAt,
      updatedAt,
      archived: false,
    });
    associate(store, { type: 'contacts', id, typeId: 4 }, { type: 'deals', id: dealId, typeId: 3 });
  };

  for (const t of purchases) addDeal(t, 'closedwon', drawTransactionValue(GAMMA_GAMMA, spendRate, random));
  if (random.uniform() < 0.15) {
    const t = createdMs + random.uniform() * (endMs - createdMs - DAY_MS);
    addDeal(t, 'closedlost', drawTransactionValue(GAMMA_GAMMA, spendRate, random));
  }
  if (random.uniform() < 0.1) {
    // An open deal expected to close within the next two months.
    const closeMs = endMs + random.uniform() * 60 * DAY_MS;
    addDeal(
      min(closeMs, endMs - DAY_MS),
      DEAL_STAGES[random.integer(5)],
      drawTransactionValue(GAMMA_GAMMA, spendRate, random),
    );
  }

  const ticketCount = random.uniform() < (purchases.length > 0 ? 0.2 : 0.05) ? 1 + random.integer(2) : 0;
  for (let k = 0; k < ticketCount; k++) {
    const ticketId = take('tickets');
    const openedMs = createdMs + random.uniform() * (endMs - createdMs - DAY_MS);
    const closed = random.uniform() < 0.75;
    const closedMs = min(endMs - 1, openedMs + random.exponential(0.5) * DAY_MS);
    const modifiedMs = closed ? closedMs : openedMs;
    lastActivityMs = max(lastActivityMs, modifiedMs);
    const properties: Record<string, string> = {
      hs_object_id: ticketId,
      createdate: clock.iso(openedMs),
      hs_lastmodifieddate: clock.iso(modifiedMs),
      subject: `Support request from ${first} ${last}`,
      hs_pipeline: '0',
      hs_pipeline_stage: closed ? '4' : String(1 + random.integer(3)),
      hs_ticket_priority: pickOne(random, TICKET_PRIORITIES),
      hubspot_owner_id: owner,
    };
    if (closed) properties.closed_date = clock.iso(closedMs);
    insertObject(store, 'tickets', {
      id: ticketId,
      properties,
      createdAt: properties.createdate,
      updatedAt: properties.hs_lastmodifieddate,
      archived: false,
    });
    associate(store, { type: 'contacts', id, typeId: 15 }, { type: 'tickets', id: ticketId, typeId: 16 });
  }

  const orders = purchases.length;
  const visits = 1 + random.poisson(2 + 3 * orders);
  const opens = random.poisson(4 + orders);
  const createdAt = clock.iso(createdMs);
  const updatedAt = clock.iso(lastActivityMs);
  const properties: Record<string, string> = {
    hs_object_id: id,
    createdate: createdAt,
    lastmodifieddate: updatedAt,
    email: `${first}.${last}.${id}@example.com`.toLowerCase(),
    firstname: first,
    lastname: last,
    country,
    city,
    lifecyclestage:
      orders > 0
        ? 'customer'
        : pickOne(random, ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead']),
    hubspot_owner_id: owner,
    hs_analytics_source: source,
    hs_analytics_num_visits: String(visits),
    hs_analytics_num_page_views: String(visits + random.poisson(2 * visits)),
    hs_email_open: String(opens),
    hs_email_click: String(floor(opens * random.uniform() * 0.4)),
    hs_social_num_broadcast_clicks: String(random.poisson(0.5)),
  };
  // Demographics are often missing in real portals; the connector must cope.
  if (random.uniform() < 0.7) {
    const birthMs = Date.UTC(1950 + random.integer(55), random.integer(12), 1 + random.integer(28));
    properties.date_of_birth = new Date(birthMs).toISOString().slice(0, 10);
  }
  if (random.uniform() < 0.6) properties.gender = pickOne(random, GENDERS);
  insertObject(store, 'contacts', { id, properties, createdAt, updatedAt, archived: false });
  return {
    id,
    name: `${first} ${last}`,
    ownerId: owner,
    source,
    currency,
    createdMs,
    preferred,
    spendRate,
    ...(latent ? { lambda: latent.lambda, dropout: latent.dropout } : {}),
    alive,
    wonDeals,
  };
}
