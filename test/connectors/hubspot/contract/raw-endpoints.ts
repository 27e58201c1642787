/**
 * Routes the connector reaches through `client.apiRequest` because @hubspot/api-client 14.0.1 has no wrapper for
 * them, so the endpoints TSV (the SDK's methods) has no row: taken from HubSpot's OpenAPI document "Marketing
 * Campaigns Public Api" v3 (paths, query parameters and the 200 success answer; see
 * connectors/hubspot/sandbox/campaign-routes.ts for where it was read), in the TSV's shape so one checker holds
 * every request to a published contract.
 */
import type { EndpointRow } from './endpoints-tsv';

export const RAW_ENDPOINT_ROWS: readonly EndpointRow[] = [
  {
    clientMethod: 'client.apiRequest GET marketing campaigns',
    httpMethod: 'GET',
    path: '/marketing/v3/campaigns',
    queryParams: ['sort', 'after', 'limit', 'name', 'properties'],
    successCodes: [200],
  },
  {
    clientMethod: 'client.apiRequest GET marketing campaign contacts report',
    httpMethod: 'GET',
    path: '/marketing/v3/campaigns/{campaignGuid}/reports/contacts/{contactType}',
    queryParams: ['startDate', 'endDate', 'limit', 'after'],
    successCodes: [200],
  },
];
