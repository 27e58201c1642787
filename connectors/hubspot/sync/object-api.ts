/**
 * The few calls the sync makes on each CRM object type, as one shape: the SDK's per-type discovery classes
 * (client.crm.contacts, .deals, …) have these methods with per-type model classes that are structurally the
 * same (NOTES §4.1), so they are viewed through this interface instead of a switch at every call.
 */
import type { Client } from '@hubspot/api-client';
import type { HubSpotObject } from '../hubspot-object';
import type { SearchRequest } from '../incremental-search';

export const SYNCED_OBJECT_TYPES = ['products', 'contacts', 'deals', 'line_items', 'tickets'] as const;
export type SyncedObjectType = (typeof SYNCED_OBJECT_TYPES)[number];

export type ObjectPage = { results: HubSpotObject[]; paging?: { next?: { after?: string } } };

export type ObjectApi = {
  basicApi: {
    getPage(
      limit?: number,
      after?: string,
      properties?: string[],
      propertiesWithHistory?: string[],
      associations?: string[],
      archived?: boolean,
    ): Promise<ObjectPage>;
  };
  batchApi: {
    read(input: {
      inputs: { id: string }[];
      properties: string[];
      propertiesWithHistory: string[];
    }): Promise<{ results: HubSpotObject[] }>;
  };
  searchApi: { doSearch(request: SearchRequest): Promise<ObjectPage> };
};

export function objectApi(client: Client, type: SyncedObjectType): ObjectApi {
  const crm = client.crm;
  const api =
    type === 'contacts'
      ? crm.contacts
      : type === 'deals'
        ? crm.deals
        : type === 'line_items'
          ? crm.lineItems
          : type === 'products'
            ? crm.products
            : crm.tickets;
  // The SDK types `sorts` as string[] although the API (and the sandbox) take {propertyName, direction}
  // objects (NOTES §4.1); the shapes are otherwise the same.
  return api as unknown as ObjectApi;
}
