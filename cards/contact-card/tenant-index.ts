/**
 * A tenant's latest score run as the card API reads it: loaded once per committed run and kept in this
 * process, so a card request costs one small Redis GET (the run header, shared by the requests of a short
 * window) and a Map lookup, never a read of the whole run.
 *
 *   customerId → Score, CLV quintile cut points, per-customer facts from the records (first name, won orders,
 *   usual gap, average order value, open tickets), the model's holdout figures.
 *
 * Freshness: the header's `commit` changes with every commit (even of the same run id), and then the index is
 * rebuilt (one build at a time per tenant; requests meanwhile keep answering from the old index). Facts come
 * from the records as they were when the run was loaded: a ticket opened since shows with the next run.
 *
 * Retention arms: the write-back enrols customers after the run's commit and the stored Scores carry no arm,
 * so the index applies each customer's live arm (liveArms, the write-back's own rule) to the Scores it serves;
 * otherwise the playbooks would show the retention call and offer to the control arm and spoil the holdout.
 * The arms are reloaded when the program store's revision (read with the header) moves or a window closes.
 * With them comes what each live program gives its customers (`offers`): the program's offer to the treatment
 * arm, none to the control arm, which the card passes on as CardFacts.programOffer.
 */
import type { Customer, Order, ServiceCase } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import type { ProgramOffer } from '../../worker/programs/program-config';
import {
  readLiveArms,
  readProgramRevision,
  type EnrolmentStore,
  type ProgramArms,
} from '../../worker/programs/program-store';
import type { ModelVersion, RecordStore, StoredModel } from '../../worker/state/record-store';

/** What the card needs of a store: the RecordStore, plus the cheap reads both our stores offer. */
export type CardStore = Pick<RecordStore, 'readScoreRun' | 'readRecords' | 'getModel'> &
  EnrolmentStore & {
    readScoreRunHeader?(tenant: string): Promise<{ run: ScoreRun; commit: string } | undefined>;
    readRecord?(tenant: string, type: 'customer', id: string): Promise<Customer | undefined>;
    getTenantReport?(tenant: string, name: string): Promise<string | undefined>;
  };

const DAY_MS = 86_400_000;

/** Per customer, from the records; `lastOrderDay` in epoch days. */
export type CustomerFacts = {
  firstName?: string;
  orders: number;
  lastOrderDay?: number;
  usualGapDays?: number;
  averageOrderValue?: number;
  openTickets: number;
  historic: number;
};

export type TenantIndex = {
  tenant: string;
  /** The run's commit: the cache key of everything derived from it. */
  commit: string;
  run: ScoreRun | undefined;
  scores: Map<string, Score>;
  /** Predicted CLV at the 20th, 40th, 60th and 80th percentiles. */
  clvCuts: number[];
  facts: Map<string, CustomerFacts>;
  /** Every synced customer id (a contact synced but not scored gets the fallback card). */
  customers: Set<string>;
  model: StoredModel | undefined;
  current: ModelVersion | undefined;
  /** The epoch day the data's clock stood at when scored (the model's observation end, else scoredAt). */
  observationDay: number | undefined;
  scoredAtMs: number | undefined;
  /** Rendered cards by `${day}:${contactId}` (cleared with the index and when the arms change). */
  cards: Map<string, string>;
  loadedAt: number;
  /** The program store's revision the arms in `scores` were read at. */
  armsRevision: string;
  /** When some arm in `scores` next turns to 'none' (Infinity: never). */
  armsChangeAt: number;
  /** The stored Score of each customer whose served Score carries an arm (restored when the arms change). */
  unarmed: Map<string, Score>;
  /** What the live program gives each customer in a live arm (CardFacts.programOffer), by customer id. */
  offers: Map<string, ProgramOffer>;
};

/** Cards kept per tenant; beyond it the oldest are dropped (a Map keeps insertion order). */
export const MAX_CACHED_CARDS = 200_000;

/** 1 for the bottom fifth of predicted CLV … 5 for the top fifth (the RFM-score convention). */
export function clvQuintile(cuts: readonly number[], value: number): number {
  let q = 1;
  for (const cut of cuts) if (value > cut) q++;
  return Math.min(5, q);
}

export function quintileCuts(values: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  return [0.2, 0.4, 0.6, 0.8].map((p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Facts per customer from the synced records. */
export function customerFacts(
  customers: readonly Customer[],
  orders: readonly Order[],
  cases: readonly ServiceCase[],
  currency: string | undefined,
): Map<string, CustomerFacts> {
  const facts = new Map<string, CustomerFacts>();
  for (const c of customers)
    facts.set(c.id, { firstName: c.firstName, orders: 0, openTickets: 0, historic: 0 });
  const days = new Map<string, number[]>();
  const amounts = new Map<string, number[]>();
  for (const o of orders) {
    if (o.status !== 'won') continue;
    const f = facts.get(o.customerId);
    if (f === undefined) continue;
    const day = Math.floor(Date.parse(o.placedAt) / DAY_MS);
    if (!Number.isFinite(day)) continue;
    let list = days.get(o.customerId);
    if (!list) days.set(o.customerId, (list = []));
    list.push(day);
    if (currency === undefined || o.currency === currency) {
      let a = amounts.get(o.customerId);
      if (!a) amounts.set(o.customerId, (a = []));
      a.push(o.amount);
    }
  }
  for (const [id, list] of days) {
    const f = facts.get(id)!;
    // Orders on one day are one purchase occasion, as the models count them.
    const distinct = [...new Set(list)].sort((a, b) => a - b);
    f.orders = list.length;
    f.lastOrderDay = distinct[distinct.length - 1];
    const gaps = distinct.slice(1).map((d, i) => d - distinct[i]);
    const gap = median(gaps);
    if (gap !== undefined && gap > 0) f.usualGapDays = gap;
  }
  for (const [id, a] of amounts) {
    const f = facts.get(id)!;
    const total = a.reduce((s, v) => s + v, 0);
    f.historic = total;
    if (total > 0) f.averageOrderValue = total / a.length;
  }
  for (const c of cases) {
    const f = facts.get(c.customerId);
    if (f === undefined) continue;
    const closed = c.closedAt !== undefined || /^(closed|resolved|done)$/i.test(c.status ?? '');
    if (!closed) f.openTickets++;
  }
  return facts;
}

/**
 * Serves each customer's Score with `arms` applied (undoing the arms applied before) and drops the rendered
 * cards, which showed the old arms. In place: touches only enrolled customers, not the whole run.
 */
export function applyLiveArms(index: TenantIndex, arms: ProgramArms, revision: string): void {
  for (const [id, stored] of index.unarmed) index.scores.set(id, stored);
  index.unarmed.clear();
  for (const [id, group] of arms.groups) {
    const stored = index.scores.get(id);
    if (stored === undefined) continue;
    index.unarmed.set(id, stored);
    index.scores.set(id, { ...stored, retentionGroup: group });
  }
  index.offers = arms.offers;
  index.armsRevision = revision;
  index.armsChangeAt = arms.changesAt;
  index.cards.clear();
}

export async function buildTenantIndex(
  store: CardStore,
  tenant: string,
  commit: string,
  now: number,
  armsRevision = 'none',
): Promise<TenantIndex> {
  const [stored, model, customers, orders, cases, arms] = await Promise.all([
    store.readScoreRun(tenant),
    store.getModel(tenant),
    store.readRecords(tenant, 'customer'),
    store.readRecords(tenant, 'order'),
    store.readRecords(tenant, 'serviceCase'),
    readLiveArms(store, tenant, now),
  ]);
  const scores = new Map<string, Score>();
  for (const s of stored?.scores ?? []) scores.set(s.customerId, s);
  const current = model?.current;
  const observation = current?.observationEnd ?? stored?.run.scoredAt;
  const observationMs = observation === undefined ? NaN : Date.parse(observation);
  const scoredAtMs = stored === undefined ? undefined : Date.parse(stored.run.scoredAt);
  const index: TenantIndex = {
    tenant,
    commit,
    run: stored?.run,
    scores,
    clvCuts: quintileCuts((stored?.scores ?? []).map((s) => s.clvPredicted)),
    facts: customerFacts(customers, orders, cases, stored?.run.currency),
    customers: new Set(customers.map((c) => c.id)),
    model,
    current,
    observationDay: Number.isFinite(observationMs) ? Math.floor(observationMs / DAY_MS) : undefined,
    scoredAtMs,
    cards: new Map(),
    loadedAt: now,
    armsRevision,
    armsChangeAt: Infinity,
    unarmed: new Map(),
    offers: new Map(),
  };
  applyLiveArms(index, arms, armsRevision);
  return index;
}

/**
 * "Today" on the data's clock: the run's observation end plus the days since it was scored. For a tenant
 * scored today that is today; for the demo portal (history ending in the past) the day counts stay those the
 * Score was made with instead of growing by the years since.
 */
export function dataDay(index: TenantIndex, now: number): number {
  const today = Math.floor(now / DAY_MS);
  if (index.observationDay === undefined || index.scoredAtMs === undefined) return today;
  return index.observationDay + Math.max(0, today - Math.floor(index.scoredAtMs / DAY_MS));
}

export type TenantIndexes = {
  /** The tenant's index for its latest committed run (built or rebuilt when the commit changed). */
  get(tenant: string): Promise<TenantIndex>;
  /** Drops every index (tests). */
  clear(): void;
};

export type TenantIndexOptions = {
  store: CardStore;
  /** How long one header read answers for every request of a tenant; default 250 ms (0: every request). */
  headerCheckMs?: number;
  now?: () => number;
};

/**
 * Per-tenant indexes: each request checks the run header and the program revision (at most once per
 * `headerCheckMs` per tenant, the reads shared by concurrent requests), rebuilds the index only when its
 * commit changed, and reloads only the arms when the revision moved or an arm's window has closed.
 */
export function tenantIndexes(options: TenantIndexOptions): TenantIndexes {
  const now = options.now ?? Date.now;
  const checkMs = options.headerCheckMs ?? 250;
  type Check = { commit: string; revision: string };
  type Entry = {
    index?: TenantIndex;
    building?: { commit: string; promise: Promise<TenantIndex> };
    arming?: { index: TenantIndex; revision: string; promise: Promise<void> };
    checked?: { at: number; state: Promise<Check> };
  };
  const entries = new Map<string, Entry>();

  const headerCommit = async (tenant: string): Promise<string> => {
    if (options.store.readScoreRunHeader === undefined) {
      // A store without a header read: read the run (its id as the commit); only small test stores do this.
      const stored = await options.store.readScoreRun(tenant);
      return stored === undefined ? 'none' : `run:${stored.run.runId}`;
    }
    const header = await options.store.readScoreRunHeader(tenant);
    return header === undefined ? 'none' : header.commit;
  };
  const check = async (tenant: string): Promise<Check> => {
    const [commit, revision] = await Promise.all([
      headerCommit(tenant),
      readProgramRevision(options.store, tenant),
    ]);
    return { commit, revision };
  };

  function indexFor(entry: Entry, tenant: string, state: Check): Promise<TenantIndex> {
    if (entry.index?.commit === state.commit) return Promise.resolve(entry.index);
    if (entry.building?.commit !== state.commit) {
      const promise = buildTenantIndex(options.store, tenant, state.commit, now(), state.revision);
      entry.building = { commit: state.commit, promise };
      promise.then(
        (index) => {
          if (entry.building?.promise === promise) {
            entry.index = index;
            entry.building = undefined;
          }
        },
        () => {
          if (entry.building?.promise === promise) entry.building = undefined;
        },
      );
    }
    return entry.building!.promise;
  }

  /** Reloads the arms of `index` (one reload at a time per index and revision). */
  function rearm(entry: Entry, tenant: string, index: TenantIndex, revision: string): Promise<void> {
    if (entry.arming?.index === index && entry.arming.revision === revision) return entry.arming.promise;
    const at = now();
    const promise = readLiveArms(options.store, tenant, at).then((arms) =>
      applyLiveArms(index, arms, revision),
    );
    entry.arming = { index, revision, promise };
    const done = () => {
      if (entry.arming?.promise === promise) entry.arming = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  async function get(tenant: string): Promise<TenantIndex> {
    let entry = entries.get(tenant);
    if (!entry) entries.set(tenant, (entry = {}));
    const at = now();
    if (entry.checked === undefined || at - entry.checked.at >= checkMs || checkMs === 0) {
      const state = check(tenant);
      entry.checked = { at, state };
      // A failed read is not remembered: the next request reads again.
      state.catch(() => {
        if (entry!.checked?.state === state) entry!.checked = undefined;
      });
    }
    const state = await entry.checked.state;
    const index = await indexFor(entry, tenant, state);
    if (index.armsRevision !== state.revision || now() >= index.armsChangeAt)
      await rearm(entry, tenant, index, state.revision);
    return index;
  }

  return {
    get,
    clear: () => entries.clear(),
  };
}
