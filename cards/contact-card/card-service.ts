/**
 * The card of one contact of one tenant, as the JSON text the API sends: built from the tenant's index and
 * cached per (run commit, data day, contact), so a repeated request is a Map lookup. The preview renders the
 * same answer as HTML.
 */
import type { Playbooks } from '../../playbooks';
import { buildCard } from './build-card';
import { MAX_CACHED_CARDS, tenantIndexes, type CardStore, type TenantIndexes } from './tenant-index';
import { dataDay } from './tenant-index';

export type CardLookup = { found: true; json: string } | { found: false; reason: string };

export type CardService = {
  card(tenant: string, contactId: string): Promise<CardLookup>;
  indexes: TenantIndexes;
};

export function createCardService(options: {
  store: CardStore;
  playbooks: Playbooks;
  now?: () => number;
  headerCheckMs?: number;
  /** Resolves once the store can answer (the server's Redis store: connected on demand). */
  ready?: () => Promise<unknown>;
}): CardService {
  const now = options.now ?? Date.now;
  const built = tenantIndexes({ store: options.store, headerCheckMs: options.headerCheckMs, now });
  const indexes: TenantIndexes = {
    async get(tenant) {
      await options.ready?.();
      return built.get(tenant);
    },
    clear: built.clear,
  };
  return {
    indexes,
    async card(tenant, contactId) {
      const index = await indexes.get(tenant);
      const at = now();
      const key = `${dataDay(index, at)}:${contactId}`;
      const cached = index.cards.get(key);
      if (cached !== undefined) return { found: true, json: cached };
      let synced: { firstName?: string } | undefined;
      if (!index.scores.has(contactId) && !index.facts.has(contactId)) {
        // Synced after the index was built? One HGET; never a read of the whole store.
        const record = await options.store.readRecord?.(tenant, 'customer', contactId);
        if (record === undefined)
          return {
            found: false,
            reason: `contact ${contactId} is not in this portal's synced data (never synced, archived, or of another portal)`,
          };
        synced = { firstName: record.firstName };
      }
      const card = buildCard(index, contactId, options.playbooks, at, synced);
      if (card === undefined)
        return { found: false, reason: `contact ${contactId} is not in this portal's synced data` };
      const json = JSON.stringify(card);
      if (synced === undefined) {
        if (index.cards.size >= MAX_CACHED_CARDS) index.cards.delete(index.cards.keys().next().value!);
        index.cards.set(key, json);
      }
      return { found: true, json };
    },
  };
}
